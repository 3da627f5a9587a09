import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { deletePerson, findPerson, insertPerson, listPeople, updatePerson } from './queries.ts';
import { CreatePersonBody, PersonListQuery, PersonSchema, UpdatePersonBody } from './schemas.ts';
import { registerCrudRoutes } from '../../platform/crud/crud-routes.ts';

const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  registerCrudRoutes(app, {
    name: 'Person',
    tag: 'people',
    schemas: { entity: PersonSchema, create: CreatePersonBody, update: UpdatePersonBody, list: PersonListQuery },
    list: listPeople,
    find: findPerson,
    insert: insertPerson,
    update: updatePerson,
    remove: deletePerson,
  });
};

export default peopleRoutes;
