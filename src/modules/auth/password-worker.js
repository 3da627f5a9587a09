// Runs in a piscina worker thread: bcrypt is CPU-bound for hundreds of milliseconds at cost 12,
// and bcryptjs's async API still blocks the event loop in ~100 ms slices. Plain JavaScript so the
// worker loads without a TypeScript loader in every environment (server, CLI, test runner).
import { createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';

// bcrypt reads at most 72 bytes of a password: two passwords that agree on their first 72 bytes
// (72 x "a" then anything; 40 x "é" then anything) had the same hash. So the password is first
// condensed with HMAC-SHA-256 and base64-encoded (44 ASCII bytes, no NUL), as passlib's
// bcrypt_sha256 and Django's BCryptSHA256PasswordHasher do. The key is a fixed domain separator,
// not a secret: nothing is lost when it is, and hashes stay verifiable without any server key.
const PREHASH_KEY = 'UMBRA password pre-hash v1';

/** Stored hashes of this scheme start with this marker; bcrypt hashes of the raw password (before it) do not. */
const SCHEME = 'bcrypt-hmac-sha256$';

function prehash(password) {
  return createHmac('sha256', PREHASH_KEY).update(password, 'utf8').digest('base64');
}

/**
 * @param {{ op: 'hash', password: string, cost: number } | { op: 'verify', password: string, hash: string }} task
 * @returns {Promise<string | { matches: boolean, legacy: boolean }>}
 */
export default async function run(task) {
  if (task.op === 'hash') return SCHEME + bcrypt.hashSync(prehash(task.password), task.cost);
  if (task.hash.startsWith(SCHEME)) return { matches: bcrypt.compareSync(prehash(task.password), task.hash.slice(SCHEME.length)), legacy: false };
  // A hash from before the pre-hash: checked the old way until the next sign-in replaces it.
  return { matches: bcrypt.compareSync(task.password, task.hash), legacy: true };
}
