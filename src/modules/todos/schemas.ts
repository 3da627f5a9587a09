import { z } from 'zod';
import { CalendarDate, QueryBoolean, text } from '../../platform/http/schemas.ts';
import { listQuery } from '../../platform/crud/list-schemas.ts';

export const Priority = z.enum(['none', 'low', 'medium', 'high']);

export const TodoSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    due_date: z.string().nullable(),
    priority: Priority,
    category: z.string().nullable(),
    completed: z.boolean(),
    completed_at: z.date().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Todo' });

const editable = {
  title: text(500, 1),
  description: text(10000).nullable(),
  due_date: CalendarDate.nullable(),
  priority: Priority,
  category: text(100).nullable(),
  completed: z.boolean(),
};

export const CreateTodoBody = z.strictObject(editable).partial().required({ title: true });
export const UpdateTodoBody = z.strictObject(editable).partial();

export type CreateTodo = z.output<typeof CreateTodoBody>;
export type UpdateTodo = z.output<typeof UpdateTodoBody>;

export const TODO_SORTS = ['due_date', 'created_at', 'priority', 'title'] as const;

export const TodoListQuery = listQuery(TODO_SORTS, 'due_date', {
  completed: QueryBoolean.optional(),
  priority: Priority.optional(),
  category: text(100).optional(),
  due_from: CalendarDate.optional(),
  due_to: CalendarDate.optional(),
  overdue: QueryBoolean.optional(),
  q: text(200, 1).optional(),
});

export type TodoListParams = z.output<typeof TodoListQuery>;
