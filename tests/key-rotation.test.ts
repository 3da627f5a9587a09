import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { eventually } from './helpers/eventually.ts';
import { type Household, householdWithEveryRole, homeOf, joinAs } from './helpers/households.ts';
import { multipartBody, uploadParts } from './helpers/multipart.ts';
import { PASSWORD, registerUser, type SignedIn } from './helpers/users.ts';
import { vaultCalls } from './helpers/vault.ts';
import { createZkClient, decryptBytes, encryptBytes, encryptField, newHouseholdKey, openEnvelope, wrapForMember, type ZkClient } from './helpers/zk-client.ts';

// POST /api/households/{hid}/keys/rotate (API-VAULT.md "Keys for zero-knowledge clients"): the
// superset check (every envelope holder, every version-2 file, every enc: value), the version
// check, the refusals that change nothing, and two rotations at once of which one wins.

const filesDir = join(tmpdir(), `umbra-rotation-${randomUUID()}`);
const t = useTestApp({ FILES_DIR: filesDir });
afterAll(() => rm(filesDir, { recursive: true, force: true }));
const v = vaultCalls(t);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

type Body = {
  key_version: number;
  envelopes: { user_id: string; encrypted_household_key: string }[];
  files: { id: string; key: string }[];
  fields: { item_id: string; field: string; value: string }[];
};

let h: Household;
let leaver: SignedIn;
const clients = new Map<string, ZkClient>();
let firstKey: Uint8Array;
/** The plaintext behind each enc: value and each file key, to check what a rotation re-encrypted. */
const fieldPlain = new Map<string, string>();
const fileKeys = new Map<string, Uint8Array>();
let v1FileId: string;
let strangerFileId: string;
let strangerItemId: string;
let sealedItemId: string;

const rotateUrl = () => `/api/households/${h.id}/keys/rotate`;
const rotate = (user: SignedIn, body: unknown) => v.call(user, 'POST', rotateUrl(), body as Record<string, unknown>);

async function setKeys(user: SignedIn) {
  const client = await createZkClient(PASSWORD);
  expect((await v.call(user, 'PUT', '/api/keys', client.body)).statusCode).toBe(200);
  clients.set(user.id, client);
  return client;
}

async function confirm(actor: SignedIn, target: SignedIn, key: Uint8Array, version: number, hid = h.id) {
  const publicKey = clients.get(target.id)?.body.public_key ?? '';
  const response = await v.call(actor, 'PUT', `/api/households/${hid}/keys/${target.id}`, { encrypted_household_key: await wrapForMember(key, publicKey), key_version: version });
  expect(response.statusCode, response.body).toBe(200);
}

