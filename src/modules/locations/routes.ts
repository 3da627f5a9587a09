import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { InvalidInputError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import {
  deleteLocation,
  findLocation,
  insertLocation,
  listLocationCategories,
  listLocations,
  updateLocation,
} from './queries.ts';
import {
  coordinateIssues,
  CreateLocationBody,
  LocationCategories,
  LocationListQuery,
  LocationSchema,
  UpdateLocationBody,
} from './schemas.ts';
import { registerCrudRoutes } from '../../platform/crud/crud-routes.ts';

const locationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/categories',
    {
      schema: {
        tags: ['locations'],
        summary: 'The categories in use, with how many locations each has',
        response: { 200: LocationCategories, ...answers.signedIn },
      },
    },
    async (request) => ({ items: await listLocationCategories(app.db, request.userId) }),
  );

  registerCrudRoutes(app, {
    name: 'Location',
    tag: 'locations',
    schemas: { entity: LocationSchema, create: CreateLocationBody, update: UpdateLocationBody, list: LocationListQuery },
    list: listLocations,
    find: findLocation,
    insert: insertLocation,
    update: updateLocation,
    remove: deleteLocation,
    // An update may not leave only one of the coordinates set.
    checkUpdate: async (_db, _userId, current, changes) => {
      const issues = coordinateIssues(
        changes.latitude === undefined ? current.latitude : changes.latitude,
        changes.longitude === undefined ? current.longitude : changes.longitude,
      );
      if (issues.length > 0) throw new InvalidInputError(issues);
    },
  });
};

export default locationRoutes;
