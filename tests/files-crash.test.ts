import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/platform/db/create-db.ts';
import { eventually } from './helpers/eventually.ts';
import { FILE_STORES, type FileStoreUnderTest, storedKeys } from './helpers/file-stores.ts';
import { serverDatabaseEnv, startServerProcess } from './helpers/server-process.ts';
import { PASSWORD, uniqueEmail } from './helpers/users.ts';

// kill -9 lands in a burst of uploads: some committed, some streaming into the store, some with
// their bytes stored and the row not yet committed. After a restart (whose start-up sweep runs
// with no grace period) every row has its bytes and every stored object has its row.
const UPLOADS = 12;
const SIZE = 1024 * 1024;

describe.each(FILE_STORES)('kill -9 during a burst of uploads, files on $name', ({ setup }) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('leaves every row with its bytes and every object with its row after the restart sweep', async () => {
    const storage: FileStoreUnderTest = await setup();
    cleanups.push(storage.cleanup);
    const database = await serverDatabaseEnv();
    cleanups.push(database.cleanup);
    const env = { ...database.env, ...storage.env };
    const first = await startServerProcess(env);
    cleanups.push(async () => void first.child.kill('SIGKILL'));

    const registered = await fetch(`${first.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail('burst'), password: PASSWORD }),
    });
    const cookie = (registered.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const json = { cookie, 'content-type': 'application/json' };
    const home = ((await (await fetch(`${first.baseUrl}/api/households`, { headers: { cookie } })).json()) as { items: Array<{ id: string }> }).items[0];
    const item = (await (
      await fetch(`${first.baseUrl}/api/households/${home?.id}/items`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ category: 'other', subcategory: 'document', name: 'Scans' }),
      })
    ).json()) as { id: string };
    const filesPath = `/api/households/${home?.id}/items/${item.id}/files`;

    const outcomes = Array.from({ length: UPLOADS }, () => {
      const form = new FormData();
      form.append('file', new Blob([randomBytes(SIZE)], { type: 'application/octet-stream' }), 'scan.bin');
      return fetch(`${first.baseUrl}${filesPath}`, { method: 'POST', headers: { cookie }, body: form }).then(
        (response) => response.status,
        () => 'cut off' as const,
      );
    });
    let completed = 0;
    for (const outcome of outcomes) void outcome.then((status) => status === 201 && completed++);
    for (let waited = 0; completed < 2 && waited < 30_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill('SIGKILL');
    const statuses = await Promise.all(outcomes);
    expect(await first.exited).toBeNull();
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 'cut off').length, 'uploads in flight when the process died').toBeGreaterThan(0);

    // The restart's sweep runs at start; with no grace period it takes every stray object.
    const second = await startServerProcess({ ...env, FILES_SWEEP_GRACE_SECONDS: '0' });
    cleanups.push(async () => void second.child.kill('SIGKILL'));
    type Listed = { total: number; items: Array<{ id: string; sha256: string; size: number }> };
    const list = async () => (await (await fetch(`${second.baseUrl}${filesPath}?limit=200`, { headers: { cookie } })).json()) as Listed;
    const files = await list();
    expect(files.total).toBeGreaterThanOrEqual(statuses.filter((status) => status === 201).length);
    await eventually(
      async () => ({ objects: (await storedKeys(storage.store)).length, leftovers: (await storage.leftovers()).length }),
      (state) => state.objects === files.total && state.leftovers === 0,
      30_000,
    );
    for (const file of files.items) {
      const content = Buffer.from(await (await fetch(`${second.baseUrl}${filesPath}/${file.id}/content`, { headers: { cookie } })).arrayBuffer());
      expect(content.length).toBe(SIZE);
      expect(createHash('sha256').update(content).digest('hex')).toBe(file.sha256);
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // Exactly the objects the rows name.
    const { db } = await createDb({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR ?? '' });
    try {
      const rows = await db.selectFrom('item_files').select('storage_key').orderBy('storage_key').execute();
      expect(await storedKeys(storage.store)).toEqual(rows.map((row) => row.storage_key));
    } finally {
      await db.destroy();
    }
  }, 180_000);
});
