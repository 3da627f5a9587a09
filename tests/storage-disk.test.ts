import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiskStore } from '../src/platform/storage/disk-store.ts';
import { BlobNotFoundError, StorageUnavailableError } from '../src/platform/storage/errors.ts';
import { blobStoreContract, failure, randomStream, readAll } from './helpers/blob-store-contract.ts';
import { makeReadOnly, makeWritable } from './helpers/read-only-dir.ts';

blobStoreContract('disk', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'umbra-files-'));
  const store = createDiskStore({ directory: join(directory, 'files') });
  return {
    store,
    breakStorage: () => makeReadOnly(directory),
    repairStorage: () => makeWritable(directory),
    cleanup: () => rm(directory, { recursive: true, force: true }),
  };
});

describe('disk storage', () => {
  let directory: string;
  let files: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'umbra-files-'));
    files = join(directory, 'files');
  });
  afterEach(async () => {
    await makeWritable(directory).catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  });
  const temporaries = () => readdir(join(files, '.tmp')).catch(() => []);

  it('keeps each object as <FILES_DIR>/<group>/<name>, mode 0600, and no temporary file', async () => {
    const store = createDiskStore({ directory: files });
    await store.put('3f1e7c7a-8a44-4a55-9a5d-0c6f1f0b2a01/obj-1', Readable.from([Buffer.from('scan bytes')]));
    const path = join(files, '3f1e7c7a-8a44-4a55-9a5d-0c6f1f0b2a01', 'obj-1');
    expect(await readFile(path, 'utf8')).toBe('scan bytes');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await temporaries()).toEqual([]);
  });

  it('a source that errors midway leaves no temporary file behind', async () => {
    const store = createDiskStore({ directory: files });
    await failure(store.put('g/broken', randomStream(4 * 1024 * 1024, 1024 * 1024).stream));
    expect(await temporaries()).toEqual([]);
    expect(await readdir(join(files, 'g'))).toEqual([]);
  });

  it('a read-only directory fails the put with StorageUnavailableError and leaves nothing', async () => {
    const store = createDiskStore({ directory: files });
    await store.ping(); // creates the directories
    await makeReadOnly(directory);
    expect(await failure(store.put('g/new', Readable.from([Buffer.from('x')])))).toBeInstanceOf(StorageUnavailableError);
    await makeWritable(directory);
    expect(await temporaries()).toEqual([]);
    expect(await failure(store.get('g/new'))).toBeInstanceOf(BlobNotFoundError);
  });

  it('a FILES_DIR that is not a directory (a lost mount) is an outage for every call, not "not found"', async () => {
    await writeFile(files, 'not a directory');
    const store = createDiskStore({ directory: files });
    for (const call of [
      () => store.get('g/a'),
      () => store.put('g/a', Readable.from([Buffer.from('x')])),
      () => store.delete('g/a'),
      () => store.ping(),
      async () => {
        for await (const blob of store.list()) void blob;
      },
    ]) {
      expect(await failure(call())).toBeInstanceOf(StorageUnavailableError);
    }
  });

  it('list skips temporary files and anything that is not a key; the sweeper removes only old temporary files', async () => {
    const store = createDiskStore({ directory: files });
    await store.put('g/kept', Readable.from([Buffer.from('kept')]));
    await mkdir(join(files, '.tmp'), { recursive: true });
    await writeFile(join(files, '.tmp', 'old.part'), 'interrupted long ago');
    await writeFile(join(files, '.tmp', 'fresh.part'), 'an upload in progress');
    const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(files, '.tmp', 'old.part'), longAgo, longAgo);
    await writeFile(join(files, 'g', 'Not-A-Key.txt'), 'placed by hand');

    const listed: string[] = [];
    for await (const blob of store.list()) listed.push(blob.key);
    expect(listed).toEqual(['g/kept']);

    expect(await store.removeAbandonedUploads(new Date(Date.now() - 60 * 60 * 1000))).toBe(1);
    expect(await temporaries()).toEqual(['fresh.part']);
    expect((await readAll(await store.get('g/kept'))).toString()).toBe('kept');
  });

  it('an empty or missing FILES_DIR lists nothing and finds nothing', async () => {
    const store = createDiskStore({ directory: files });
    const listed: string[] = [];
    for await (const blob of store.list()) listed.push(blob.key);
    expect(listed).toEqual([]);
    expect(await failure(store.get('g/a'))).toBeInstanceOf(BlobNotFoundError);
    await store.delete('g/a');
  });
});
