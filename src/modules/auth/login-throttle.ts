import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { TooManyRequestsError } from '../../platform/http/errors.ts';
import { type AttemptKey, clearAttempts, reserveAttempt } from './login-attempt-queries.ts';

export const LOGIN_ATTEMPT_LIMIT = 10;
export const LOGIN_WINDOW_MINUTES = 15;

export class LoginThrottledError extends TooManyRequestsError {
  /** Sent with the problem document by the error handler. */
  readonly headers: Record<string, string>;
  constructor(retryAt: Date) {
    super('Too many failed sign-in attempts for this email from this address; try again later');
    const seconds = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000));
    this.headers = { 'retry-after': String(seconds) };
  }
}

export function attemptKey(email: string, ip: string): AttemptKey {
  return { email: email.trim().toLowerCase(), ip };
}

/**
 * Runs a password check under the login limit: 10 failures per email+IP in 15 minutes, counted
 * in SQL so it holds across processes. The attempt is recorded before the check (so parallel
 * guesses count) and cleared when the password was right.
 */
export async function throttledCheck(db: Kysely<DB>, key: AttemptKey, check: () => Promise<boolean>): Promise<boolean> {
  const reservation = await db
    .transaction()
    .execute((trx) => reserveAttempt(trx, key, LOGIN_ATTEMPT_LIMIT, LOGIN_WINDOW_MINUTES));
  if ('retryAt' in reservation) throw new LoginThrottledError(reservation.retryAt);
  const ok = await check();
  if (ok) await clearAttempts(db, key);
  return ok;
}
