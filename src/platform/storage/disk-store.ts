import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, assertBlobPrefix, type BlobStore, isBlobKey, type StoredBlob } from './blob-store.ts';
import { BlobNotFoundError, StorageUnavailableError } from './errors.ts';

/** Uploads in progress; a leading dot is never a key segment, so listing cannot see them. */
const TEMPORARY_DIR = '.tmp';

/**
 * Objects as files `<directory>/<group>/<name>`. A put writes a temporary file under
 * `<directory>/.tmp/` (same file system), fsyncs it, renames it into place and fsyncs the
 * directory, so a crash leaves either the whole object or none; the temporary file of a failed
 * put is removed at once, one a crash left behind by removeAbandonedUploads.
 *
 * ENOENT means "not there"; every other file system error (read-only, full, I/O, not a
 * directory) means the storage is unavailable.
 */
export function createDiskStore({ directory }: { directory: string }): BlobStore {
  const root = resolve(directory);
  const temporaryDir = join(root, TEMPORARY_DIR);
  const pathOf = (key: string) => join(root, ...key.split('/'));

  return {
    kind: 'disk',

    async put(key, stream) {
      assertBlobKey(key);
      const [group = ''] = key.split('/');
      const createdGroup = await storage(() => mkdir(join(root, group), { recursive: true }));
      await storage(() => mkdir(temporaryDir, { recursive: true }));
      const temporary = join(temporaryDir, `${randomUUID()}.part`);
      let stored = false;
      try {
        // flush: the file is fsynced before its descriptor closes, and pipeline waits for that.
        const out = createWriteStream(temporary, { flags: 'wx', mode: 0o600, flush: true });
        // Which side failed first decides the error: the file system's is a 503, the source's stays
        // the caller's. These listeners run before pipeline's own, and pipeline passes the first
        // error on to the other stream only later, so the first to fire is where it began.
        let failedFirst: 'source' | 'storage' | undefined;
        const sourceFailed = () => (failedFirst ??= 'source');
        stream.once('error', sourceFailed);
        out.once('error', () => (failedFirst ??= 'storage'));
        try {
          await pipeline(stream, out);
        } catch (error) {
          if (failedFirst === 'storage') throw new StorageUnavailableError({ cause: error });
          throw error;
        } finally {
          stream.off('error', sourceFailed);
        }
        await storage(() => rename(temporary, pathOf(key)));
        stored = true;
        await storage(() => syncDirectory(join(root, group)));
        if (createdGroup !== undefined) await storage(() => syncDirectory(root));
        return { size: out.bytesWritten };
      } finally {
        if (!stored) await rm(temporary, { force: true }).catch(() => undefined);
      }
    },

    async get(key) {
      assertBlobKey(key);
      try {
        const handle = await open(pathOf(key), 'r');
        return handle.createReadStream();
      } catch (error) {
        if (errorCode(error) === 'ENOENT') throw new BlobNotFoundError(key);
        throw new StorageUnavailableError({ cause: error });
      }
    },

    async delete(key) {
      assertBlobKey(key);
      try {
        await unlink(pathOf(key));
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw new StorageUnavailableError({ cause: error });
      }
    },

    list(prefix = '') {
      assertBlobPrefix(prefix);
      return listFiles(root, prefix);
    },

    async ping() {
      await storage(async () => {
        await mkdir(temporaryDir, { recursive: true });
        const probe = join(temporaryDir, `ping-${randomUUID()}`);
        const handle = await open(probe, 'wx', 0o600);
        try {
          await handle.writeFile('ok');
        } finally {
          await handle.close();
          await rm(probe, { force: true });
        }
      });
    },

    async removeAbandonedUploads(olderThan) {
      const names = await storage(() => readdir(temporaryDir).catch(absentAs<string[]>([])));
      let removed = 0;
      for (const name of names) {
        const path = join(temporaryDir, name);
        const info = await storage(() => stat(path).catch(absentAs(undefined)));
        if (info && info.mtime < olderThan) {
          await storage(() => rm(path, { force: true }));
          removed++;
        }
      }
      return removed;
    },

    async close() {},
  };
}

async function* listFiles(root: string, prefix: string): AsyncGenerator<StoredBlob> {
  const groups = (await storage(() => readdir(root).catch(absentAs<string[]>([])))).sort();
  for (const group of groups) {
    // Enter a group only when keys in it can start with the prefix.
    const reachable = prefix.length <= group.length ? group.startsWith(prefix) : prefix.startsWith(`${group}/`);
    if (!reachable || group.startsWith('.')) continue;
    const names = (await storage(() => readdir(join(root, group)).catch(absentAs<string[]>([])))).sort();
    for (const name of names) {
      const key = `${group}/${name}`;
      if (!isBlobKey(key) || !key.startsWith(prefix)) continue;
      const info = await storage(() => stat(join(root, group, name)).catch(absentAs(undefined)));
      if (info?.isFile()) yield { key, lastModified: info.mtime, size: info.size };
    }
  }
}

/** Runs a file system step; any failure of it is the storage's, hence a 503. */
async function storage<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof StorageUnavailableError) throw error;
    throw new StorageUnavailableError({ cause: error });
  }
}

/** For `.catch`: a path that vanished meanwhile (a concurrent delete) counts as absent. */
function absentAs<T>(value: T) {
  return (error: unknown): T => {
    if (errorCode(error) === 'ENOENT') return value;
    throw error;
  };
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}
