import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.ts';
import { NotFoundError, PreconditionFailedError } from '../http/errors.ts';
import { readIfMatch, setEtag } from '../http/etag.ts';
import { answers } from '../http/problem.ts';
import type { Page } from './pagination.ts';
import { IdParams, NoContent, NoParams } from '../http/schemas.ts';
import { pageOf } from './list-schemas.ts';

type Versioned = { id: string; version: number };

/**
 * How Fastify's type provider hands a validated part to a handler (its own alias is not
 * exported); resolves to T for every concrete schema output.
 */
type Validated<T> = [T] extends [undefined] ? unknown : T;

/**
 * Everything the shared CRUD routes need to know about one kind of record. Query functions are
 * scoped by the owner (the user id for top-level records, e.g. `{ userId, projectId }` for a
 * project's tasks); `update` and `remove` only touch a row whose version is one of `versions`
 * (when given) and report a miss with `undefined`/`false`.
 */
export type CrudResource<Row extends Versioned, Create, Update, List, Owner = string> = {
  /** "Todo": used in messages and OpenAPI summaries. */
  name: string;
  tag: string;
  schemas: {
    entity: z.ZodType;
    create: z.ZodType<Create, unknown>;
    update: z.ZodType<Update, unknown>;
    list: z.ZodType<List, unknown>;
  };
  list: (db: Kysely<DB>, owner: Owner, query: Validated<List>) => Promise<Page<Row>>;
  find: (db: Kysely<DB>, owner: Owner, id: string) => Promise<Row | undefined>;
  insert: (db: Kysely<DB>, owner: Owner, values: Validated<Create>) => Promise<Row>;
  update: (db: Kysely<DB>, owner: Owner, id: string, changes: Validated<Update>, versions?: number[]) => Promise<Row | undefined>;
  remove: (db: Kysely<DB>, owner: Owner, id: string, versions?: number[]) => Promise<boolean>;
  /** Rules that need the stored row or other tables (both-or-neither fields, ownership of references). */
  checkCreate?: (db: Kysely<DB>, owner: Owner, values: Validated<Create>) => Promise<void>;
  checkUpdate?: (db: Kysely<DB>, owner: Owner, current: Row, changes: Validated<Update>) => Promise<void>;
  /** A rule against deleting the stored row (records that still refer to it: 409). */
  checkDelete?: (db: Kysely<DB>, owner: Owner, current: Row) => Promise<void>;
  /**
   * Called in the write's transaction after each change that happened (an empty update is none),
   * e.g. to write the audit log in the same transaction as the change.
   */
  onChange?: (db: Kysely<DB>, owner: Owner, change: CrudChange<Row>) => Promise<void>;
};

/** What a write did, for `onChange`. */
export type CrudChange<Row> =
  | { kind: 'created'; row: Row }
  | { kind: 'updated'; row: Row; before: Row }
  | { kind: 'deleted'; row: Row };

/**
 * Where a kind of record lives. Top-level records belong to the signed-in user; nested ones
 * (a project's tasks) to a parent named in the path, which `owner` resolves or answers 404 for.
 */
