import { randomBytes } from 'node:crypto';
import { assertKey, decodeSealed, encodeSealed, KEY_BYTES, openBytes, sealBytes } from './envelope.ts';
import { VaultCryptoError } from './errors.ts';
import { deriveSubkey, type MasterKey } from './master-key.ts';

const FORMAT = 'v1';

// Every envelope's additional data starts with what it is, so a ciphertext of one kind can never
// be opened as another (a wrapped file key offered as a sealed value, say), and ends with the id
// of the row it belongs to, so a copy under another row fails.
const householdKeyAad = (masterKeyId: string, householdId: string) => `umbra:${FORMAT}:household-key:${masterKeyId}:${householdId}`;
const fileKeyAad = (fileId: string) => `umbra:${FORMAT}:file-key:${fileId}`;
const valueAad = (aad: string) => `umbra:${FORMAT}:value:${aad}`;

/**
 * Server-side (version 1) envelope encryption: the master key wraps one random key per household;
 * a household key wraps each file's key and seals the household's sensitive values.
 *
 * Formats (base64url parts, '.'-separated, none of them secret on its own):
 * - wrapped household key: `v1.<master key id>.<iv>.<ciphertext>.<tag>`
 * - wrapped file key and sealed value: `v1.<iv>.<ciphertext>.<tag>`
 */
export type Keyring = {
  /** Id of the master key new household keys are wrapped with. */
  readonly masterKeyId: string;
  newHouseholdKey(householdId: string): { key: Buffer; wrapped: string };
  unwrapHouseholdKey(wrapped: string, householdId: string): Buffer;
  /** A random 32-byte key for one file (encryptStream / decryptStream). */
  newFileKey(): Buffer;
  wrapFileKey(householdKey: Buffer, fileKey: Buffer, fileId: string): string;
  unwrapFileKey(householdKey: Buffer, wrapped: string, fileId: string): Buffer;
  /** Seals a sensitive value; `aad` names where it belongs (e.g. `${itemId}:${fieldKey}`). */
  sealValue(householdKey: Buffer, plaintext: string, aad: string): string;
  openValue(householdKey: Buffer, sealed: string, aad: string): string;
  /** A 32-byte secret for `purpose` (HKDF of the current master key), e.g. to MAC tokens with. */
  deriveSecret(purpose: string): Buffer;
};

/** Whether a stored string is a version-1 sealed value (version 2 values start with `enc:`). */
export function isSealedValue(value: string): boolean {
  return value.startsWith(`${FORMAT}.`);
}

/**
 * `current` wraps new household keys; `previous` master keys still open what they wrapped, which
 * is the room left for rotating VAULT_KEY (re-wrap each household key, then drop the old one).
 */
export function createKeyring(current: MasterKey, previous: MasterKey[] = []): Keyring {
  const masterKeys = new Map([...previous, current].map((masterKey) => [masterKey.id, masterKey.key]));
  for (const key of masterKeys.values()) assertKey(key, 'A master key');

  const openFormat = (sealed: string, prefixFields: number) => {
    const decoded = decodeSealed(sealed, prefixFields + 1);
    if (decoded.prefix[0] !== FORMAT) throw new VaultCryptoError('malformed', `Unknown envelope format "${decoded.prefix[0]}"`);
    return { prefix: decoded.prefix.slice(1), parts: decoded.parts };
  };
  const openKey = (key: Buffer, sealed: string, aad: string): Buffer => {
    const { parts } = openFormat(sealed, 0);
    const opened = openBytes(key, parts, aad);
    if (opened.length !== KEY_BYTES) throw new VaultCryptoError('malformed', 'The wrapped key has the wrong length');
    return opened;
  };

  return {
    masterKeyId: current.id,

    newHouseholdKey(householdId) {
      const key = randomBytes(KEY_BYTES);
      const parts = sealBytes(current.key, key, householdKeyAad(current.id, householdId));
      return { key, wrapped: encodeSealed([FORMAT, current.id], parts) };
    },

    unwrapHouseholdKey(wrapped, householdId) {
      const { prefix, parts } = openFormat(wrapped, 1);
      const masterKeyId = prefix[0] ?? '';
      const masterKey = masterKeys.get(masterKeyId);
      if (!masterKey) {
        throw new VaultCryptoError('unknown-key', `Household key wrapped by master key "${masterKeyId}", but VAULT_KEY gives "${current.id}"`);
      }
      const key = openBytes(masterKey, parts, householdKeyAad(masterKeyId, householdId));
      if (key.length !== KEY_BYTES) throw new VaultCryptoError('malformed', 'The wrapped key has the wrong length');
      return key;
    },

    newFileKey: () => randomBytes(KEY_BYTES),

    wrapFileKey(householdKey, fileKey, fileId) {
      assertKey(householdKey, 'A household key');
      assertKey(fileKey, 'A file key');
      return encodeSealed([FORMAT], sealBytes(householdKey, fileKey, fileKeyAad(fileId)));
    },

    unwrapFileKey(householdKey, wrapped, fileId) {
      assertKey(householdKey, 'A household key');
      return openKey(householdKey, wrapped, fileKeyAad(fileId));
    },

    sealValue(householdKey, plaintext, aad) {
      assertKey(householdKey, 'A household key');
      return encodeSealed([FORMAT], sealBytes(householdKey, Buffer.from(plaintext, 'utf8'), valueAad(aad)));
    },

    openValue(householdKey, sealed, aad) {
      assertKey(householdKey, 'A household key');
      const { parts } = openFormat(sealed, 0);
      return openBytes(householdKey, parts, valueAad(aad)).toString('utf8');
    },

    deriveSecret: (purpose) => deriveSubkey(current, purpose),
  };
}
