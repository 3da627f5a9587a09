import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { inject } from 'vitest';
import { TEST_ENV } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export type ServerProcess = {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
};

/** Starts `src/server.ts` as its own process on a free port, the way `npm start` does. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, ...TEST_ENV, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => (typeof code === 'number' ? code : null));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    // A server that never says it listens is killed, not left running after the test gives up.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(() => reject(new Error(`server exited early:\n${output}`)));
  });
  return { child, baseUrl, output: () => output, exited };
}

/** Environment for a spawned server: the file's own PostgreSQL database, or a fresh PGlite directory. */
export async function serverDatabaseEnv(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (inject('testDatabase').kind === 'postgres') {
    const testDatabase: TestDatabase = await createTestDatabase();
    return { env: { DATABASE_URL: testDatabase.url ?? '' }, cleanup: testDatabase.drop };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'umbra-data-'));
  return { env: { DATA_DIR: dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}
