import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isOwnProject } from './queries.ts';
import { deleteTask, findTask, insertTask, listTasks, type TaskOwner, updateTask } from './task-queries.ts';
import { IdParams } from '../../platform/http/schemas.ts';
import { CreateTaskBody, TaskListQuery, TaskParams, TaskSchema, UpdateTaskBody } from './task-schemas.ts';
import { type CrudScope, registerScopedCrudRoutes } from '../../platform/crud/crud-routes.ts';

/**
 * A project's tasks, under /api/projects/:id/tasks. Someone else's project is a 404 on every
 * route, and a task addressed under a project it does not belong to is a 404 too.
 */
const taskScope: CrudScope<TaskOwner, z.output<typeof IdParams>, z.output<typeof TaskParams>> = {
  parent: 'Project',
  params: IdParams,
  itemUrl: '/:task_id',
  itemParams: TaskParams,
  itemId: (params) => params.task_id,
  owner: async (db, userId, params, purpose) => {
    // A create locks the project so that concurrent inserts count positions one after another.
    if (!(await isOwnProject(db, userId, params.id, purpose === 'create'))) throw new NotFoundError('Project not found');
    return { userId, projectId: params.id };
  },
};

const taskRoutes: FastifyPluginAsyncZod = async (app) => {
  registerScopedCrudRoutes(
    app,
    {
      name: 'Task',
      tag: 'tasks',
      schemas: { entity: TaskSchema, create: CreateTaskBody, update: UpdateTaskBody, list: TaskListQuery },
      list: listTasks,
      find: findTask,
      insert: insertTask,
      update: updateTask,
      remove: deleteTask,
    },
    taskScope,
  );
};

export default taskRoutes;
