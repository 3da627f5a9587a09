import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import type { DB } from '../../src/platform/db/schema.ts';
import { SESSION_COOKIE } from '../../src/modules/auth/plugin.ts';

export const PASSWORD = 'correct horse battery staple';

export type SignedIn = {
  id: string;
  email: string;
  display_name: string;
  /** `umbra_sid=...`, ready for the Cookie header. */
  cookie: string;
  /** Headers that carry the session, for app.inject. */
  headers: { cookie: string };
};

type InjectResponse = Awaited<ReturnType<App['inject']>>;

export function sessionCookie(response: InjectResponse): string | undefined {
  const cookie = response.cookies.find((candidate) => candidate.name === SESSION_COOKIE && candidate.value !== '');
  return cookie ? `${SESSION_COOKIE}=${cookie.value}` : undefined;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.com`;
}

/** Registers through the API (settings, default calendar and all) and returns the session. */
export async function registerUser(
  app: App,
  options: { email?: string; display_name?: string; timezone?: string } = {},
): Promise<SignedIn> {
  const email = options.email ?? uniqueEmail();
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password: PASSWORD, ...(options.display_name ? { display_name: options.display_name } : {}) },
  });
  expect(response.statusCode, response.body).toBe(201);
  const cookie = sessionCookie(response);
  if (!cookie) throw new Error('registration set no session cookie');
  const { user } = response.json();
  const signedIn = { id: user.id, email: user.email, display_name: user.display_name, cookie, headers: { cookie } };
  if (options.timezone) {
    const settings = await app.inject({ method: 'PATCH', url: '/api/settings', headers: signedIn.headers, payload: { timezone: options.timezone } });
    expect(settings.statusCode, settings.body).toBe(200);
  }
  return signedIn;
}

/** Signs in through the API and returns the new session cookie. */
export async function login(app: App, email: string, password = PASSWORD, remoteAddress?: string): Promise<InjectResponse> {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, ...(remoteAddress ? { remoteAddress } : {}) });
}

export async function sessionRow(db: Kysely<DB>, cookie: string) {
  const signed = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
  const sid = signed.slice(0, signed.lastIndexOf('.'));
  return db.selectFrom('sessions').selectAll().where('sid', '=', sid).executeTakeFirst();
}

/** Fails if a response body carries anything that looks like a password hash. */
export function expectNoSecrets(body: string): void {
  expect(body).not.toMatch(/\$2[aby]\$\d\d\$/);
  expect(body).not.toMatch(/password/i);
}
