import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

export type PasswordHasher = {
  hash: (password: string) => Promise<string>;
  /** Compares against the hash, or against a dummy hash of the same cost when there is none. */
  verify: (password: string, hash: string | undefined) => Promise<boolean>;
  close: () => Promise<void>;
};

/** bcrypt off the main thread, so hashing never stalls other requests. */
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
  const verify = async (password: string, storedHash: string | undefined): Promise<boolean> => {
    dummyHash ??= hash('umbra-dummy-password-for-unknown-accounts');
    const target = storedHash ?? (await dummyHash);
    const matches: unknown = await pool.run({ op: 'verify', password, hash: target });
    return matches === true && storedHash !== undefined;
  };
  // close() lets queued hashes finish (a shutdown never fails a sign-in half-way).
  return { hash, verify, close: () => pool.close() };
}