export type CrudScope<Owner, Params, ItemParams> = {
  /** The parent's name ("Project") for nested records, whose collection routes can also be a 404. */
  parent: string | undefined;
  /** Whether the scope itself can be a 409 (coverage under an item that is no insurance). */
  conflicts?: boolean;
  /** Path parameters of the collection (`/api/projects/:id/tasks`); `NoParams` when there are none. */
  params: z.ZodType<Params, unknown>;
  /** The item's path below the collection and its parameters (the collection's plus the record id). */
  itemUrl: string;
  itemParams: z.ZodType<ItemParams, unknown>;
  itemId: (params: Validated<ItemParams>) => string;
  /**
   * The owner the queries are scoped by. Writes run it inside the write's transaction with
   * `purpose` 'create' (it may lock the parent: positions counted under the lock) or 'write'
   * (an update or delete); reads with 'read'. It answers 404 (or 403) for a scope the user may
   * not use so.
   */
  owner: (db: Kysely<DB>, userId: string, params: Validated<Params> | Validated<ItemParams>, purpose: 'read' | 'create' | 'write') => Promise<Owner>;
  /**
   * The owner is known without the database (the signed-in user): a write that is then one
   * statement (no check, no change record) runs without BEGIN and COMMIT, which are two of its
   * four round trips (BENCHMARKS.md, "Issue 18"). A single statement is atomic by itself.
   */
  ownerWithoutDatabase?: boolean;
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

/** Top-level records: owned by the signed-in user, addressed as `/:id`. */
const userScope: CrudScope<string, z.output<typeof NoParams>, z.output<typeof IdParams>> = {
  parent: undefined,
  params: NoParams,
  itemUrl: '/:id',
  itemParams: IdParams,
  itemId: (params) => params.id,
  owner: async (_db, userId) => userId,
  ownerWithoutDatabase: true,
};

/** GET list, POST, GET/PUT/PATCH/DELETE by id, on the user's own records of one kind. */
export function registerCrudRoutes<Row extends Versioned, Create, Update, List>(
  app: App,
  resource: CrudResource<Row, Create, Update, List>,
): void {
  registerScopedCrudRoutes(app, resource, userScope);
}

/** The same routes for records that live in a scope, e.g. a project's tasks. */
export function registerScopedCrudRoutes<Row extends Versioned, Create, Update, List, Owner, Params, ItemParams>(
  app: App,
  resource: CrudResource<Row, Create, Update, List, Owner>,
  scope: CrudScope<Owner, Params, ItemParams>,
): void {
  const { name, schemas } = resource;
  const tags = [resource.tag];
  const db = app.db;
  // A nested collection can itself be missing (another user's project): 404 on every route.
  const parentMissing = { ...(scope.parent ? answers.notFound : {}), ...(scope.conflicts ? answers.conflict : {}) };
  const scopeConflict = scope.conflicts ? answers.conflict : {};
  const findOr404 = async (handle: Kysely<DB>, owner: Owner, id: string) => {
    const row = await resource.find(handle, owner, id);
    if (!row) throw notFound(name);
    return row;
  };
  const matches = (versions: number[] | undefined, row: Row) => !versions || versions.includes(row.version);
  // A write runs in a transaction when it is more than one statement that must see one state.
  const writeIn = <T>(transactional: boolean, run: (handle: Kysely<DB>) => Promise<T>): Promise<T> =>
    transactional || !scope.ownerWithoutDatabase ? db.transaction().execute(run) : run(db);
  const onChange = resource.onChange !== undefined;

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: `List your ${resource.tag}`,
        params: scope.params,
        querystring: schemas.list,
        response: { 200: pageOf(schemas.entity), ...answers.signedIn, ...parentMissing },
      },
    },
    async (request) => {
      const owner = await scope.owner(db, request.userId, request.params, 'read');
      return resource.list(db, owner, request.query);
    },
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: `Create a ${name.toLowerCase()}`,
        params: scope.params,
        body: schemas.create,
        response: { 201: schemas.entity, ...answers.signedIn, ...parentMissing },
      },
    },
    async (request, reply) => {
      const { userId, params, body } = request;
      // One transaction: the owner (and any lock it takes), the checks and the insert see one state.
      const row = await writeIn(resource.checkCreate !== undefined || onChange, async (trx) => {
        const owner = await scope.owner(trx, userId, params, 'create');
        await resource.checkCreate?.(trx, owner, body);
        const created = await resource.insert(trx, owner, body);
        await resource.onChange?.(trx, owner, { kind: 'created', row: created });
        return created;
      });
      return sendEntity(reply, row, 201).send(row);
    },
  );

  app.get(
    scope.itemUrl,
    {
      schema: {
        tags,
        summary: `One ${name.toLowerCase()}`,
        params: scope.itemParams,
        response: { 200: schemas.entity, ...answers.signedIn, ...answers.notFound, ...scopeConflict },
      },
    },
    async (request, reply) => {
      const owner = await scope.owner(db, request.userId, request.params, 'read');
      const row = await findOr404(db, owner, scope.itemId(request.params));
      return sendEntity(reply, row).send(row);
    },
  );

  app.route({
    method: ['PUT', 'PATCH'],
    url: scope.itemUrl,
    schema: {
      tags,
      summary: `Change a ${name.toLowerCase()} (PUT and PATCH are both partial; null clears; honours If-Match)`,
      params: scope.itemParams,
      body: schemas.update,
      response: { 200: schemas.entity, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed, ...scopeConflict },
    },
    handler: async (request, reply) => {
      const { body } = request;
      const id = scope.itemId(request.params);
      const ifMatch = readIfMatch(request);
      // One transaction: the owner (and any lock it takes), the checks, the write and its record.
      const row = await writeIn(resource.checkUpdate !== undefined || onChange, async (trx) => {
        const owner = await scope.owner(trx, request.userId, request.params, 'write');
        const empty = isEmpty(body);
        // The stored row, read only when something needs it (a rule, the change record, an empty change).
        const before = resource.checkUpdate || resource.onChange || empty ? await findOr404(trx, owner, id) : undefined;
        if (resource.checkUpdate && before) await resource.checkUpdate(trx, owner, before, body);
        const written = await versionedWrite(
          name,
          ifMatch,
          // An empty change is no change: the row is returned as it is, its version not bumped.
          async (versions) => (empty ? (before && matches(versions, before) ? before : undefined) : resource.update(trx, owner, id, body, versions)),
          async () => (await resource.find(trx, owner, id))?.version,
        );
        if (!empty && before) await resource.onChange?.(trx, owner, { kind: 'updated', row: written, before });
        return written;
      });
      return sendEntity(reply, row).send(row);
    },
  });

  app.delete(
    scope.itemUrl,
    {
      schema: {
        tags,
        summary: `Delete a ${name.toLowerCase()} (honours If-Match)`,
        params: scope.itemParams,
        response: {
          204: NoContent,
          ...answers.signedIn,
          ...answers.notFound,
          ...answers.preconditionFailed,
          ...(scope.conflicts || resource.checkDelete ? answers.conflict : {}),
        },
      },
    },
    async (request, reply) => {
      const id = scope.itemId(request.params);
      const ifMatch = readIfMatch(request);
      await writeIn(resource.checkDelete !== undefined || onChange, async (trx) => {
        const owner = await scope.owner(trx, request.userId, request.params, 'write');
        const current = resource.checkDelete || resource.onChange ? await resource.find(trx, owner, id) : undefined;
        // A stale If-Match is a 412 before any rule about the row is asked.
        if (current && resource.checkDelete && matches(ifMatch.versions, current)) await resource.checkDelete(trx, owner, current);
        await versionedWrite(
          name,
          ifMatch,
          async (versions) => resource.remove(trx, owner, id, versions),
          async () => (await resource.find(trx, owner, id))?.version,
        );
        if (current) await resource.onChange?.(trx, owner, { kind: 'deleted', row: current });
      });
      return reply.code(204).send();
    },
  );
}
