import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, closeTestApp, type TestContext } from './helpers/app.ts';
import { homeOf } from './helpers/households.ts';
import { multipartBody, uploadParts } from './helpers/multipart.ts';
import { linkIn, startTestSmtp, type TestSmtp } from './helpers/smtp.ts';
import { PASSWORD, registerUser, type SignedIn, uniqueEmail } from './helpers/users.ts';
import { createZkClient, decryptBytes, encryptBytes, encryptField, newHouseholdKey, openEnvelope, wrapForMember, type ZkClient } from './helpers/zk-client.ts';

// Issue 16, item 6: two people and a zero-knowledge client each, over HTTP, a real SMTP server and
// files on disk. The server sees only ciphertext, wrapped keys and envelopes; every key below is
// made and opened by the client (WebCrypto), from the password and what the server stores.

let smtp: TestSmtp;
let t: TestContext;
let filesDir: string;

beforeAll(async () => {
  smtp = await startTestSmtp();
  filesDir = await mkdtemp(join(tmpdir(), 'umbra-zk-e2e-'));
  t = await buildTestApp(
    { SMTP_URL: smtp.url, MAIL_FROM: 'UMBRA Test <umbra@mail.test>', PUBLIC_URL: 'https://umbra.example.test', FILES_DIR: filesDir },
    { jobs: { retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 } },
  );
});
afterAll(async () => {
  await closeTestApp(t);
  await smtp.stop();
  await rm(filesDir, { recursive: true, force: true });
});

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
async function call(user: SignedIn, method: Method, url: string, payload?: unknown, status = 200) {
  const response = await t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
  return response;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** A client on a fresh device: the password and the server's copy of the keys unlock the private key. */
async function unlock(user: SignedIn, client: ZkClient) {
  return client.unlock((await call(user, 'GET', '/api/keys')).json(), PASSWORD);
}

/** The household key as a member's client gets it: their envelope, opened with their private key. */
async function householdKeyOf(user: SignedIn, client: ZkClient, hid: string): Promise<Uint8Array> {
  const envelope = (await call(user, 'GET', `/api/households/${hid}/keys/me`)).json();
  return openEnvelope(await unlock(user, client), envelope.encrypted_household_key);
}

/** A client-encrypted upload: a random file key encrypts the bytes, the household key wraps the file key. */
async function uploadEncrypted(user: SignedIn, url: string, householdKey: Uint8Array, plaintext: Uint8Array) {
  const fileKey = newHouseholdKey();
  const ciphertext = Buffer.from(await encryptBytes(fileKey, plaintext));
  const body = multipartBody(uploadParts(ciphertext, { filename: 'passport-scan.pdf', key: b64(await encryptBytes(householdKey, fileKey)) }));
  const response = await t.app.inject({ method: 'POST', url, headers: { ...user.headers, 'content-type': body.contentType }, payload: body.payload });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json()).toMatchObject({ encryption_version: 2, size: ciphertext.length });
  return { file: response.json<{ id: string; key: string }>(), fileKey };
}

