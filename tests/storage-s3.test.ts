import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../src/platform/storage/blob-store.ts';
import { BlobNotFoundError, StorageUnavailableError } from '../src/platform/storage/errors.ts';
import { createS3Store, type S3StoreOptions } from '../src/platform/storage/s3-store.ts';
import { blobStoreContract, failure, randomStream, readAll } from './helpers/blob-store-contract.ts';
import { startTestS3, type TestS3 } from './helpers/test-s3.ts';

const MiB = 1024 * 1024;

function storeFor(s3: TestS3, extra: Partial<S3StoreOptions> = {}): BlobStore {
  return createS3Store({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    ...extra,
  });
}

// A page size of 2 makes every list in the contract follow continuation tokens.
blobStoreContract('S3 (s3rver)', async () => {
  const s3 = await startTestS3();
  const store = storeFor(s3, { listPageSize: 2 });
  return {
    store,
    breakStorage: s3.pause,
    repairStorage: s3.resume,
    cleanup: async () => {
      await store.close();
      await s3.stop();
    },
  };
});

describe('S3 storage on the wire', () => {
  let s3: TestS3;
  let store: BlobStore;
  beforeAll(async () => {
    s3 = await startTestS3();
    store = storeFor(s3);
  });
  afterAll(async () => {
    await store.close();
    await s3.stop();
  });

  it('stores the bytes themselves, without aws-chunked framing', async () => {
    const bytes = randomBytes(100_000);
    await store.put('wire/plain', Readable.from([bytes]));
    const onServer = await readFile(s3.objectPath('wire/plain'));
    expect(onServer.length).toBe(bytes.length);
    expect(onServer.equals(bytes)).toBe(true);
  });

  it('sends a large stream of unknown length as a multipart upload, each part with a length', async () => {
    s3.clearRequests();
    const source = randomStream(12 * MiB);
    expect(await store.put('wire/large', source.stream)).toEqual({ size: 12 * MiB });
    const requests = s3.requests().map((request) => `${request.method} ${request.url.replace(/uploadId=[^&]+/, 'uploadId=*')}`);
    expect(requests.filter((request) => /^POST .*\?uploads/.test(request))).toHaveLength(1);
    expect(requests.filter((request) => /^PUT .*partNumber=\d/.test(request))).toHaveLength(3);
    expect(requests.filter((request) => /^POST .*uploadId=\*/.test(request))).toHaveLength(1);
    expect((await readFile(s3.objectPath('wire/large'))).length).toBe(12 * MiB);
  });

  it('aborts the multipart upload when the source fails after parts went out', async () => {
    s3.clearRequests();
    const error = await failure(store.put('wire/cut', randomStream(30 * MiB, 11 * MiB).stream));
    expect(error).toMatchObject({ message: 'source broke' });
    const methods = s3.requests().map((request) => `${request.method} ${request.url}`);
    expect(methods.some((request) => /^PUT .*partNumber=1/.test(request))).toBe(true);
    expect(methods.some((request) => /^DELETE .*uploadId=/.test(request))).toBe(true);
    expect(methods.some((request) => /^POST .*uploadId=/.test(request))).toBe(false);
    expect(await failure(store.get('wire/cut'))).toBeInstanceOf(BlobNotFoundError);
  });

  it('with the server gone, get and list fail as outages too', async () => {
    await store.put('wire/kept', Readable.from([Buffer.from('kept')]));
    await s3.pause();
    try {
      expect(await failure(store.get('wire/kept'))).toBeInstanceOf(StorageUnavailableError);
      const listing = (async () => {
        for await (const blob of store.list('wire/')) void blob;
      })();
      expect(await failure(listing)).toBeInstanceOf(StorageUnavailableError);
    } finally {
      await s3.resume();
    }
    expect((await readAll(await store.get('wire/kept'))).toString()).toBe('kept');
  });
});

describe('S3 that accepts connections but never answers', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let store: BlobStore;
  beforeAll(async () => {
    server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    store = createS3Store({
      bucket: 'hanging',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      requestTimeoutMs: 500,
      shortRequestTimeoutMs: 500,
      pingTimeoutMs: 500,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await store.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails every call with StorageUnavailableError instead of hanging the request', async () => {
    expect(await failure(store.ping())).toBeInstanceOf(StorageUnavailableError);
    expect(await failure(store.get('g/a'))).toBeInstanceOf(StorageUnavailableError);
    expect(await failure(store.delete('g/a'))).toBeInstanceOf(StorageUnavailableError);
    expect(await failure(store.put('g/a', randomStream(1024).stream))).toBeInstanceOf(StorageUnavailableError);
    const listing = (async () => {
      for await (const blob of store.list()) void blob;
    })();
    expect(await failure(listing)).toBeInstanceOf(StorageUnavailableError);
  });
});
