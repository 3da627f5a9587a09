import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { readOrCreateVaultKeyFile } from '../src/platform/crypto/vault-key-file.ts';
import { testConfig } from './helpers/app.ts';
import { createTestDatabase } from './helpers/database.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'umbra-vault-key-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('vault.key outside production', () => {
  it('is generated once as 32 random bytes (base64url), mode 0600, and read on later starts', async () => {
    const first = await readOrCreateVaultKeyFile(join(dataDir, 'nested'));
    expect(first.created).toBe(true);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);

    const again = await readOrCreateVaultKeyFile(join(dataDir, 'nested'));
    expect(again).toEqual({ ...first, created: false });
    expect(await readdir(join(dataDir, 'nested'))).toEqual(['vault.key']);
  });

  it('starting many times at once agrees on one key, and no temporary file stays', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => readOrCreateVaultKeyFile(dataDir)));
    expect(new Set(results.map((result) => result.secret)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect((await readFile(join(dataDir, 'vault.key'), 'utf8')).trim()).toBe(results[0]?.secret);
    expect(await readdir(dataDir)).toEqual(['vault.key']);
  });

  it('refuses a file that does not hold a key instead of replacing it', async () => {
    await writeFile(join(dataDir, 'vault.key'), 'short\n');
    await expect(readOrCreateVaultKeyFile(dataDir)).rejects.toThrow(/does not hold a vault key/);
    expect(await readFile(join(dataDir, 'vault.key'), 'utf8')).toBe('short\n');
  });
});

describe('the keyring plugin', () => {
  it('without VAULT_KEY uses <DATA_DIR>/vault.key: what one start sealed, the next start opens', async () => {
    const testDatabase = await createTestDatabase();
    try {
      const config = testConfig({ DATA_DIR: dataDir });
      const noKey = { ...config, vaultKey: undefined };
      const first = await buildApp(noKey, { database: testDatabase.database });
      await first.ready();
      const household = first.keyring.newHouseholdKey('h-1');
      const sealed = first.keyring.sealValue(household.key, 'P1234567', 'item:number');
      await first.close();
      expect((await stat(join(dataDir, 'vault.key'))).mode & 0o777).toBe(0o600);

      const second = await buildApp(noKey, { database: testDatabase.database });
      await second.ready();
      const key = second.keyring.unwrapHouseholdKey(household.wrapped, 'h-1');
      expect(second.keyring.openValue(key, sealed, 'item:number')).toBe('P1234567');
      await second.close();
    } finally {
      await testDatabase.drop();
    }
  });

  it('with VAULT_KEY writes no file and derives the same master key every time', async () => {
    const testDatabase = await createTestDatabase();
    try {
      const config = testConfig({ DATA_DIR: dataDir, VAULT_KEY: 'x'.repeat(40) });
      const first = await buildApp(config, { database: testDatabase.database });
      await first.ready();
      const { wrapped, key } = first.keyring.newHouseholdKey('h-1');
      await first.close();
      const second = await buildApp(config, { database: testDatabase.database });
      await second.ready();
      expect(second.keyring.unwrapHouseholdKey(wrapped, 'h-1').equals(key)).toBe(true);
      await second.close();
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await testDatabase.drop();
    }
  });
});
