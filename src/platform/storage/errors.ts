import createError from '@fastify/error';

/**
 * The storage does not answer or refuses to write (disk read-only or full, S3 down, timed out,
 * misconfigured). Routes let it through: the problem handler answers 503 and logs the cause.
 */
export const StorageUnavailableError = createError<'UMBRA_STORAGE_UNAVAILABLE', 503, [options?: { cause?: unknown }]>(
  'UMBRA_STORAGE_UNAVAILABLE',
  'The file storage is unavailable; try again shortly',
  503,
);

/**
 * No object under the key. For a key a file row names this is an inconsistency, not a client
 * error, so it carries no status: left alone it becomes a logged 500.
 */
export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  readonly key: string;

  constructor(key: string) {
    super(`No stored object under ${key}`);
    this.key = key;
  }
}
