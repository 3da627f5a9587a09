import { webcrypto } from 'node:crypto';

// What a real zero-knowledge client does, with WebCrypto (the browser's API, here Node's): the
// server only ever sees the base64 strings this produces. PBKDF2-SHA256 derives a key from the
// password that wraps a random AES-256-GCM user key; an RSA-OAEP-256 key pair's private key is
// wrapped by the user key; household keys are AES-256-GCM keys wrapped for members' public keys.

const subtle = webcrypto.subtle;
const b64 = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const AES = { name: 'AES-GCM', length: 256 } as const;
const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;

/** `iv || ciphertext+tag`, base64: one opaque string per wrapped secret. */
async function seal(key: webcrypto.CryptoKey, plaintext: Uint8Array): Promise<string> {
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, plaintext));
  return b64(Buffer.concat([iv, sealed]));
}

async function open(key: webcrypto.CryptoKey, sealed: string): Promise<Uint8Array> {
  const bytes = unb64(sealed);
  return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12) }, key, bytes.slice(12)));
}

async function passwordKey(password: string, salt: Uint8Array, iterations: number): Promise<webcrypto.CryptoKey> {
  const material = await subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveKey']);
  return subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, AES, false, ['encrypt', 'decrypt']);
}

export type KeysBody = {
  kdf: { name: 'PBKDF2-SHA256'; iterations: number; salt: string };
  encrypted_user_key: string;
  public_key: string;
  encrypted_private_key: string;
};

export type ZkClient = {
  body: KeysBody;
  userKey: Uint8Array;
  /** The same user key wrapped by another password (a password change). */
  rewrapUserKey(password: string): Promise<string>;
  /** Unlocks the private key from what the server stores, as a fresh device would. */
  unlock(stored: KeysBody, password: string): Promise<webcrypto.CryptoKey>;
};

/** A new user's key material, derived from their password. */
export async function createZkClient(password: string, iterations = 1000): Promise<ZkClient> {
  const salt = webcrypto.getRandomValues(new Uint8Array(16));
  const userKey = webcrypto.getRandomValues(new Uint8Array(32));
  const pair = await subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['encrypt', 'decrypt']);
  const userAes = await subtle.importKey('raw', userKey, AES, false, ['encrypt', 'decrypt']);
  const body: KeysBody = {
    kdf: { name: 'PBKDF2-SHA256', iterations, salt: b64(salt) },
    encrypted_user_key: await seal(await passwordKey(password, salt, iterations), userKey),
    public_key: b64(await subtle.exportKey('spki', pair.publicKey)),
    encrypted_private_key: await seal(userAes, new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey))),
  };
  return {
    body,
    userKey,
    rewrapUserKey: async (newPassword) => seal(await passwordKey(newPassword, salt, iterations), userKey),
    unlock: async (stored, pass) => {
      const key = await passwordKey(pass, unb64(stored.kdf.salt), stored.kdf.iterations);
      const unwrappedUserKey = await subtle.importKey('raw', await open(key, stored.encrypted_user_key), AES, false, ['decrypt']);
      const pkcs8 = await open(unwrappedUserKey, stored.encrypted_private_key);
      return subtle.importKey('pkcs8', pkcs8, RSA, false, ['decrypt']);
    },
  };
}

/** A random household key (raw bytes). */
export function newHouseholdKey(): Uint8Array {
  return webcrypto.getRandomValues(new Uint8Array(32));
}

/** The household key wrapped for a member's public key (SPKI base64), as an envelope. */
export async function wrapForMember(householdKey: Uint8Array, publicKey: string): Promise<string> {
  const key = await subtle.importKey('spki', unb64(publicKey), RSA, false, ['encrypt']);
  return b64(await subtle.encrypt({ name: 'RSA-OAEP' }, key, householdKey));
}

export async function openEnvelope(privateKey: webcrypto.CryptoKey, envelope: string): Promise<Uint8Array> {
  return new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, unb64(envelope)));
}

/** Bytes encrypted under the household key, `iv || ciphertext+tag`, as a client uploads a file. */
export async function encryptBytes(householdKey: Uint8Array, bytes: Uint8Array): Promise<Uint8Array> {
  const key = await subtle.importKey('raw', householdKey, AES, false, ['encrypt']);
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  return new Uint8Array(Buffer.concat([iv, new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes))]));
}

export async function decryptBytes(householdKey: Uint8Array, bytes: Uint8Array): Promise<Uint8Array> {
  const key = await subtle.importKey('raw', householdKey, AES, false, ['decrypt']);
  return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, 12) }, key, bytes.slice(12)));
}

/** A sensitive field value as a zero-knowledge client sends it: `enc:<base64>`. */
export async function encryptField(householdKey: Uint8Array, value: string): Promise<string> {
  return `enc:${b64(await encryptBytes(householdKey, new TextEncoder().encode(value)))}`;
}
