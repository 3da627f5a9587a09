import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlobStore, InvalidBlobKeyError } from '../../src/platform/storage/blob-store.ts';
import { BlobNotFoundError, StorageUnavailableError } from '../../src/platform/storage/errors.ts';

export type StoreUnderTest = {
  store: BlobStore;
  /** Makes the storage refuse to work (S3 stopped, disk read-only) until repair. */
  breakStorage: () => Promise<void>;
  repairStorage: () => Promise<void>;
  cleanup: () => Promise<void>;
};

const MiB = 1024 * 1024;

/** `size` random bytes in 64 KiB chunks, generated as they are read (never one buffer). */
export function randomStream(size: number, failAfter?: number): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let produced = 0;
  const stream = Readable.from(
    (function* () {
      while (produced < size) {
        if (failAfter !== undefined && produced >= failAfter) throw new Error('source broke');
        const chunk = randomBytes(Math.min(64 * 1024, size - produced));
        produced += chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  return { stream, sha256: () => hash.digest('hex') };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    hash.update(bytes);
  }
  return { sha256: hash.digest('hex'), size };
}

export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

async function keysOf(store: BlobStore, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const blob of store.list(prefix)) keys.push(blob.key);
  return keys;
}

/** The behaviour every BlobStore must have, run against each implementation. */
export function blobStoreContract(name: string, setup: () => Promise<StoreUnderTest>) {
  describe(`${name}: the BlobStore contract`, () => {
    let subject: StoreUnderTest;
    const store = () => subject.store;
    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject.cleanup();
    });

    it.each([
      ['0 B', 0],
      ['1 B', 1],
      ['6 MiB + 123 B (several parts)', 6 * MiB + 123],
    ])('round-trips %s byte for byte', async (_label, size) => {
      const key = `roundtrip/size-${size}`;
      const source = randomStream(size);
      expect(await store().put(key, source.stream)).toEqual({ size });
      expect(await sha256Of(await store().get(key))).toEqual({ sha256: source.sha256(), size });
    });

    it('put replaces what was stored under the key', async () => {
      await store().put('replace/one', Readable.from([Buffer.from('first version')]));
      await store().put('replace/one', Readable.from([Buffer.from('second')]));
      expect((await readAll(await store().get('replace/one'))).toString()).toBe('second');
    });

    it('get of a missing key is BlobNotFoundError, not an outage', async () => {
      const error = await failure(store().get('missing/never-stored'));
      expect(error).toBeInstanceOf(BlobNotFoundError);
      expect(error).not.toBeInstanceOf(StorageUnavailableError);
    });

    it('delete removes the object and is idempotent', async () => {
      await store().put('delete/one', Readable.from([Buffer.from('bytes')]));
      await store().delete('delete/one');
      expect(await failure(store().get('delete/one'))).toBeInstanceOf(BlobNotFoundError);
      await store().delete('delete/one');
      await store().delete('delete/never-existed');
      expect(await keysOf(store(), 'delete/')).toEqual([]);
    });

    it('lists by prefix, in key order, with size and time, across pages', async () => {
      const before = Date.now() - 2_000; // some stores keep whole seconds
      const keys = ['list-a/3', 'list-a/1', 'list-a/2', 'list-a/5', 'list-a/4', 'list-ab/1', 'list-b/1'];
      for (const key of keys) await store().put(key, Readable.from([Buffer.from(`content of ${key}`)]));

      expect(await keysOf(store(), 'list-a/')).toEqual(['list-a/1', 'list-a/2', 'list-a/3', 'list-a/4', 'list-a/5']);
      expect(await keysOf(store(), 'list-a')).toEqual(['list-a/1', 'list-a/2', 'list-a/3', 'list-a/4', 'list-a/5', 'list-ab/1']);
      expect(await keysOf(store(), 'list-a/3')).toEqual(['list-a/3']);
      expect(await keysOf(store(), 'list-none/')).toEqual([]);
      const all = await keysOf(store());
      for (const key of keys) expect(all).toContain(key);
      expect(all).toEqual([...all].sort());

      for await (const blob of store().list('list-b/')) {
        expect(blob.size).toBe('content of list-b/1'.length);
        expect(blob.lastModified).toBeInstanceOf(Date);
        expect(blob.lastModified.getTime()).toBeGreaterThanOrEqual(before);
        expect(blob.lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 2_000);
      }
    });

    it.each([
      ['early (one part)', 200 * 1024],
      ['after several parts went out', 11 * MiB],
    ])('a source that errors %s rejects with its error and leaves no object', async (_label, failAfter) => {
      const source = randomStream(20 * MiB, failAfter);
      const error = await failure(store().put('broken/upload', source.stream));
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ message: 'source broke' });
      expect(await failure(store().get('broken/upload'))).toBeInstanceOf(BlobNotFoundError);
      expect(await keysOf(store(), 'broken/')).toEqual([]);
    });

    it.each(['../x', 'a/../../b', '/etc/passwd', 'a', 'a/b/c', 'A/b', 'a/.b', '.tmp/x', 'a/b\0', 'a/-b', '', 'a/b/', `a/${'x'.repeat(65)}`])(
      'refuses the key %j on every call, and stores nothing',
      async (key) => {
        expect(await failure(store().put(key, Readable.from([Buffer.from('x')])))).toBeInstanceOf(InvalidBlobKeyError);
        expect(await failure(store().get(key))).toBeInstanceOf(InvalidBlobKeyError);
        expect(await failure(store().delete(key))).toBeInstanceOf(InvalidBlobKeyError);
      },
    );

    it('refuses a prefix that is not one of a key', () => {
      for (const prefix of ['../', 'a/b/c', 'A', '.tmp']) expect(() => store().list(prefix)).toThrow(InvalidBlobKeyError);
    });

    it('ping resolves while the storage works', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });

    it('storage down: put, delete and ping fail with StorageUnavailableError; afterwards it works again', async () => {
      await store().put('outage/kept', Readable.from([Buffer.from('kept')]));
      await subject.breakStorage();
      try {
        const put = await failure(store().put('outage/new', randomStream(100 * 1024).stream));
        expect(put).toBeInstanceOf(StorageUnavailableError);
        expect(put).toMatchObject({ statusCode: 503, code: 'UMBRA_STORAGE_UNAVAILABLE' });
        expect(await failure(store().delete('outage/kept'))).toBeInstanceOf(StorageUnavailableError);
        expect(await failure(store().ping())).toBeInstanceOf(StorageUnavailableError);
      } finally {
        await subject.repairStorage();
      }
      await store().ping();
      expect((await readAll(await store().get('outage/kept'))).toString()).toBe('kept');
      expect(await keysOf(store(), 'outage/')).toEqual(['outage/kept']);
    });
  });
}
