import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readIfMatch } from '../../platform/http/etag.ts';
import { answers } from '../../platform/http/problem.ts';
import { deleteTodo, findTodo, insertTodo, listTodos, toggleTodo, updateTodo } from './queries.ts';
import { IdParams } from '../../platform/http/schemas.ts';
import { CreateTodoBody, TodoListQuery, TodoSchema, UpdateTodoBody } from './schemas.ts';
import { registerCrudRoutes, sendEntity, versionedWrite } from '../../platform/crud/crud-routes.ts';

const todoRoutes: FastifyPluginAsyncZod = async (app) => {
  registerCrudRoutes(app, {
    name: 'Todo',
    tag: 'todos',
    schemas: { entity: TodoSchema, create: CreateTodoBody, update: UpdateTodoBody, list: TodoListQuery },
    list: listTodos,
    find: findTodo,
    insert: insertTodo,
    update: updateTodo,
    remove: deleteTodo,
  });

  app.patch(
    '/:id/toggle',
    {
      schema: {
        tags: ['todos'],
        summary: 'Flip completed (honours If-Match)',
        params: IdParams,
        response: { 200: TodoSchema, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
      },
    },
    async (request, reply) => {
      const { userId } = request;
      const { id } = request.params;
      const todo = await versionedWrite(
        'Todo',
        readIfMatch(request),
        (versions) => toggleTodo(app.db, userId, id, versions),
        async () => (await findTodo(app.db, userId, id))?.version,
      );
      return sendEntity(reply, todo).send(todo);
    },
  );
};

export default todoRoutes;
