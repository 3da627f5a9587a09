import { z } from 'zod';
import { CalendarDate, text, Uuid } from '../../platform/http/schemas.ts';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { Priority } from '../todos/index.ts';

export const TaskStatus = z.enum(['todo', 'in_progress', 'done']);

export const TaskSchema = z
  .object({
    id: z.uuid(),
    project_id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    status: TaskStatus,
    priority: Priority,
    due_date: z.string().nullable(),
    position: z.number().int(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Task' });

const editable = {
  title: text(500, 1),
  description: text(10000).nullable(),
  status: TaskStatus,
  priority: Priority,
  due_date: CalendarDate.nullable(),
  position: z
    .number()
    .int()
    .min(-2_147_483_648)
    .max(2_147_483_647)
    .meta({ description: 'Order in the project (any 32-bit integer; negatives move a task before position 0); a new task goes last unless given' }),
};

export const CreateTaskBody = z.strictObject(editable).partial().required({ title: true });
export const UpdateTaskBody = z.strictObject(editable).partial();

export type CreateTask = z.output<typeof CreateTaskBody>;
export type UpdateTask = z.output<typeof UpdateTaskBody>;

export const TaskListQuery = listQuery(['position', 'created_at', 'due_date', 'priority', 'title'], 'position', {
  status: TaskStatus.optional(),
});

export type TaskListParams = z.output<typeof TaskListQuery>;

export const TaskParams = z.strictObject({ id: Uuid, task_id: Uuid });
