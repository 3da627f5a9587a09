import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultCryptoError } from './errors.ts';

// The one AEAD every version-1 envelope uses. A 12-byte random IV is GCM's native size; with a
// fresh key per file and at most a few million sealed values per household key, random IVs stay
// far below the 2^32 messages per key that NIST SP 800-38D allows.
export const CIPHER = 'aes-256-gcm';
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export type SealedParts = { iv: Buffer; ciphertext: Buffer; tag: Buffer };

export function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new TypeError(`${what} must be ${KEY_BYTES} bytes, got ${key.length}`);
}

/** AES-256-GCM of a small buffer, the additional data bound to it (never stored, the caller recomputes it). */
export function sealBytes(key: Buffer, plaintext: Buffer, aad: string): SealedParts {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

export function openBytes(key: Buffer, { iv, ciphertext, tag }: SealedParts, aad: string): Buffer {
  // authTagLength pins the tag at 16 bytes: without it Node accepts a truncated tag, which makes
  // forging far easier than breaking the full one.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new VaultCryptoError('malformed', 'Bad IV or tag length');
  const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new VaultCryptoError('authentication', 'The ciphertext does not authenticate (tampered, moved or wrong key)', { cause: error });
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** `v1.<a>.<b>...` with each part base64url; the version prefix leaves room for another format later. */
export function encodeSealed(prefix: string[], parts: SealedParts): string {
  return [...prefix, parts.iv, parts.ciphertext, parts.tag].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Splits a sealed string into its leading plain fields and the three binary parts, or throws `malformed`. */
export function decodeSealed(sealed: string, prefixFields: number): { prefix: string[]; parts: SealedParts } {
  const fields = sealed.split('.');
  if (fields.length !== prefixFields + 3 || !fields.slice(prefixFields).every((field) => BASE64URL.test(field))) {
    throw new VaultCryptoError('malformed', 'Not a sealed value of this format');
  }
  const [iv = '', ciphertext = '', tag = ''] = fields.slice(prefixFields);
  return {
    prefix: fields.slice(0, prefixFields),
    parts: { iv: Buffer.from(iv, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url'), tag: Buffer.from(tag, 'base64url') },
  };
}
