import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

/** Called with a hash of the current scheme when a password matched a hash of the old one. */
export type Upgrade = (newHash: string) => Promise<void>;

export type PasswordHasher = {
  hash: (password: string) => Promise<string>;
  /**
   * Compares against the hash, or against a dummy hash of the same cost when there is none. A
   * match against a hash of the old scheme (bcrypt of the raw password) hands a new hash to
   * `upgrade`, so stored hashes move to the current scheme at their owners' next sign-in.
   */
  verify: (password: string, hash: string | undefined, upgrade?: Upgrade) => Promise<boolean>;
  close: () => Promise<void>;
};

type Verdict = { matches: boolean; legacy: boolean };

function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'object' && value !== null && 'matches' in value && 'legacy' in value;
}

/**
 * An old hash is replaced only when the password that matched it is the only one that could:
 * bcrypt used at most 72 bytes of it (71 and the terminating NUL), so a longer one matched every
 * password sharing its first 72 bytes, and re-hashing the one typed could lock out the real one.
 */
const LONGEST_UNTRUNCATED_BYTES = 71;

/** bcrypt off the main thread (password-worker.js), so hashing never stalls other requests. */
export function createPasswordHasher(cost: number): PasswordHasher {
  const pool = new Piscina({
    filename: new URL('./password-worker.js', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(4, availableParallelism())),
    idleTimeout: 60_000,
  });
  const hash = async (password: string): Promise<string> => {
    const result: unknown = await pool.run({ op: 'hash', password, cost });
    if (typeof result !== 'string') throw new Error('password worker returned no hash');
    return result;
  };
  // Unknown emails are compared against this, so they cost the same time as a wrong password.
  let dummyHash: Promise<string> | undefined;
  const verify = async (password: string, storedHash: string | undefined, upgrade?: Upgrade): Promise<boolean> => {
    dummyHash ??= hash('umbra-dummy-password-for-unknown-accounts');
    const target = storedHash ?? (await dummyHash);
    const verdict: unknown = await pool.run({ op: 'verify', password, hash: target });
    if (!isVerdict(verdict)) throw new Error('password worker returned no verdict');
    const ok = verdict.matches && storedHash !== undefined;
    if (ok && verdict.legacy && upgrade && Buffer.byteLength(password, 'utf8') <= LONGEST_UNTRUNCATED_BYTES) await upgrade(await hash(password));
    return ok;
  };
  // close() lets queued hashes finish (a shutdown never fails a sign-in half-way).
  return { hash, verify, close: () => pool.close() };
}
