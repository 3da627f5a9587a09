import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { assertKey, CIPHER, IV_BYTES, TAG_BYTES } from './envelope.ts';
import { VaultCryptoError } from './errors.ts';

/**
 * How much plaintext a decrypting stream keeps back until the GCM tag has verified. GCM can only
 * authenticate at the end, so the bytes before these are sent unverified; holding the end back
 * means a tampered file never arrives whole: the stream errors and the HTTP response is cut
 * before its last bytes (a file up to this size arrives not at all).
 */
export const HOLD_BACK_BYTES = 64 * 1024;

export type EncryptingStream = {
  transform: Transform;
  iv: Buffer;
  /** The GCM tag; throws until the transform has ended. */
  tag: () => Buffer;
};

/** AES-256-GCM under a file key with a fresh random IV; store `iv` and `tag()` with the file row. */
export function encryptStream(fileKey: Buffer): EncryptingStream {
  assertKey(fileKey, 'A file key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, fileKey, iv, { authTagLength: TAG_BYTES });
  let tag: Buffer | undefined;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, cipher.update(chunk));
    },
    flush(callback) {
      const last = cipher.final();
      tag = cipher.getAuthTag();
      if (last.length > 0) this.push(last);
      callback();
    },
  });
  return {
    transform,
    iv,
    tag: () => {
      if (!tag) throw new VaultCryptoError('not-finished', 'The tag exists only after the stream has ended');
      return tag;
    },
  };
}

/**
 * Decrypts what encryptStream wrote. The newest HOLD_BACK_BYTES of plaintext stay buffered and are
 * released only after decipher.final() accepted the tag; a bad tag ends the stream with a
 * VaultCryptoError instead, and those bytes are dropped.
 */
export function decryptStream(fileKey: Buffer, iv: Buffer, tag: Buffer): Transform {
  assertKey(fileKey, 'A file key');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new VaultCryptoError('malformed', 'Bad IV or tag length');
  // authTagLength refuses a truncated tag, which Node would otherwise accept.
  const decipher = createDecipheriv(CIPHER, fileKey, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  const held: Buffer[] = [];
  let heldBytes = 0;

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const plaintext = decipher.update(chunk);
      if (plaintext.length > 0) {
        held.push(plaintext);
        heldBytes += plaintext.length;
      }
      let excess = heldBytes - HOLD_BACK_BYTES;
      while (excess > 0) {
        const first = held[0];
        if (!first) break;
        const part = first.length <= excess ? first : first.subarray(0, excess);
        if (part === first) held.shift();
        else held[0] = first.subarray(excess);
        heldBytes -= part.length;
        excess -= part.length;
        this.push(part);
      }
      callback();
    },
    flush(callback) {
      try {
        decipher.final();
      } catch (error) {
        held.length = 0;
        callback(new VaultCryptoError('authentication', 'The stored file does not authenticate (tampered or wrong key)', { cause: error }));
        return;
      }
      for (const part of held) this.push(part);
      held.length = 0;
      callback();
    },
  });
}
