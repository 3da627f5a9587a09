import { describe, expect, it } from 'vitest';
import { VaultCryptoError } from '../src/platform/crypto/errors.ts';
import { createKeyring, isSealedValue } from '../src/platform/crypto/keyring.ts';
import { deriveMasterKey } from '../src/platform/crypto/master-key.ts';

const householdA = '3f1e7c7a-8a44-4a55-9a5d-0c6f1f0b2a01';
const householdB = '9b0c2d6e-5a1f-4e7b-8c3d-2f4a6b8c0d12';
const keyring = createKeyring(deriveMasterKey('a-vault-key-of-at-least-thirty-two-chars'));

function cryptoFailure(run: () => unknown): VaultCryptoError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultCryptoError) return error;
    throw error;
  }
  throw new Error('expected a VaultCryptoError');
}

/** Changes one character of a base64url part of a `.`-separated envelope. */
function tamper(sealed: string, partIndex: number): string {
  const parts = sealed.split('.');
  const part = parts[partIndex] ?? '';
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join('.');
}

describe('master key from VAULT_KEY', () => {
  it('is derived with HKDF: the same secret gives the same key and id, another secret other ones', () => {
    const one = deriveMasterKey('a-vault-key-of-at-least-thirty-two-chars');
    const again = deriveMasterKey('a-vault-key-of-at-least-thirty-two-chars');
    const other = deriveMasterKey('b-vault-key-of-at-least-thirty-two-chars');
    expect(one.key).toHaveLength(32);
    expect(one.key.equals(again.key)).toBe(true);
    expect(one.id).toBe(again.id);
    expect(one.key.equals(other.key)).toBe(false);
    expect(one.id).not.toBe(other.id);
    // The id is a fingerprint, not the key: it is not a prefix of the key bytes.
    expect(one.key.toString('base64url').startsWith(one.id)).toBe(false);
  });
});

describe('household keys', () => {
  it('are random 32-byte keys, wrapped under the master key with its id', () => {
    const first = keyring.newHouseholdKey(householdA);
    const second = keyring.newHouseholdKey(householdA);
    expect(first.key).toHaveLength(32);
    expect(first.key.equals(second.key)).toBe(false);
    expect(first.wrapped.split('.')).toHaveLength(5);
    expect(first.wrapped.startsWith(`v1.${keyring.masterKeyId}.`)).toBe(true);
    expect(first.wrapped).not.toContain(first.key.toString('base64url'));
    expect(keyring.unwrapHouseholdKey(first.wrapped, householdA).equals(first.key)).toBe(true);
  });

  it('copied to another household does not unwrap', () => {
    const { wrapped } = keyring.newHouseholdKey(householdA);
    expect(cryptoFailure(() => keyring.unwrapHouseholdKey(wrapped, householdB)).reason).toBe('authentication');
  });

  it('tampered (iv, ciphertext or tag) does not unwrap', () => {
    const { wrapped } = keyring.newHouseholdKey(householdA);
    for (const part of [2, 3, 4]) {
      expect(cryptoFailure(() => keyring.unwrapHouseholdKey(tamper(wrapped, part), householdA)).reason).toBe('authentication');
    }
  });

  it('under another VAULT_KEY names the missing master key instead of calling it tampering', () => {
    const { wrapped } = keyring.newHouseholdKey(householdA);
    const other = createKeyring(deriveMasterKey('another-vault-key-of-thirty-two-chars!!'));
    const failure = cryptoFailure(() => other.unwrapHouseholdKey(wrapped, householdA));
    expect(failure.reason).toBe('unknown-key');
    expect(failure.message).toContain(keyring.masterKeyId);
  });

  it('wrapped by a previous master key still unwrap after rotation; new ones use the current key', () => {
    const oldKey = deriveMasterKey('the-old-vault-key-of-thirty-two-chars!!');
    const newKey = deriveMasterKey('the-new-vault-key-of-thirty-two-chars!!');
    const before = createKeyring(oldKey).newHouseholdKey(householdA);
    const rotated = createKeyring(newKey, [oldKey]);
    expect(rotated.unwrapHouseholdKey(before.wrapped, householdA).equals(before.key)).toBe(true);
    expect(rotated.newHouseholdKey(householdA).wrapped.startsWith(`v1.${newKey.id}.`)).toBe(true);
  });

  it('refuses malformed envelopes and unknown formats', () => {
    const { wrapped } = keyring.newHouseholdKey(householdA);
    expect(cryptoFailure(() => keyring.unwrapHouseholdKey('garbage', householdA)).reason).toBe('malformed');
    expect(cryptoFailure(() => keyring.unwrapHouseholdKey(wrapped.replace(/^v1\./, 'v9.'), householdA)).reason).toBe('malformed');
    const shortTag = wrapped.split('.');
    shortTag[4] = (shortTag[4] ?? '').slice(0, 8);
    expect(cryptoFailure(() => keyring.unwrapHouseholdKey(shortTag.join('.'), householdA)).reason).toBe('malformed');
  });
});