/** An upload through the API: version 2 with the client's `key`, or version 1 (encrypted by the server). */
async function upload(user: SignedIn, householdId: string, itemId: string, clientKey?: string): Promise<string> {
  const body = multipartBody(uploadParts(randomBytes(2000), clientKey === undefined ? {} : { key: clientKey }));
  const url = `/api/households/${householdId}/items/${itemId}/files`;
  const response = await t.app.inject({ method: 'POST', url, headers: { ...user.headers, 'content-type': body.contentType }, payload: body.payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

async function encPassport(key: Uint8Array, number: string): Promise<string> {
  const item = await v.passport(h.owner, h.id, { number: await encryptField(key, number) }, `Passport ${number}`);
  fieldPlain.set(item.id, number);
  return item.id;
}

/** A complete rotation to `key`: envelopes for the envelope holders, every file key and enc: value re-encrypted. */
async function fullBody(key: Uint8Array, key_version: number): Promise<Body> {
  const holders = [h.owner, h.admin, h.member];
  return {
    key_version,
    envelopes: await Promise.all(holders.map(async (user) => ({ user_id: user.id, encrypted_household_key: await wrapForMember(key, clients.get(user.id)?.body.public_key ?? '') }))),
    files: await Promise.all([...fileKeys].map(async ([id, fileKey]) => ({ id, key: b64(await encryptBytes(key, fileKey)) }))),
    fields: await Promise.all([...fieldPlain].map(async ([item_id, plain]) => ({ item_id, field: 'number', value: await encryptField(key, plain) }))),
  };
}

/** Everything a rotation writes, read from the database: a refusal must leave it as it was. */
async function snapshot() {
  const household = await t.db.selectFrom('households').select('key_version').where('id', '=', h.id).executeTakeFirstOrThrow();
  const envelopes = await t.db.selectFrom('household_key_envelopes').selectAll().where('household_id', '=', h.id).orderBy('user_id').execute();
  const files = await t.db.selectFrom('item_files').select(['id', 'client_key', 'version']).where('household_id', '=', h.id).orderBy('id').execute();
  const values = await t.db.selectFrom('item_field_values').select(['item_id', 'field_key', 'value_sealed']).where('household_id', '=', h.id).orderBy('item_id').orderBy('field_key').execute();
  const items = await t.db.selectFrom('items').select(['id', 'version']).where('household_id', '=', h.id).orderBy('id').execute();
  const audit = await t.db.selectFrom('audit_log').select('id').where('household_id', '=', h.id).where('action', '=', 'key.rotated').execute();
  return { household, envelopes, files, values, items, audit: audit.length };
}

beforeAll(async () => {
  h = await householdWithEveryRole(t.app, t.db);
  leaver = await registerUser(t.app, { display_name: 'leaver' });
  await joinAs(t.db, h.id, leaver, 'member');
  await Promise.all([h.owner, h.admin, h.member, leaver].map(setKeys));
  // The owner creates the first household key, then confirms the others; the viewer has no keys.
  firstKey = newHouseholdKey();
  await confirm(h.owner, h.owner, firstKey, 1);
  for (const user of [h.admin, h.member, leaver]) await confirm(h.owner, user, firstKey, 1);

  const first = await encPassport(firstKey, 'P-111');
  await encPassport(firstKey, 'P-222');
  sealedItemId = (await v.passport(h.owner, h.id, { number: 'P-SERVER' }, 'Sealed by the server')).id;
  for (let i = 0; i < 2; i += 1) {
    const fileKey = newHouseholdKey();
    fileKeys.set(await upload(h.member, h.id, first, b64(await encryptBytes(firstKey, fileKey))), fileKey);
  }
  v1FileId = await upload(h.owner, h.id, first);
  // Another household's version-2 file and enc: value, to name by mistake.
  const elsewhere = await homeOf(t.app, h.stranger);
  strangerItemId = (await v.passport(h.stranger, elsewhere.id, { number: await encryptField(newHouseholdKey(), 'X') })).id;
  strangerFileId = await upload(h.stranger, elsewhere.id, strangerItemId, b64(randomBytes(60)));

  // The leaver is removed: their envelope goes with the membership.
  expect((await v.call(h.owner, 'DELETE', `/api/households/${h.id}/members/${leaver.id}`)).statusCode).toBe(204);
  const holders = await t.db.selectFrom('household_key_envelopes').select('user_id').where('household_id', '=', h.id).execute();
  expect(holders.map((row) => row.user_id).sort()).toEqual([h.owner.id, h.admin.id, h.member.id].sort());
});

describe('POST /api/households/{hid}/keys/rotate refuses, changing nothing', () => {
  type Case = [name: string, who: () => SignedIn, change: (body: Body) => Promise<Body> | Body, status: number, expectation: string];
  const without = <T>(list: T[], index = 0) => list.filter((_, i) => i !== index);
  const cases: Case[] = [
    ['a stale key_version (the current one)', () => h.owner, (body) => ({ ...body, key_version: 1 }), 409, 'key_version must be 2'],
    ['a key_version skipping one', () => h.owner, (body) => ({ ...body, key_version: 3 }), 409, 'key_version must be 2'],
    ['a remaining member left out', () => h.owner, (body) => ({ ...body, envelopes: without(body.envelopes, 2) }), 409, 'an envelope for the members'],
    ['a version-2 file left out', () => h.admin, (body) => ({ ...body, files: without(body.files, 1) }), 409, 'a new key for the version-2 files'],
    ['an enc: value left out', () => h.owner, (body) => ({ ...body, fields: without(body.fields, 0) }), 409, 'a new value for the enc: fields'],
    ['nothing but envelopes', () => h.owner, (body) => ({ key_version: 2, envelopes: body.envelopes, files: [], fields: [] }), 409, 'lacks a new key'],
    ['an envelope for a removed member', () => h.owner, (body) => ({ ...body, envelopes: [...body.envelopes, { ...body.envelopes[0]!, user_id: leaver.id }] }), 400, 'envelopes.3.user_id'],
    ['an envelope for a stranger', () => h.owner, (body) => ({ ...body, envelopes: [...body.envelopes, { ...body.envelopes[0]!, user_id: h.stranger.id }] }), 400, 'envelopes.3.user_id'],
    ['an envelope for a member without keys', () => h.owner, (body) => ({ ...body, envelopes: [{ ...body.envelopes[0]!, user_id: h.viewer.id }, ...body.envelopes] }), 400, 'envelopes.0.user_id'],
    ['a member named twice', () => h.owner, (body) => ({ ...body, envelopes: [...body.envelopes, body.envelopes[1]!] }), 400, 'envelopes.3.user_id'],
    ['a version-1 file', () => h.owner, (body) => ({ ...body, files: [...body.files, { ...body.files[0]!, id: v1FileId }] }), 400, 'files.2.id'],
    ["another household's file", () => h.owner, (body) => ({ ...body, files: [{ ...body.files[0]!, id: strangerFileId }, ...body.files] }), 400, 'files.0.id'],
    ['an unknown file', () => h.owner, (body) => ({ ...body, files: [...body.files, { ...body.files[0]!, id: randomUUID() }] }), 400, 'files.2.id'],
    ['a value sealed by the server', () => h.owner, (body) => ({ ...body, fields: [...body.fields, { ...body.fields[0]!, item_id: sealedItemId }] }), 400, 'fields.2.field'],
    ['a field without a value', () => h.owner, (body) => ({ ...body, fields: [...body.fields, { ...body.fields[0]!, field: 'expiry_date' }] }), 400, 'fields.2.field'],
    ["another household's enc: value", () => h.owner, (body) => ({ ...body, fields: [...body.fields, { ...body.fields[0]!, item_id: strangerItemId }] }), 400, 'fields.2.field'],
    ['a new value that is not enc:', () => h.owner, (body) => ({ ...body, fields: [{ ...body.fields[0]!, value: 'P-111' }, ...body.fields.slice(1)] }), 400, 'fields.0.value'],
    ['no envelope at all', () => h.owner, (body) => ({ ...body, envelopes: [] }), 400, 'envelopes'],
    ['a member (not owner or admin)', () => h.member, (body) => body, 403, 'may not'],
    ['a viewer', () => h.viewer, (body) => body, 403, 'may not'],
    ['a stranger', () => h.stranger, (body) => body, 404, 'not found'],
  ];

  it.each(cases)('%s', async (_name, who, change, status, expectation) => {
    const before = await snapshot();
    const response = await rotate(who(), await change(await fullBody(newHouseholdKey(), 2)));
    expect(response.statusCode, response.body).toBe(status);
    const problem = response.json();
    if (status === 400) expect(problem.errors.map((issue: { path: string }) => issue.path)).toContain(expectation);
    else expect(problem.detail.toLowerCase()).toContain(expectation.toLowerCase());
    expect(await snapshot()).toEqual(before);
  });

  it('names what is missing, so a client can fetch it and try again', async () => {
    const body = await fullBody(newHouseholdKey(), 2);
    const [file] = [...fileKeys.keys()];
    const response = await rotate(h.owner, { ...body, envelopes: without(body.envelopes, 1), files: body.files.filter((entry) => entry.id !== file) });
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toContain(h.admin.id);
    expect(response.json().detail).toContain(file);
  });
});

describe('a rotation that names everything', () => {
  it('re-keys every envelope, version-2 file and enc: value in one step, and says so in the audit log', async () => {
    const before = await snapshot();
    const newKey = newHouseholdKey();
    const response = await rotate(h.admin, await fullBody(newKey, 2));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ key_version: 2, envelopes: 3, files: 2, fields: 2 });

    const after = await snapshot();
    expect(after.household.key_version).toBe(2);
    // Every envelope carries the new version and opens to the new key, for each remaining member.
    expect(after.envelopes.map((row) => row.key_version)).toEqual([2, 2, 2]);
    for (const user of [h.owner, h.admin, h.member]) {
      const mine = (await v.call(user, 'GET', `/api/households/${h.id}/keys/me`)).json();
      const client = clients.get(user.id);
      if (!client) throw new Error('no client');
      const privateKey = await client.unlock((await v.call(user, 'GET', '/api/keys')).json(), PASSWORD);
      expect(await openEnvelope(privateKey, mine.encrypted_household_key)).toEqual(newKey);
    }
    // Each version-2 file key opens with the new household key, to the same file key, and no longer with the old one.
    for (const row of after.files.filter((file) => fileKeys.has(file.id))) {
      const wrapped = new Uint8Array(Buffer.from(row.client_key ?? '', 'base64'));
      expect(await decryptBytes(newKey, wrapped)).toEqual(fileKeys.get(row.id));
      await expect(decryptBytes(firstKey, wrapped)).rejects.toThrow();
      expect(row.version).toBe((before.files.find((file) => file.id === row.id)?.version ?? 0) + 1);
    }
    // The version-1 file is the server's business: untouched.
    expect(after.files.find((file) => file.id === v1FileId)).toEqual(before.files.find((file) => file.id === v1FileId));
    // Each enc: value, as the API returns it, opens with the new key to the same text; its item's version moved.
    for (const [itemId, plain] of fieldPlain) {
      const item = (await v.call(h.member, 'GET', `/api/households/${h.id}/items/${itemId}`)).json();
      const sealed = new Uint8Array(Buffer.from(String(item.fields.number).slice(4), 'base64'));
      expect(new TextDecoder().decode(await decryptBytes(newKey, sealed))).toBe(plain);
      expect(item.version).toBe((before.items.find((row) => row.id === itemId)?.version ?? 0) + 1);
    }
    // The server-sealed value is as it was.
    const sealedValue = (rows: typeof before.values) => rows.find((row) => row.item_id === sealedItemId);
    expect(sealedValue(after.values)).toEqual(sealedValue(before.values));

    const audit = (await v.call(h.owner, 'GET', `/api/households/${h.id}/audit?action=key.rotated`)).json().items;
    expect(audit).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: h.admin.id }), target: { type: 'household', id: h.id }, details: { key_version: 2, envelopes: 3, files: 2, fields: 2 } })]);
  });

  it('lets two rotations at once not both succeed: exactly one wins, the others are stale', async () => {
    const keys = [newHouseholdKey(), newHouseholdKey(), newHouseholdKey(), newHouseholdKey()];
    const bodies = await Promise.all(keys.map((key) => fullBody(key, 3)));
    const responses = await Promise.all(bodies.map((body, i) => rotate(i % 2 === 0 ? h.owner : h.admin, body)));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(keys.length - 1);
    for (const response of responses.filter((r) => r.statusCode === 409)) expect(response.json().detail).toContain('key_version must be 4');
    // Whatever won is whole: every envelope and file key is of the winner's key.
    const winner = keys[statuses.indexOf(200)] ?? new Uint8Array();
    const after = await snapshot();
    expect(after.envelopes.map((row) => row.key_version)).toEqual([3, 3, 3]);
    for (const row of after.files.filter((file) => fileKeys.has(file.id))) {
      expect(await decryptBytes(winner, new Uint8Array(Buffer.from(row.client_key ?? '', 'base64')))).toEqual(fileKeys.get(row.id));
    }
    expect(after.audit).toBe(2);
  });

  // PGlite runs one statement at a time on one connection: there a write in flight simply finishes
  // first. On PostgreSQL the rotation must wait for it, or it would miss the file it adds.
  it.skipIf(!process.env.TEST_DATABASE_URL)('waits for a file write in flight and then counts its file (PostgreSQL only: PGlite has one connection)', async () => {
    const { key_version } = await t.db.selectFrom('households').select('key_version').where('id', '=', h.id).executeTakeFirstOrThrow();
    const body = await fullBody(newHouseholdKey(), key_version + 1);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let reportInserted = (_id: string) => {};
    const inserted = new Promise<string>((resolve) => (reportInserted = resolve));
    // What an upload's commit does (files/service.ts): the member's row FOR SHARE, then the row.
    const writer = t.db.transaction().execute(async (trx) => {
      await trx.selectFrom('household_members').select('user_id').where('household_id', '=', h.id).where('user_id', '=', h.member.id).forShare().execute();
      const id = randomUUID();
      const [itemId] = [...fieldPlain.keys()];
      await trx
        .insertInto('item_files')
        .values({ id, household_id: h.id, item_id: itemId ?? '', filename: 'late.bin', content_type: 'application/octet-stream', size: 1, sha256: 'b'.repeat(64), storage_key: `${h.id}/${id}`, encryption_version: 2, client_key: 'late-key' })
        .execute();
      reportInserted(id);
      await held;
    });
    const lateFile = await inserted;
    let answered = false;
    const rotation = rotate(h.owner, body).finally(() => (answered = true));
    // The rotation waits for a lock (or, without one, answers at once and fails below).
    await eventually(
      async () => ({ answered, waiting: (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db)).rows[0]?.n }),
      (state) => state.answered || state.waiting === 1,
    );
    release();
    await writer;
    const response = await rotation;
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().detail).toContain(lateFile);
  });
});
