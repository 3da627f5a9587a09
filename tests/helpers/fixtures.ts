import { generate } from 'json-schema-faker';
import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import { multipartBody, uploadParts } from './multipart.ts';
import { type ApiOperation, fillPath } from './openapi.ts';
import type { SignedIn } from './users.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Body fields that must name something real to succeed (an invitee's email must be a user's). */
export type KnownValues = Record<string, unknown>;

/**
 * Collections whose records another route makes: the invitations you answer under
 * /api/household-invitations/{id} are made by POST /api/households/{hid}/invitations.
 */
const MADE_BY: Record<string, string> = {
  '/api/household-invitations': '/api/households/{hid}/invitations',
};

/**
 * Creates, through the API, whatever a path's parameters need: for `/api/projects/{id}/tasks/{task_id}`
 * a project (POST /api/projects) and a task in it (POST /api/projects/{id}/tasks). Bodies come from
 * each POST's schema with json-schema-faker; a parameter takes the created body's field of the same
 * name, else its `id`. Every new route family is thereby covered without a hand-written fixture.
 */
export function fixtureFactory(app: App, operations: ApiOperation[], known: KnownValues) {
  const creators = new Map(operations.filter((op) => op.method === 'POST').map((op) => [op.path, op]));
  const cache = new Map<string, string>();

  async function create(collection: string, values: Record<string, string>, param: string, owner: SignedIn): Promise<string> {
    const operation = creators.get(collection);
    // An upload (multipart/form-data): a small file, sent as a client would.
    if (operation?.multipart) {
      const form = multipartBody(uploadParts(Buffer.from('fixture bytes'), { filename: 'fixture.bin', contentType: 'application/octet-stream' }));
      const url = fillPath(collection, values);
      const response = await app.inject({ method: 'POST', url, headers: { ...owner.headers, 'content-type': form.contentType }, payload: form.payload });
      const created: unknown = response.json();
      const value = isRecord(created) ? (created[param] ?? created.id) : undefined;
      if (response.statusCode === 201 && typeof value === 'string') return value;
      throw new Error(`Could not upload a fixture through POST ${collection}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    if (!operation?.body) throw new Error(`No POST ${collection} to create a {${param}} for the fixtures`);
    const tried: string[] = [];
    // A schema's own examples first (an item whose fields fit its category), then generated bodies.
    const examples = operation.bodyExamples.filter(isRecord);
    for (let seed = 1 - examples.length; seed <= 40; seed++) {
      const generated = seed < 1 ? structuredClone(examples[seed - 1 + examples.length]) : await generate(operation.body, { seed, optionalsProbability: 0 });
      const body = isRecord(generated) ? generated : {};
      for (const key of Object.keys(body)) if (key in known) body[key] = known[key];
      // A field that names another record (`x-references`: the collection it lives in, e.g. a
      // link's child item) gets a real one, made in that collection with the same path values.
      for (const [key, property] of Object.entries(isRecord(operation.body.properties) ? operation.body.properties : {})) {
        const referenced = isRecord(property) ? property['x-references'] : undefined;
        if (typeof referenced === 'string') body[key] = await create(referenced, values, 'id', owner);
      }
      const response = await app.inject({ method: 'POST', url: fillPath(collection, values), headers: owner.headers, payload: body });
      if (response.statusCode === 201) {
        const created: unknown = response.json();
        const value = isRecord(created) ? (created[param] ?? created.id) : undefined;
        if (typeof value === 'string') return value;
      }
      tried.push(`${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    throw new Error(`Could not create a fixture through POST ${collection}:\n${tried.slice(0, 3).join('\n')}`);
  }

  /**
   * Values for every `{param}` of `path`, owned by `owner`. `fresh` creates a whole new chain (for
   * a DELETE, which would otherwise remove what later requests use).
   */
  return async function resolve(path: string, owner: SignedIn, fresh = false): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    const pattern = /\{(\w+)\}/g;
    for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
      const param = match[1] ?? '';
      // A {user_id} names a person, not a record anyone creates: the owner themselves (a member of
      // their own household, say), which the stranger must not reach either.
      if (param === 'user_id') {
        values[param] = owner.id;
        continue;
      }
      const collection = path.slice(0, match.index).replace(/\/$/, '');
      const madeBy = MADE_BY[collection];
      if (madeBy) {
        values[param] = (await resolve(`${madeBy}/{${param}}`, owner, fresh))[param] ?? '';
        continue;
      }
      const key = `${owner.id} ${fillPath(collection, values)} ${param}`;
      const value = (fresh ? undefined : cache.get(key)) ?? (await create(collection, values, param, owner));
      if (!fresh) cache.set(key, value);
      values[param] = value;
    }
    expect(Object.keys(values)).toHaveLength((path.match(/\{/g) ?? []).length);
    return values;
  };
}
