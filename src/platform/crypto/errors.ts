/**
 * Why a ciphertext could not be opened. `authentication` covers every kind of tampering the GCM tag
 * detects (a changed byte, a value moved to another row or household, the wrong key), on purpose
 * without saying which: the caller logs it and answers 500, it never tells a client more.
 */
export type VaultCryptoFailure = 'malformed' | 'unknown-key' | 'authentication' | 'not-finished';

export class VaultCryptoError extends Error {
  override name = 'VaultCryptoError';
  readonly reason: VaultCryptoFailure;

  constructor(reason: VaultCryptoFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
