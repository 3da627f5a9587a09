import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deleteProject, findProject, insertProject, listProjects, updateProject } from './queries.ts';
import { CreateProjectBody, ProjectListQuery, ProjectSchema, UpdateProjectBody } from './schemas.ts';
import { registerCrudRoutes } from '../../platform/crud/crud-routes.ts';
import taskRoutes from './task-routes.ts';

const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  registerCrudRoutes(app, {
    name: 'Project',
    tag: 'projects',
    schemas: { entity: ProjectSchema, create: CreateProjectBody, update: UpdateProjectBody, list: ProjectListQuery },
    list: listProjects,
    find: findProject,
    insert: insertProject,
    update: updateProject,
    // The tasks go with the project (ON DELETE CASCADE).
    remove: deleteProject,
  });

  await app.register(taskRoutes, { prefix: '/:id/tasks' });
};

export default projectRoutes;
