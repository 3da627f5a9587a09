import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepStrayFiles } from '../src/modules/files/sweeper.ts';
import { buildTestApp, closeTestApp, type TestContext } from './helpers/app.ts';
import { eventually } from './helpers/eventually.ts';
import { FILE_STORES, type FileStoreUnderTest, observedStore, storedKeys } from './helpers/file-stores.ts';
import { type Household, householdWithEveryRole, homeOf } from './helpers/households.ts';
import { type FormPart, multipartBody, uploadParts } from './helpers/multipart.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';
import { vaultCalls } from './helpers/vault.ts';

const MAX = 300_000;
const QUOTA = 2_000_000;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(FILE_STORES)('files on $name', ({ setup }) => {
  let storage: FileStoreUnderTest;
  let observed: ReturnType<typeof observedStore>;
  let t: TestContext;
  let h: Household;
  let itemId: string;
  let baseUrl: string;
  const v = vaultCalls({ get app() { return t.app; } });
  const filesUrl = (hid = h.id, id = itemId) => `/api/households/${hid}/items/${id}/files`;

  const send = (user: SignedIn, method: 'POST' | 'PUT', url: string, parts: FormPart[], headers: Record<string, string> = {}) => {
    const body = multipartBody(parts);
    return t.app.inject({ method, url, headers: { ...user.headers, ...headers, 'content-type': body.contentType }, payload: body.payload });
  };
  const upload = (user: SignedIn, data: Buffer, options: Parameters<typeof uploadParts>[1] = {}, url = filesUrl()) => send(user, 'POST', url, uploadParts(data, options));
  const rows = () => t.testDatabase.database.db.selectFrom('item_files').select(['id', 'storage_key', 'size']).execute();
  /** The store holds exactly the objects the rows name, and no temporary files. */
  const expectConsistent = async () => {
    const named = (await rows()).map((row) => row.storage_key).sort();
    expect(await storedKeys(storage.store)).toEqual(named);
    expect(await storage.leftovers()).toEqual([]);
  };

  beforeAll(async () => {
    storage = await setup();
    observed = observedStore(storage.store);
    t = await buildTestApp({ FILE_MAX_BYTES: String(MAX), HOUSEHOLD_QUOTA_BYTES: String(QUOTA) }, { storage: observed.store });
    h = await householdWithEveryRole(t.app, t.testDatabase.database.db);
    itemId = (await v.passport(h.owner, h.id)).id;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeTestApp(t);
    await storage.cleanup();
  });

  it('stores a version-1 file encrypted at rest and gives back the same bytes, streamed', async () => {
    const data = randomBytes(150_000);
    const created = await upload(h.member, data, { filename: '../../etc/Pass\u0007port\u202e scan.pdf', contentType: 'application/pdf' });
    expect(created.statusCode, created.body).toBe(201);
    const file = created.json();
    expect(file).toMatchObject({
      filename: 'Passport scan.pdf',
      content_type: 'application/pdf',
      size: data.length,
      sha256: sha256(data),
      encryption_version: 1,
      key: null,
      uploaded_by: { id: h.member.id, display_name: 'member' },
      version: 1,
    });
    expect(created.headers.etag).toBe('"1"');
    // At rest: ciphertext of the same length, under a key the server chose.
    const [row] = await t.testDatabase.database.db.selectFrom('item_files').selectAll().where('id', '=', file.id).execute();
    expect(row?.storage_key).toMatch(new RegExp(`^${h.id}/[0-9a-f-]{36}$`));
    const atRest = await readFile(storage.objectPath(row?.storage_key ?? ''));
    expect(atRest.length).toBe(data.length);
    expect(atRest.equals(data)).toBe(false);
    expect(atRest.includes(data.subarray(0, 32))).toBe(false);
    expect(row?.iv?.length).toBe(12);
    expect(row?.tag?.length).toBe(16);

    const download = await t.app.inject({ method: 'GET', url: `${filesUrl()}/${file.id}/content`, headers: h.viewer.headers });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(data)).toBe(true);
    expect(download.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(data.length),
      'content-disposition': `attachment; filename="Passport scan.pdf"; filename*=UTF-8''Passport%20scan.pdf`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });

    const one = await t.app.inject({ method: 'GET', url: `${filesUrl()}/${file.id}`, headers: h.viewer.headers });
    expect(one.json()).toEqual(file);
    const list = await t.app.inject({ method: 'GET', url: filesUrl(), headers: h.viewer.headers });
    expect(list.json().items.map((entry: { id: string }) => entry.id)).toContain(file.id);
    const items = await t.app.inject({ method: 'GET', url: `/api/households/${h.id}/items`, headers: h.viewer.headers });
    expect(items.json().items.find((item: { id: string }) => item.id === itemId).file_count).toBe(list.json().total);
    await expectConsistent();
  });

  it('stores a version-2 file and its key as sent and serves it as application/octet-stream', async () => {
    const ciphertext = randomBytes(20_000);
    const created = await upload(h.owner, ciphertext, { key: 'wrapped-file-key-base64==', filename: 'Visum Müller (2027).pdf', contentType: 'application/pdf' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ encryption_version: 2, key: 'wrapped-file-key-base64==', size: ciphertext.length, sha256: sha256(ciphertext) });
    const [row] = await t.testDatabase.database.db.selectFrom('item_files').selectAll().where('id', '=', created.json().id).execute();
    expect((await readFile(storage.objectPath(row?.storage_key ?? ''))).equals(ciphertext)).toBe(true);
    const download = await t.app.inject({ method: 'GET', url: `${filesUrl()}/${created.json().id}/content`, headers: h.owner.headers });
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="Visum M_ller (2027).pdf"; filename*=UTF-8''Visum%20M%C3%BCller%20%282027%29.pdf`);
    expect(download.rawPayload.equals(ciphertext)).toBe(true);
  });

  it('refuses malformed uploads with a 4xx and stores nothing', async () => {
    const before = await storedKeys(storage.store);
    const data = randomBytes(1000);
    const file: FormPart = { name: 'file', filename: 'a.pdf', data };
    const cases: Array<[FormPart[], number, string]> = [
      [[{ name: 'encryption_version', value: '2' }, file], 400, 'key'],
      [[{ name: 'key', value: 'k' }, file], 400, 'key'],
      [[file, { name: 'encryption_version', value: '2' }, { name: 'key', value: 'k' }], 400, 'before the file part'],
      [[{ name: 'colour', value: 'red' }, file], 400, 'colour'],
      [[{ name: 'document', filename: 'a.pdf', data }], 400, 'document'],
      [[{ name: 'encryption_version', value: '3' }, file], 400, 'encryption_version'],
      [[], 400, 'file'],
      [[file, { ...file }], 413, ''],
    ];
    for (const [parts, status, mention] of cases) {
      const response = await send(h.owner, 'POST', filesUrl(), parts);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toContain(mention);
    }
    const json = await t.app.inject({ method: 'POST', url: filesUrl(), headers: h.owner.headers, payload: { file: 'not multipart' } });
    expect(json.statusCode).toBe(415);
    expect(await storedKeys(storage.store)).toEqual(before);
    await expectConsistent();
  });

  it('takes a file of exactly FILE_MAX_BYTES and refuses one byte more with a 413, storing nothing', async () => {
    const fits = await upload(h.owner, randomBytes(MAX));
    expect(fits.statusCode, fits.body).toBe(201);
    const before = await storedKeys(storage.store);
    const tooLarge = await upload(h.owner, randomBytes(MAX + 1));
    expect(tooLarge.statusCode, tooLarge.body).toBe(413);
    expect(tooLarge.json()).toMatchObject({ code: 'UMBRA_FILE_TOO_LARGE' });
    expect(tooLarge.json().detail).toContain('FILE_MAX_BYTES');
    expect(await storedKeys(storage.store)).toEqual(before);
    await t.app.inject({ method: 'DELETE', url: `${filesUrl()}/${fits.json().id}`, headers: h.owner.headers });
    await expectConsistent();
  });

  it('keeps a household within HOUSEHOLD_QUOTA_BYTES: the upload that would pass it is a 413', async () => {
    const user = await registerUser(t.app);
    const home = await homeOf(t.app, user);
    const item = await v.item(user, home.id, { category: 'other', subcategory: 'document', name: 'Papers' });
    const url = filesUrl(home.id, item.id);
    for (let i = 0; i < 6; i++) expect((await upload(user, randomBytes(MAX), {}, url)).statusCode).toBe(201);
    const before = await storedKeys(storage.store);
    const over = await upload(user, randomBytes(QUOTA - 6 * MAX + 1), {}, url);
    expect(over.statusCode, over.body).toBe(413);
    expect(over.json()).toMatchObject({ code: 'UMBRA_QUOTA_EXCEEDED' });
    expect(await storedKeys(storage.store)).toEqual(before);
    // Two concurrent uploads that each fit what is left, but not together: exactly one is stored.
    const left = QUOTA - 6 * MAX;
    const pair = await Promise.all([upload(user, randomBytes(left * 0.75), {}, url), upload(user, randomBytes(left * 0.75), {}, url)]);
    expect(pair.map((response) => response.statusCode).sort()).toEqual([201, 413]);
    expect((await upload(user, randomBytes(left * 0.25), {}, url)).statusCode).toBe(201);
    expect((await upload(user, Buffer.from('x'), {}, url)).statusCode).toBe(413);
    // Another household is not held to this one's total.
    expect((await upload(h.owner, Buffer.from('ok'))).statusCode).toBe(201);
    await expectConsistent();
  });

  it('lets viewers read and download, refuses them every write (403), and strangers learn nothing (404)', async () => {
    const file = (await upload(h.admin, Buffer.from('shared bytes'))).json();
    const one = `${filesUrl()}/${file.id}`;
    for (const url of [filesUrl(), one, `${one}/content`]) {
      expect((await t.app.inject({ method: 'GET', url, headers: h.viewer.headers })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url, headers: h.stranger.headers })).statusCode).toBe(404);
    }
    const refused = await upload(h.viewer, Buffer.from('nope'));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('files');
    expect((await send(h.viewer, 'PUT', `${one}/content`, uploadParts(Buffer.from('nope')))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: one, headers: h.viewer.headers })).statusCode).toBe(403);
    expect((await upload(h.stranger, Buffer.from('nope'))).statusCode).toBe(404);
    // The stranger's own household, with this household's item and file ids: 404 too.
    const theirs = await homeOf(t.app, h.stranger);
    expect((await t.app.inject({ method: 'GET', url: `${filesUrl(theirs.id)}/${file.id}/content`, headers: h.stranger.headers })).statusCode).toBe(404);
    expect((await upload(h.stranger, Buffer.from('nope'), {}, filesUrl(theirs.id))).statusCode).toBe(404);
    await expectConsistent();
  });

  it('moves a version-1 file to version 2 with PUT .../content: new bytes first, old bytes gone after the commit', async () => {
    const file = (await upload(h.member, randomBytes(5000))).json();
    const url = `${filesUrl()}/${file.id}/content`;
    const oldKey = (await rows()).find((row) => row.id === file.id)?.storage_key;
    const stale = await send(h.member, 'PUT', url, uploadParts(randomBytes(10), { key: 'k2' }), { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    const ciphertext = randomBytes(6000);
    const moved = await send(h.member, 'PUT', url, uploadParts(ciphertext, { key: 'client-key-v2', filename: 'scan.bin' }), { 'if-match': '"1"' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: file.id, encryption_version: 2, key: 'client-key-v2', size: 6000, sha256: sha256(ciphertext), version: 2, filename: 'scan.bin' });
    expect(moved.headers.etag).toBe('"2"');
    const newKey = (await rows()).find((row) => row.id === file.id)?.storage_key;
    expect(newKey).not.toBe(oldKey);
    expect(await storedKeys(storage.store)).not.toContain(oldKey);
    const download = await t.app.inject({ method: 'GET', url, headers: h.member.headers });
    expect(download.rawPayload.equals(ciphertext)).toBe(true);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    await expectConsistent();
  });

  it('deletes the row and then the bytes, and audits upload, replace, download and delete without keys', async () => {
    const file = (await upload(h.member, Buffer.from('to be deleted'))).json();
    const one = `${filesUrl()}/${file.id}`;
    await send(h.member, 'PUT', `${one}/content`, uploadParts(Buffer.from('replaced')));
    await t.app.inject({ method: 'GET', url: `${one}/content`, headers: h.member.headers });
    expect((await t.app.inject({ method: 'DELETE', url: one, headers: { ...h.member.headers, 'if-match': '"1"' } })).statusCode).toBe(412);
    expect((await t.app.inject({ method: 'DELETE', url: one, headers: h.member.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: one, headers: h.member.headers })).statusCode).toBe(404);
    await expectConsistent();
    const audit = await t.app.inject({ method: 'GET', url: `/api/households/${h.id}/audit?limit=200`, headers: h.owner.headers });
    const entries = audit.json().items.filter((entry: { target: { id: string } | null }) => entry.target?.id === file.id);
    expect(entries.map((entry: { action: string }) => entry.action).sort()).toEqual(['file.deleted', 'file.downloaded', 'file.replaced', 'file.uploaded']);
    expect(JSON.stringify(entries)).not.toMatch(/wrapped|storage_key|"v1\./);
  });

  it('never completes a download of a tampered object: a flipped stored byte cuts the stream or answers 500', async () => {
    const large = randomBytes(200_000);
    const small = randomBytes(1000);
    const bigFile = (await upload(h.owner, large)).json();
    const smallFile = (await upload(h.owner, small)).json();
    for (const file of [bigFile, smallFile]) {
      const key = (await rows()).find((row) => row.id === file.id)?.storage_key ?? '';
      const path = storage.objectPath(key);
      const bytes = await readFile(path);
      bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
      await writeFile(path, bytes);
    }
    const bigResponse = await fetch(`${baseUrl}${filesUrl()}/${bigFile.id}/content`, { headers: h.owner.headers });
    expect(bigResponse.status).toBe(200);
    await expect(bigResponse.arrayBuffer()).rejects.toThrow();
    const smallResponse = await fetch(`${baseUrl}${filesUrl()}/${smallFile.id}/content`, { headers: h.owner.headers });
    expect(smallResponse.status).toBe(500);
    expect(await smallResponse.text()).not.toContain(small.subarray(0, 16).toString('latin1'));
  });

  it('removes the bytes of an upload the client cut off mid-stream (socket closed)', async () => {
    const before = await storedKeys(storage.store);
    const boundary = 'cut-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `POST ${filesUrl()} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${h.owner.cookie}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + 250_000}\r\n\r\n`,
    );
    const putStarted = observed.nextPut();
    socket.write(head);
    socket.write(randomBytes(100_000));
    await putStarted;
    socket.destroy();
    await eventually(
      async () => ({ keys: await storedKeys(storage.store), leftovers: await storage.leftovers() }),
      (state) => state.leftovers.length === 0 && state.keys.length === before.length,
    );
    await expectConsistent();
  });

  it('answers 503 and stores nothing while the storage is down; a failed delete leaves bytes the sweeper removes later', async () => {
    const kept = (await upload(h.owner, Buffer.from('delete me while storage is down'))).json();
    const keptKey = (await rows()).find((row) => row.id === kept.id)?.storage_key ?? '';
    const rowsBefore = (await rows()).length;
    await storage.breakStorage();
    try {
      const refused = await upload(h.owner, randomBytes(50_000));
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.json()).toMatchObject({ code: 'UMBRA_STORAGE_UNAVAILABLE' });
      expect((await rows()).length).toBe(rowsBefore);
      // A stopped S3 answers nothing; a read-only disk still reads.
      const download = await t.app.inject({ method: 'GET', url: `${filesUrl()}/${kept.id}/content`, headers: h.owner.headers });
      expect(download.statusCode).toBe(storage.store.kind === 's3' ? 503 : 200);
      // The row goes (the delete is committed); the bytes cannot, yet.
      expect((await t.app.inject({ method: 'DELETE', url: `${filesUrl()}/${kept.id}`, headers: h.owner.headers })).statusCode).toBe(204);
    } finally {
      await storage.repairStorage();
    }
    expect(await storedKeys(storage.store)).toContain(keptKey);
    const swept = await sweepStrayFiles({ db: t.testDatabase.database.db, store: storage.store }, new Date(Date.now() + 60_000));
    expect(swept.removed).toBe(1);
    await expectConsistent();
  });

  it('the sweeper removes only objects no row names, and only past the grace period', async () => {
    const named = (await upload(h.owner, Buffer.from('named'))).json();
    const { Readable } = await import('node:stream');
    const stray = `${h.id}/00000000-0000-4000-8000-000000000001`;
    await storage.store.put(stray, Readable.from([Buffer.from('stray bytes')]));
    const db = t.testDatabase.database.db;
    expect((await sweepStrayFiles({ db, store: storage.store }, new Date(Date.now() - 3_600_000))).removed).toBe(0);
    expect(await storedKeys(storage.store)).toContain(stray);
    expect((await sweepStrayFiles({ db, store: storage.store }, new Date(Date.now() + 60_000))).removed).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: `${filesUrl()}/${named.id}/content`, headers: h.owner.headers })).body).toBe('named');
    await expectConsistent();
  });

  it('removes the stored bytes when the database fails after they were stored', async () => {
    const failing = observedStore(storage.store);
    const other = await buildTestApp({}, { storage: failing.store });
    try {
      const user = await registerUser(other.app);
      const home = await homeOf(other.app, user);
      const item = await vaultCalls({ app: other.app }).item(user, home.id, { category: 'other', subcategory: 'document', name: 'Papers' });
      const before = await storedKeys(storage.store);
      let storedKey = '';
      failing.setAfterPut(async () => {
        storedKey = (await storedKeys(storage.store)).find((key) => !before.includes(key)) ?? '';
        await other.testDatabase.kill();
      });
      const body = multipartBody(uploadParts(randomBytes(40_000)));
      const response = await other.app.inject({
        method: 'POST',
        url: filesUrl(home.id, item.id),
        headers: { ...user.headers, 'content-type': body.contentType },
        payload: body.payload,
      });
      expect(response.statusCode, response.body).toBe(503);
      expect(storedKey, 'the bytes were stored before the database failed').toMatch(new RegExp(`^${home.id}/`));
      expect(await storedKeys(storage.store)).toEqual(before);
    } finally {
      await other.app.close().catch(() => undefined);
      await other.testDatabase.drop().catch(() => undefined);
    }
  });
});
