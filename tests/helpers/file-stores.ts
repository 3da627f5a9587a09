import { EventEmitter, once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '../../src/platform/storage/blob-store.ts';
import { createDiskStore } from '../../src/platform/storage/disk-store.ts';
import { createS3Store } from '../../src/platform/storage/s3-store.ts';
import { makeReadOnly, makeWritable } from './read-only-dir.ts';
import { startTestS3 } from './test-s3.ts';

// The two stores the file tests run on, within one `npm test`: a directory, and a local
// S3-compatible server (s3rver) spoken to over HTTP. Each test file gets its own of each.

export type FileStoreUnderTest = {
  store: BlobStore;
  /** The env that points a spawned server at the same storage. */
  env: Record<string, string>;
  /** Where the storage keeps an object's bytes on this machine (to flip one). */
  objectPath: (key: string) => string;
  /** Temporary files of interrupted uploads (disk) that are still there. */
  leftovers: () => Promise<string[]>;
  breakStorage: () => Promise<void>;
  repairStorage: () => Promise<void>;
  cleanup: () => Promise<void>;
};

async function diskStore(): Promise<FileStoreUnderTest> {
  const directory = await mkdtemp(join(tmpdir(), 'umbra-files-'));
  const filesDir = join(directory, 'files');
  return {
    store: createDiskStore({ directory: filesDir }),
    env: { FILES_DIR: filesDir },
    objectPath: (key) => join(filesDir, ...key.split('/')),
    leftovers: () => readdir(join(filesDir, '.tmp')).then((names) => names.filter((name) => name.endsWith('.part')), () => []),
    breakStorage: () => makeReadOnly(directory),
    repairStorage: () => makeWritable(directory),
    cleanup: async () => {
      await makeWritable(directory).catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function s3Store(): Promise<FileStoreUnderTest> {
  const s3 = await startTestS3();
  const store = createS3Store({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  return {
    store,
    env: s3.env,
    objectPath: s3.objectPath,
    leftovers: async () => [],
    breakStorage: s3.pause,
    repairStorage: s3.resume,
    cleanup: async () => {
      await store.close();
      await s3.stop();
    },
  };
}

export const FILE_STORES = [
  { name: 'disk', setup: diskStore },
  { name: 's3', setup: s3Store },
] as const;

/** Every key the store holds. */
export async function storedKeys(store: BlobStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const blob of store.list('')) keys.push(blob.key);
  return keys;
}

/**
 * The real store with two observation points for tests: an event when a put starts (the upload
 * is streaming into the store), and a step run after a put succeeded (a database failing then).
 */
export function observedStore(inner: BlobStore) {
  const events = new EventEmitter();
  let afterPut: (() => Promise<void>) | undefined;
  const store: BlobStore = {
    kind: inner.kind,
    put: async (key, stream) => {
      events.emit('put', key);
      const result = await inner.put(key, stream);
      await afterPut?.();
      return result;
    },
    get: (key) => inner.get(key),
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
    ping: () => inner.ping(),
    removeAbandonedUploads: (olderThan) => inner.removeAbandonedUploads(olderThan),
    close: async () => undefined,
  };
  return {
    store,
    nextPut: () => once(events, 'put').then(([key]) => String(key)),
    setAfterPut: (step: (() => Promise<void>) | undefined) => {
      afterPut = step;
    },
  };
}
