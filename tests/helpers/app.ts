import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type App, type BuildOptions, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  BCRYPT_COST: '10',
  // Fixed, so tests never write a vault.key into the working tree (tests/crypto-vault-key.test.ts covers that path).
  VAULT_KEY: 'test-vault-key-test-vault-key-0123456789',
  // A zero-knowledge test client derives its key with few PBKDF2 rounds, to stay fast.
  KDF_MIN_ITERATIONS: '1000',
  // Outside the working tree; a test that stores files gives its app a directory of its own.
  FILES_DIR: join(tmpdir(), 'umbra-test-files'),
};

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...env });
}

export type TestContext = {
  app: App;
  config: Config;
  testDatabase: TestDatabase;
};

/** Builds the real app on a database of its own; the caller closes it with `closeTestApp`. */
export async function buildTestApp(env: Record<string, string> = {}, options: BuildOptions = {}): Promise<TestContext> {
  const testDatabase = await createTestDatabase();
  const config = testConfig(env);
  const app = await buildApp(config, { ...options, database: testDatabase.database });
  await app.ready();
  return { app, config, testDatabase };
}

export async function closeTestApp(context: TestContext): Promise<void> {
  await context.app.close();
  await context.testDatabase.drop();
}

/**
 * Registers beforeAll/afterAll for a test file and returns accessors to its app and database.
 * Use inside a describe block or at the top level of a file.
 */
export function useTestApp(env: Record<string, string> = {}) {
  let context: TestContext | undefined;
  beforeAll(async () => {
    context = await buildTestApp(env);
  });
  afterAll(async () => {
    if (context) await closeTestApp(context);
  });
  const current = (): TestContext => {
    if (!context) throw new Error('useTestApp: the app is only available inside tests and hooks');
    return context;
  };
  return {
    get app() {
      return current().app;
    },
    get db() {
      return current().testDatabase.database.db;
    },
    get config() {
      return current().config;
    },
  };
}
