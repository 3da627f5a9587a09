import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { Uuid } from '../../platform/http/schemas.ts';
import { OpaqueValue } from '../vault/index.ts';

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

/** A version-2 file's `key` as an upload takes it (any text up to 10,000 characters): opaque to the server. */
export const FileKey = z.string().min(1).max(10_000).meta({ description: 'The file key, wrapped by the new household key (opaque to the server, as the upload\'s `key` part)' });

const FieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,49}$/, 'Expected a field key of the item\'s subcategory');

// A household of thousands of files and values needs more than the 1 MiB of other bodies.
export const ROTATION_BODY_LIMIT = 16 * 1024 * 1024;
const MAX_ENTRIES = 100_000;

export const RotateBody = z.strictObject({
  key_version: z.number().int().min(1).max(1_000_000).meta({ description: "The new household key's version: the current one plus 1" }),
  envelopes: z
    .array(z.strictObject({ user_id: Uuid, encrypted_household_key: EncryptedHouseholdKey }))
    .min(1)
    .max(10_000)
    .meta({ description: 'The new household key wrapped for each member: every member holding an envelope now, and optionally members with keys not yet confirmed' }),
  files: z
    .array(z.strictObject({ id: Uuid, key: FileKey }))
    .max(MAX_ENTRIES)
    .default([])
    .meta({ description: 'A new `key` for every version-2 file of the household' }),
  fields: z
    .array(z.strictObject({ item_id: Uuid, field: FieldKey, value: OpaqueValue }))
    .max(MAX_ENTRIES)
    .default([])
    .meta({ description: 'A new `enc:` value for every `enc:` value of the household' }),
});

export const RotationSchema = z
  .object({
    key_version: z.number().int(),
    envelopes: z.number().int().meta({ description: 'Envelopes stored, one per member named' }),
    files: z.number().int().meta({ description: 'Version-2 files re-keyed' }),
    fields: z.number().int().meta({ description: '`enc:` values replaced' }),
  })
  .meta({ id: 'HouseholdKeyRotation' });
