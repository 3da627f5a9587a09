import { hkdfSync } from 'node:crypto';
import { KEY_BYTES } from './envelope.ts';

// Fixed HKDF parameters (RFC 5869). They name UMBRA and the purpose so the same VAULT_KEY used by
// another program, or for another purpose here, never yields the same key. Changing any of them
// makes every stored household key unreadable: they are part of the storage format.
export const MASTER_KEY_SALT = 'UMBRA vault v1 master key salt';
export const MASTER_KEY_INFO = 'UMBRA vault v1: master key, AES-256-GCM, wraps household keys';
export const MASTER_KEY_ID_INFO = 'UMBRA vault v1: master key id';
const KEY_ID_BYTES = 6;

/**
 * The key that wraps household keys, and its id. The id is a one-way fingerprint written into each
 * wrapped key, so a keyring that holds an old and a new master key (rotation) knows which one
 * opens a value, and a wrong VAULT_KEY is reported as such instead of as tampering.
 */
export type MasterKey = { id: string; key: Buffer };

export function deriveMasterKey(secret: string): MasterKey {
  const material = Buffer.from(secret, 'utf8');
  const key = Buffer.from(hkdfSync('sha256', material, MASTER_KEY_SALT, MASTER_KEY_INFO, KEY_BYTES));
  const id = Buffer.from(hkdfSync('sha256', material, MASTER_KEY_SALT, MASTER_KEY_ID_INFO, KEY_ID_BYTES)).toString('base64url');
  return { id, key };
}

/**
 * A 32-byte secret for one purpose other than wrapping keys (e.g. "umbra invitation tokens v1"),
 * derived from the master key with HKDF: each purpose gets an unrelated key, and none of them
 * reveals the master key. A new VAULT_KEY changes every derived secret too.
 */
export function deriveSubkey(masterKey: MasterKey, purpose: string): Buffer {
  if (purpose.length === 0) throw new TypeError('A derived secret needs a purpose');
  return Buffer.from(hkdfSync('sha256', masterKey.key, MASTER_KEY_SALT, `UMBRA derived secret: ${purpose}`, KEY_BYTES));
}