describe('file keys', () => {
  const household = keyring.newHouseholdKey(householdA).key;

  it('wrap and unwrap for the same file only', () => {
    const fileKey = keyring.newFileKey();
    expect(fileKey).toHaveLength(32);
    const wrapped = keyring.wrapFileKey(household, fileKey, 'file-1');
    expect(wrapped.split('.')).toHaveLength(4);
    expect(keyring.unwrapFileKey(household, wrapped, 'file-1').equals(fileKey)).toBe(true);
    expect(cryptoFailure(() => keyring.unwrapFileKey(household, wrapped, 'file-2')).reason).toBe('authentication');
  });

  it('do not unwrap under another household key', () => {
    const wrapped = keyring.wrapFileKey(household, keyring.newFileKey(), 'file-1');
    const otherHousehold = keyring.newHouseholdKey(householdB).key;
    expect(cryptoFailure(() => keyring.unwrapFileKey(otherHousehold, wrapped, 'file-1')).reason).toBe('authentication');
  });

  it('refuse keys of the wrong size', () => {
    expect(() => keyring.wrapFileKey(household, Buffer.alloc(16), 'file-1')).toThrow(TypeError);
    expect(() => keyring.wrapFileKey(Buffer.alloc(31), keyring.newFileKey(), 'file-1')).toThrow(TypeError);
  });
});

describe('sealed values', () => {
  const household = keyring.newHouseholdKey(householdA).key;

  it('round-trip text, including empty and non-ASCII, as v1.<iv>.<ciphertext>.<tag>', () => {
    for (const plaintext of ['', 'P1234567', 'Zürich — 東京 🛂'.repeat(50)]) {
      const sealed = keyring.sealValue(household, plaintext, 'item-1:number');
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
      expect(isSealedValue(sealed)).toBe(true);
      if (plaintext) expect(sealed).not.toContain(plaintext);
      expect(keyring.openValue(household, sealed, 'item-1:number')).toBe(plaintext);
    }
    expect(isSealedValue('enc:AAAA')).toBe(false);
  });

  it('the same value sealed twice differs (random IV)', () => {
    expect(keyring.sealValue(household, 'P1234567', 'a')).not.toBe(keyring.sealValue(household, 'P1234567', 'a'));
  });

  it('moved to another item or field, or tampered, throws', () => {
    const sealed = keyring.sealValue(household, 'P1234567', 'item-1:number');
    expect(cryptoFailure(() => keyring.openValue(household, sealed, 'item-2:number')).reason).toBe('authentication');
    expect(cryptoFailure(() => keyring.openValue(household, sealed, 'item-1:holder')).reason).toBe('authentication');
    for (const part of [1, 2, 3]) {
      expect(cryptoFailure(() => keyring.openValue(household, tamper(sealed, part), 'item-1:number')).reason).toBe('authentication');
    }
  });

  it('a wrapped file key is not accepted as a sealed value (the purpose is bound too)', () => {
    const fileKey = keyring.newFileKey();
    const wrapped = keyring.wrapFileKey(household, fileKey, 'x');
    expect(cryptoFailure(() => keyring.openValue(household, wrapped, 'x')).reason).toBe('authentication');
  });
});

describe('derived secrets', () => {
  it('are 32 bytes per purpose, stable for one VAULT_KEY, unrelated across purposes and keys, and not the master key', () => {
    const master = deriveMasterKey('a-vault-key-of-at-least-thirty-two-chars');
    const tokens = keyring.deriveSecret('umbra invitation tokens v1');
    expect(tokens).toHaveLength(32);
    expect(tokens.equals(createKeyring(master).deriveSecret('umbra invitation tokens v1'))).toBe(true);
    expect(tokens.equals(keyring.deriveSecret('another purpose'))).toBe(false);
    expect(tokens.equals(master.key)).toBe(false);
    const otherVault = createKeyring(deriveMasterKey('b-vault-key-of-at-least-thirty-two-chars'));
    expect(tokens.equals(otherVault.deriveSecret('umbra invitation tokens v1'))).toBe(false);
    expect(() => keyring.deriveSecret('')).toThrow(TypeError);
  });
});
