import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export type S3Request = { method: string; url: string };

export type TestS3 = {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The S3_* variables that point an app at this server (for buildTestApp / useTestApp). */
  env: Record<string, string>;
  /** Every request the server received since it started (or since clearRequests). */
  requests: () => S3Request[];
  clearRequests: () => void;
  /** Where s3rver keeps an object's bytes (to flip one, as a tampering attacker would). */
  objectPath: (key: string) => string;
  /** An outage: the process exits, the port refuses connections; the data stays. */
  pause: () => Promise<void>;
  /** The server back on the same port with the same data. */
  resume: () => Promise<void>;
  /** Stops the server for good and removes its data. */
  stop: () => Promise<void>;
};

const ACCESS_KEY = 'S3RVER';
const SERVER_SCRIPT = fileURLToPath(new URL('./s3rver-process.ts', import.meta.url));

/**
 * Starts s3rver on 127.0.0.1 (a random port) with one empty bucket in a temporary directory, as a
 * child process, so the S3 store talks to it over real HTTP exactly as to a remote service.
 */
export async function startTestS3(bucket = 'umbra-test'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'umbra-s3rver-'));
  const requests: S3Request[] = [];
  let child: ChildProcess | undefined;
  let port = 0;

  const start = async () => {
    const started = spawn(
      process.execPath,
      ['--openssl-legacy-provider', '--import', 'tsx', SERVER_SCRIPT, directory, bucket, String(port)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child = started;
    const listening = new Promise<number>((resolve, reject) => {
      started.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
      if (!started.stdout) return reject(new Error('s3rver has no stdout'));
      createInterface({ input: started.stdout }).on('line', (line) => {
        const message: unknown = JSON.parse(line);
        if (typeof message !== 'object' || message === null) return;
        if ('port' in message && typeof message.port === 'number') resolve(message.port);
        if ('request' in message && isRequest(message.request)) requests.push(message.request);
      });
    });
    port = await listening;
  };
  const halt = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    },
    requests: () => [...requests],
    clearRequests: () => void requests.splice(0),
    objectPath: (key) => join(directory, bucket, `${key}._S3rver_object`),
    pause: halt,
    resume: start,
    stop: async () => {
      await halt();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function isRequest(value: unknown): value is S3Request {
  return typeof value === 'object' && value !== null && 'method' in value && 'url' in value && typeof value.method === 'string' && typeof value.url === 'string';
}
