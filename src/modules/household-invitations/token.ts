import { createHash, createHmac } from 'node:crypto';

// The emailed token is not random and not stored: it is an HMAC of the invitation's id under a
// secret derived from the vault's master key. The mail sender recomputes it when it sends, so
// neither the invitation row nor the outbox ever holds it; the row keeps only its SHA-256, which
// is how a token that comes back is looked up.

/** The HKDF purpose of the secret tokens are made with (changing it invalidates every link). */
export const INVITATION_TOKEN_PURPOSE = 'umbra invitation tokens v1';

export function invitationToken(secret: Buffer, invitationId: string): string {
  return createHmac('sha256', secret).update(invitationId, 'utf8').digest('base64url');
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
