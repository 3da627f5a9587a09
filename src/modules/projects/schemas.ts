import { z } from 'zod';
import { CalendarDate, HexColor, text } from '../../platform/http/schemas.ts';
import { listQuery } from '../../platform/crud/list-schemas.ts';

export const ProjectStatus = z.enum(['planning', 'active', 'on_hold', 'completed', 'archived']);

export const ProjectSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    status: ProjectStatus,
    color: z.string().nullable(),
    due_date: z.string().nullable(),
    task_count: z.number().int().meta({ description: 'Read-only: how many tasks the project has' }),
    done_count: z.number().int().meta({ description: 'Read-only: how many of them are done' }),
    progress: z.number().int().min(0).max(100).meta({ description: 'Read-only: done_count / task_count in percent, rounded down; 0 without tasks' }),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Project' });

const editable = {
  name: text(200, 1),
  description: text(10000).nullable(),
  status: ProjectStatus,
  color: HexColor.nullable(),
  due_date: CalendarDate.nullable(),
};

export const CreateProjectBody = z.strictObject(editable).partial().required({ name: true });
export const UpdateProjectBody = z.strictObject(editable).partial();

export type CreateProject = z.output<typeof CreateProjectBody>;
export type UpdateProject = z.output<typeof UpdateProjectBody>;

export const ProjectListQuery = listQuery(['name', 'created_at', 'due_date'], 'name', {
  status: ProjectStatus.optional(),
  q: text(200, 1).optional().meta({ description: 'Case-insensitive match in name or description' }),
});

export type ProjectListParams = z.output<typeof ProjectListQuery>;
