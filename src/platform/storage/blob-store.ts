import type { Readable } from 'node:stream';

/**
 * Where file bytes live: a directory (disk-store.ts) or an S3-compatible bucket (s3-store.ts).
 * Every method streams; none holds a whole file in memory.
 *
 * Keys are chosen by the server, never by a client: exactly two segments `<group>/<name>`, each
 * 1..64 of [a-z0-9-] starting with a letter or digit (e.g. `<household id>/<random uuid>`). The
 * fixed depth means a key can never be a directory of another key on disk, and no key can name
 * `..`, an absolute path or a hidden file.
 */
export type BlobStore = {
  readonly kind: 'disk' | 's3';
  /**
   * Stores the stream under `key` (replacing what was there) and resolves with its size once the
   * bytes are durable. Nothing stays behind when it fails: a source stream that errors rejects
   * with that error; a storage failure rejects with StorageUnavailableError.
   */
  put(key: string, stream: Readable): Promise<{ size: number }>;
  /** A stream of the stored bytes; BlobNotFoundError before any byte when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes the object; removing one that is not there succeeds. */
  delete(key: string): Promise<void>;
  /** Every stored object whose key starts with `prefix`, in key order (for a sweeper of strays). */
  list(prefix?: string): AsyncIterable<StoredBlob>;
  /** Resolves when the storage can be written now (readiness); StorageUnavailableError otherwise. */
  ping(): Promise<void>;
  /**
   * Removes what interrupted uploads left (disk: temporary files; S3: nothing, see README) and not
   * touched since `olderThan`; resolves with how many. The cutoff must lie further back than the
   * longest upload takes.
   */
  removeAbandonedUploads(olderThan: Date): Promise<number>;
  close(): Promise<void>;
};

export type StoredBlob = { key: string; lastModified: Date; size: number };

const SEGMENT = '[a-z0-9][a-z0-9-]{0,63}';
const BLOB_KEY = new RegExp(`^${SEGMENT}/${SEGMENT}$`);
const BLOB_PREFIX = /^[a-z0-9-]*(?:\/[a-z0-9-]*)?$/;

export class InvalidBlobKeyError extends TypeError {
  override name = 'InvalidBlobKeyError';
}

export function isBlobKey(key: string): boolean {
  return BLOB_KEY.test(key);
}

export function assertBlobKey(key: string): void {
  if (!BLOB_KEY.test(key)) throw new InvalidBlobKeyError(`Not a storage key (<group>/<name> of [a-z0-9-]): ${JSON.stringify(key)}`);
}

export function assertBlobPrefix(prefix: string): void {
  if (!BLOB_PREFIX.test(prefix)) throw new InvalidBlobKeyError(`Not a storage key prefix: ${JSON.stringify(prefix)}`);
}
