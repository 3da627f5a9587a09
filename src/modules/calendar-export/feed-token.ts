import { createHash, randomBytes } from 'node:crypto';

// Subscription tokens: 256 random bits, base64url (43 characters, safe in a path). Only their
// SHA-256 is stored and looked up, so a constant-time comparison is moot: the database compares
// hashes, and how long a lookup takes says nothing an attacker can use to build a valid token.

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newFeedToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashFeedToken(token) };
}

/** Whether the text could be a token we issued; anything else is a 404 without a lookup. */
export function isFeedToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}
