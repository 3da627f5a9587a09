import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { testConfig, useTestApp } from './helpers/app.ts';
import { login, PASSWORD, registerUser, sessionCookie } from './helpers/users.ts';

const t = useTestApp();

async function failTimes(email: string, times: number, remoteAddress: string) {
  for (let i = 0; i < times; i++) expect((await login(t.app, email, 'wrong password', remoteAddress)).statusCode).toBe(401);
}

describe('login rate limit: 10 failures per email+IP in 15 minutes', () => {
  it('answers 429 after 10 failures, even with the right password, with Retry-After', async () => {
    const user = await registerUser(t.app);
    await failTimes(user.email, 10, '10.0.0.1');
    const blocked = await login(t.app, user.email, PASSWORD, '10.0.0.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(sessionCookie(blocked)).toBeUndefined();
    // The email's case does not open a new bucket.
    expect((await login(t.app, user.email.toUpperCase(), PASSWORD, '10.0.0.1')).statusCode).toBe(429);
  });

  it('counts per email and per IP', async () => {
    const user = await registerUser(t.app);
    const other = await registerUser(t.app);
    await failTimes(user.email, 10, '10.0.0.2');
    expect((await login(t.app, user.email, PASSWORD, '10.0.0.3')).statusCode).toBe(200);
    expect((await login(t.app, other.email, PASSWORD, '10.0.0.2')).statusCode).toBe(200);
  });

  it('lets the user in once the window has passed', async () => {
    const user = await registerUser(t.app);
    await failTimes(user.email, 10, '10.0.0.4');
    expect((await login(t.app, user.email, PASSWORD, '10.0.0.4')).statusCode).toBe(429);
    await t.db
      .updateTable('login_attempts')
      .set({ attempted_at: sql<Date>`attempted_at - interval '15 minutes 1 second'` })
      .where('ip', '=', '10.0.0.4')
      .execute();
    expect((await login(t.app, user.email, PASSWORD, '10.0.0.4')).statusCode).toBe(200);
  });

  it('clears the failures of that email+IP after a successful sign-in', async () => {
    const user = await registerUser(t.app);
    await failTimes(user.email, 9, '10.0.0.5');
    expect((await login(t.app, user.email, PASSWORD, '10.0.0.5')).statusCode).toBe(200);
    await failTimes(user.email, 9, '10.0.0.5');
    expect((await login(t.app, user.email, PASSWORD, '10.0.0.5')).statusCode).toBe(200);
  });

  it('limits unknown emails the same way (no enumeration through the limiter)', async () => {
    await failTimes('nobody@example.com', 10, '10.0.0.6');
    expect((await login(t.app, 'nobody@example.com', 'wrong password', '10.0.0.6')).statusCode).toBe(429);
  });

  it('holds concurrent guesses to the limit', async () => {
    const user = await registerUser(t.app);
    const responses = await Promise.all(Array.from({ length: 15 }, () => login(t.app, user.email, 'wrong password', '10.0.0.7')));
    const codes = responses.map((response) => response.statusCode).sort();
    expect(codes.filter((code) => code === 401)).toHaveLength(10);
    expect(codes.filter((code) => code === 429)).toHaveLength(5);
  });

  it('holds across server processes sharing the database', async () => {
    const user = await registerUser(t.app);
    const other = await buildApp(testConfig(), { database: { db: t.db, kind: 'postgres', close: async () => {} } });
    try {
      for (let i = 0; i < 5; i++) expect((await login(t.app, user.email, 'wrong password', '10.0.0.8')).statusCode).toBe(401);
      for (let i = 0; i < 5; i++) expect((await login(other, user.email, 'wrong password', '10.0.0.8')).statusCode).toBe(401);
      expect((await login(t.app, user.email, PASSWORD, '10.0.0.8')).statusCode).toBe(429);
      expect((await login(other, user.email, PASSWORD, '10.0.0.8')).statusCode).toBe(429);
    } finally {
      await other.close();
    }
  });

  it('throttles guesses of the current password on a password change too', async () => {
    const user = await registerUser(t.app);
    for (let i = 0; i < 10; i++) {
      const response = await t.app.inject({
        method: 'PUT',
        url: '/api/settings/password',
        headers: user.headers,
        remoteAddress: '10.0.0.9',
        payload: { current_password: 'wrong password', new_password: 'a new password' },
      });
      expect(response.statusCode).toBe(403);
    }
    const blocked = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/password',
      headers: user.headers,
      remoteAddress: '10.0.0.9',
      payload: { current_password: PASSWORD, new_password: 'a new password' },
    });
    expect(blocked.statusCode).toBe(429);
  });
});
