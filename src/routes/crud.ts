import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.ts';
import { NotFoundError, PreconditionFailedError } from '../http/errors.ts';
import { readIfMatch, setEtag } from '../http/etag.ts';
import { answers } from '../http/problem.ts';
import type { Page } from '../queries/pagination.ts';
import { IdParams, NoContent } from '../schemas/common.ts';
import { pageOf } from '../schemas/list.ts';

type Versioned = { id: string; version: number };

/**
 * How Fastify's type provider hands a validated part to a handler (its own alias is not
 * exported); resolves to T for every concrete schema output.
 */
type Validated<T> = [T] extends [undefined] ? unknown : T;

/**
 * Everything the shared CRUD routes need to know about one kind of record. Query functions are
 * scoped by the user id; `update` and `remove` only touch a row whose version is one of
 * `versions` (when given) and report a miss with `undefined`/`false`.
 */
export type CrudResource<Row extends Versioned, Create, Update, List> = {
  /** "Todo": used in messages and OpenAPI summaries. */
  name: string;
  tag: string;
  schemas: {
    entity: z.ZodType;
    create: z.ZodType<Create, unknown>;
    update: z.ZodType<Update, unknown>;
    list: z.ZodType<List, unknown>;
  };
  list: (db: Kysely<DB>, userId: string, query: Validated<List>) => Promise<Page<Row>>;
  find: (db: Kysely<DB>, userId: string, id: string) => Promise<Row | undefined>;
  insert: (db: Kysely<DB>, userId: string, values: Validated<Create>) => Promise<Row>;
  update: (db: Kysely<DB>, userId: string, id: string, changes: Validated<Update>, versions?: number[]) => Promise<Row | undefined>;
  remove: (db: Kysely<DB>, userId: string, id: string, versions?: number[]) => Promise<boolean>;
  /** Rules that need the stored row or other tables (both-or-neither fields, ownership of references). */
  checkCreate?: (db: Kysely<DB>, userId: string, values: Validated<Create>) => Promise<void>;
  checkUpdate?: (db: Kysely<DB>, userId: string, current: Row, changes: Validated<Update>) => Promise<void>;
};

type App = Parameters<FastifyPluginAsyncZod>[0];

function notFound(name: string) {
  return new NotFoundError(`${name} not found`);
}

/**
 * Runs a versioned write. Without If-Match the write applies (last writer wins); with it, only
 * against a matching version. A miss is told apart afterwards: no row is a 404, a row with
 * another version a 412, and nothing was changed in either case.
 */
export async function versionedWrite<T>(
  name: string,
  ifMatch: { versions: number[] | undefined; header: string | undefined },
  write: (versions: number[] | undefined) => Promise<T | undefined | false>,
  currentVersion: () => Promise<number | undefined>,
): Promise<T> {
  const result = ifMatch.versions?.length === 0 ? undefined : await write(ifMatch.versions);
  if (result !== undefined && result !== false) return result;
  const version = await currentVersion();
  if (version === undefined) throw notFound(name);
  throw new PreconditionFailedError(ifMatch.header ?? '', String(version));
}

function isEmpty(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).length === 0;
}

export function sendEntity(reply: FastifyReply, row: Versioned, status = 200) {
  setEtag(reply, row.version);
  return reply.code(status);
}

/** GET list, POST, GET/PUT/PATCH/DELETE by id, on the user's own records of one kind. */
export function registerCrudRoutes<Row extends Versioned, Create, Update, List>(
  app: App,
  resource: CrudResource<Row, Create, Update, List>,
): void {
  const { name, schemas } = resource;
  const tags = [resource.tag];
  const db = app.db;
  const findOr404 = async (userId: string, id: string) => {
    const row = await resource.find(db, userId, id);
    if (!row) throw notFound(name);
    return row;
  };
  const findMatching = async (userId: string, id: string, versions: number[] | undefined) => {
    const row = await resource.find(db, userId, id);
    return row && (!versions || versions.includes(row.version)) ? row : undefined;
  };

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: `List your ${resource.tag}`,
        querystring: schemas.list,
        response: { 200: pageOf(schemas.entity), ...answers.signedIn },
      },
    },
    async (request) => resource.list(db, request.userId, request.query),
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: `Create a ${name.toLowerCase()}`,
        body: schemas.create,
        response: { 201: schemas.entity, ...answers.signedIn },
      },
    },
    async (request, reply) => {
      await resource.checkCreate?.(db, request.userId, request.body);
      const row = await resource.insert(db, request.userId, request.body);
      return sendEntity(reply, row, 201).send(row);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: `One ${name.toLowerCase()}`,
        params: IdParams,
        response: { 200: schemas.entity, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      const row = await findOr404(request.userId, request.params.id);
      return sendEntity(reply, row).send(row);
    },
  );

  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:id',
    schema: {
      tags,
      summary: `Change a ${name.toLowerCase()} (PUT and PATCH are both partial; null clears; honours If-Match)`,
      params: IdParams,
      body: schemas.update,
      response: { 200: schemas.entity, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
    },
    handler: async (request, reply) => {
      const { userId, body } = request;
      const { id } = request.params;
      const ifMatch = readIfMatch(request);
      if (resource.checkUpdate) await resource.checkUpdate(db, userId, await findOr404(userId, id), body);
      const row = await versionedWrite(
        name,
        ifMatch,
        // An empty change is no change: the row is returned as it is, its version not bumped.
        (versions) => (isEmpty(body) ? findMatching(userId, id, versions) : resource.update(db, userId, id, body, versions)),
        async () => (await resource.find(db, userId, id))?.version,
      );
      return sendEntity(reply, row).send(row);
    },
  });

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: `Delete a ${name.toLowerCase()} (honours If-Match)`,
        params: IdParams,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
      },
    },
    async (request, reply) => {
      const { userId } = request;
      const { id } = request.params;
      await versionedWrite(
        name,
        readIfMatch(request),
        async (versions) => resource.remove(db, userId, id, versions),
        async () => (await resource.find(db, userId, id))?.version,
      );
      return reply.code(204).send();
    },
  );
}