describe('a zero-knowledge household, end to end', () => {
  it('A shares an encrypted file with B; after B is removed and the key rotated, a new file does not open with the key B had', async () => {
    // A registers and sets keys, then creates the household key for themselves (version 1).
    const alice = await registerUser(t.app, { display_name: 'Alice' });
    const aliceClient = await createZkClient(PASSWORD);
    await call(alice, 'PUT', '/api/keys', aliceClient.body);
    const hid = (await homeOf(t.app, alice)).id;
    const firstKey = newHouseholdKey();
    await call(alice, 'PUT', `/api/households/${hid}/keys/${alice.id}`, { encrypted_household_key: await wrapForMember(firstKey, aliceClient.body.public_key), key_version: 1 });

    // A invites B; B finds the token in the mail, registers, accepts and sets keys.
    const bobEmail = uniqueEmail('bob');
    await call(alice, 'POST', `/api/households/${hid}/invitations`, { email: bobEmail, role: 'member' }, 201);
    const [mail] = await smtp.waitFor(1, (candidate) => candidate.envelope.to.includes(bobEmail));
    if (!mail) throw new Error('no invitation mail');
    const token = linkIn(mail).searchParams.get('token');
    expect(token).toBeTruthy();
    const bob = await registerUser(t.app, { email: bobEmail, display_name: 'Bob' });
    await call(bob, 'POST', '/api/household-invitations/accept', { token });
    const bobClient = await createZkClient(PASSWORD);
    await call(bob, 'PUT', '/api/keys', bobClient.body);
    const members = (await call(alice, 'GET', `/api/households/${hid}/members`)).json().items as { user_id: string; has_key: boolean }[];
    expect(members.find((member) => member.user_id === bob.id)).toMatchObject({ has_key: false });

    // A confirms B: A's client opens its own envelope and wraps the household key for B's public key.
    const bobPublicKey = (await call(alice, 'GET', `/api/users/${bob.id}/public-key`)).json().public_key;
    expect(bobPublicKey).toBe(bobClient.body.public_key);
    const aliceView = await householdKeyOf(alice, aliceClient, hid);
    await call(alice, 'PUT', `/api/households/${hid}/keys/${bob.id}`, { encrypted_household_key: await wrapForMember(aliceView, bobPublicKey), key_version: 1 });

    // A creates an item with a client-encrypted number and uploads an encrypted scan to it.
    const holder = (await call(alice, 'POST', `/api/households/${hid}/people`, { name: 'Alice' }, 201)).json();
    const item = (
      await call(alice, 'POST', `/api/households/${hid}/items`, {
        category: 'identity',
        subcategory: 'passport',
        name: 'Passport',
        fields: { number: await encryptField(aliceView, 'P-7654321'), holder: holder.id, expiry_date: '2031-01-01' },
      }, 201)
    ).json();
    const filesUrl = `/api/households/${hid}/items/${item.id}/files`;
    const scan = new Uint8Array(randomBytes(150_000));
    const { file } = await uploadEncrypted(alice, filesUrl, aliceView, scan);

    // B, on a fresh device: password -> user key -> private key -> envelope -> household key -> file key -> bytes.
    const bobKey = await householdKeyOf(bob, bobClient, hid);
    const meta = (await call(bob, 'GET', `${filesUrl}/${file.id}`)).json();
    const bobFileKey = await decryptBytes(bobKey, unb64(meta.key));
    const download = await call(bob, 'GET', `${filesUrl}/${file.id}/content`);
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(await decryptBytes(bobFileKey, new Uint8Array(download.rawPayload))).toEqual(scan);

    // A removes B (B's envelope goes with the membership) and rotates the household key.
    await call(alice, 'DELETE', `/api/households/${hid}/members/${bob.id}`, undefined, 204);
    await call(bob, 'GET', `/api/households/${hid}/keys/me`, undefined, 404);
    const newKey = newHouseholdKey();
    const oldFileKey = await decryptBytes(aliceView, unb64((await call(alice, 'GET', `${filesUrl}/${file.id}`)).json().key));
    const current = (await call(alice, 'GET', `/api/households/${hid}/items/${item.id}`)).json();
    const number = new TextDecoder().decode(await decryptBytes(aliceView, unb64(String(current.fields.number).slice(4))));
    const rotated = await call(alice, 'POST', `/api/households/${hid}/keys/rotate`, {
      key_version: 2,
      envelopes: [{ user_id: alice.id, encrypted_household_key: await wrapForMember(newKey, aliceClient.body.public_key) }],
      files: [{ id: file.id, key: b64(await encryptBytes(newKey, oldFileKey)) }],
      fields: [{ item_id: item.id, field: 'number', value: await encryptField(newKey, number) }],
    });
    expect(rotated.json()).toEqual({ key_version: 2, envelopes: 1, files: 1, fields: 1 });
    expect(await householdKeyOf(alice, aliceClient, hid)).toEqual(newKey);

    // A file uploaded after the rotation: its key, as stored, does not open with the key B had.
    const later = new Uint8Array(randomBytes(40_000));
    const { file: laterFile, fileKey: laterFileKey } = await uploadEncrypted(alice, filesUrl, newKey, later);
    const stored = await t.testDatabase.database.db.selectFrom('item_files').select(['id', 'client_key']).where('household_id', '=', hid).orderBy('created_at').execute();
    expect(stored.map((row) => row.id)).toEqual([file.id, laterFile.id]);
    for (const row of stored) await expect(decryptBytes(bobKey, unb64(row.client_key ?? ''))).rejects.toThrow();
    // Nor does the re-keyed old file, nor the re-encrypted number; the new key opens all of them.
    const rotatedItem = (await call(alice, 'GET', `/api/households/${hid}/items/${item.id}`)).json();
    await expect(decryptBytes(bobKey, unb64(String(rotatedItem.fields.number).slice(4)))).rejects.toThrow();
    expect(new TextDecoder().decode(await decryptBytes(newKey, unb64(String(rotatedItem.fields.number).slice(4))))).toBe('P-7654321');
    expect(await decryptBytes(newKey, unb64(stored[1]?.client_key ?? ''))).toEqual(laterFileKey);
    const laterDownload = await call(alice, 'GET', `${filesUrl}/${laterFile.id}/content`);
    expect(await decryptBytes(laterFileKey, new Uint8Array(laterDownload.rawPayload))).toEqual(later);
    // And B, no longer a member, reaches none of it.
    await call(bob, 'GET', `${filesUrl}/${laterFile.id}/content`, undefined, 404);
  });
});
