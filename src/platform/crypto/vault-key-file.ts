import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const VAULT_KEY_FILE = 'vault.key';
export const MIN_VAULT_KEY_LENGTH = 32;

export type VaultKeyFile = { secret: string; path: string; created: boolean };

/**
 * Outside production, without VAULT_KEY: the secret in `<dataDir>/vault.key`, generated on the
 * first start. The file is written whole under a temporary name (mode 0600, fsynced) and then
 * hard-linked to its final name: link, unlike rename, fails when the name exists, so of two
 * processes starting at once exactly one key wins and both read that one.
 */
export async function readOrCreateVaultKeyFile(dataDir: string): Promise<VaultKeyFile> {
  const path = join(dataDir, VAULT_KEY_FILE);
  const existing = await readSecret(path);
  if (existing !== undefined) return { secret: existing, path, created: false };

  await mkdir(dataDir, { recursive: true });
  const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  let created = false;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(32).toString('base64url')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temporary, path);
      created = true;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
  } finally {
    await rm(temporary, { force: true });
  }
  if (created) await syncDirectory(dataDir);
  const secret = await readSecret(path);
  if (secret === undefined) throw new Error(`${path} vanished while it was being created`);
  return { secret, path, created };
}

async function readSecret(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_VAULT_KEY_LENGTH) {
    throw new Error(`${path} does not hold a vault key (at least ${MIN_VAULT_KEY_LENGTH} characters); restore it from a backup or set VAULT_KEY`);
  }
  return secret;
}

/** Makes the new directory entry itself durable, not only the file's bytes. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
