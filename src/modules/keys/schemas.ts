import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { Uuid } from '../../platform/http/schemas.ts';

// Key material of zero-knowledge clients (API-VAULT.md "Keys for zero-knowledge clients"). Every
// value is opaque to the server: it stores and returns the strings, and only checks their shape,
// so that a client bug is caught before another member depends on it.

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+$/;

/** An opaque base64 (or base64url) string of bounded size: a wrapped key, a salt. */
function opaque(description: string, max = 16_384) {
  return z.string().min(16).max(max).regex(BASE64, 'Expected base64').meta({ description });
}

/** An RSA public key as SPKI DER in base64: other members wrap the household key for it. */
export const PublicKey = z
  .string()
  .min(16)
  .max(4096)
  .regex(BASE64, 'Expected base64')
  .refine((value) => {
    try {
      return createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType === 'rsa';
    } catch {
      return false;
    }
  }, 'Expected an RSA public key (SPKI, DER, base64)')
  .meta({ description: 'RSA-OAEP public key, SPKI DER, base64' });

export function kdfSchema(minIterations: number) {
  return z.strictObject({
    name: z.literal('PBKDF2-SHA256'),
    iterations: z
      .number()
      .int()
      .min(minIterations, `At least ${minIterations} iterations`)
      .max(100_000_000)
      .meta({ description: `PBKDF2 iterations, >= KDF_MIN_ITERATIONS (${minIterations})` }),
    salt: opaque('The salt the client derives its password key with, base64', 1024),
  });
}

export function putKeysBody(minIterations: number) {
  return z.strictObject({
    kdf: kdfSchema(minIterations),
    encrypted_user_key: opaque('The random user key, wrapped by the key derived from the password'),
    public_key: PublicKey,
    encrypted_private_key: opaque('The RSA private key, wrapped by the user key'),
  });
}

export const KeysSchema = z
  .object({
    kdf: z.object({ name: z.literal('PBKDF2-SHA256'), iterations: z.number().int(), salt: z.string() }),
    encrypted_user_key: z.string(),
    public_key: z.string(),
    encrypted_private_key: z.string(),
    version: z.number().int(),
    updated_at: z.date(),
  })
  .meta({ id: 'UserKeys' });

export const UserParams = z.strictObject({ user_id: Uuid });
export const PublicKeySchema = z.object({ user_id: z.uuid(), public_key: z.string() }).meta({ id: 'PublicKey' });

export const EncryptedHouseholdKey = opaque('The household key, wrapped (RSA-OAEP) for the member\'s public key');

export const PutEnvelopeBody = z.strictObject({
  encrypted_household_key: EncryptedHouseholdKey,
  key_version: z.number().int().min(1).max(1_000_000),
});

export const EnvelopeSchema = z
  .object({ user_id: z.uuid(), encrypted_household_key: z.string(), key_version: z.number().int(), created_at: z.date() })
  .meta({ id: 'HouseholdKeyEnvelope' });
