import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import type { BlobStore } from './blob-store.ts';
import { createDiskStore } from './disk-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where file bytes live: FILES_DIR, or the S3 bucket when S3_BUCKET is set. */
    storage: BlobStore;
    /** True when the storage answers (and takes writes) within the timeout, for /readyz. */
    isStorageReady: (timeoutMs?: number) => Promise<boolean>;
  }
}

export type StoragePluginOptions = {
  config: Pick<Config, 'filesDir' | 's3'>;
  /** A store the caller built (tests: other timeouts); it stays the caller's to close. */
  store?: BlobStore;
};

async function configuredStore(config: StoragePluginOptions['config']): Promise<BlobStore> {
  if (!config.s3) return createDiskStore({ directory: config.filesDir });
  // Imported on demand: a server keeping files on disk never loads the AWS SDK (~24 MB of RSS).
  const { createS3Store } = await import('./s3-store.ts');
  return createS3Store(config.s3);
}

/** Picks the storage from the config. It does not touch the storage at start: an outage there is a 503 at /readyz, not a failed start. */
export default fp<StoragePluginOptions>(
  async (app, { config, store: given }) => {
    const store = given ?? (await configuredStore(config));
    app.decorate('storage', store);
    app.decorate('isStorageReady', async (timeoutMs = 2_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const probe = store.ping().then(
        () => true,
        (error: unknown) => {
          app.log.warn({ err: error }, 'file storage does not answer');
          return false;
        },
      );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
      }
    });
    if (!given) app.addHook('onClose', () => store.close());
  },
  { name: 'storage' },
);
