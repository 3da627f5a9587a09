import { Piscina } from 'piscina';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTestApp, closeTestApp, useTestApp } from './helpers/app.ts';
import { expectNoSecrets, login, PASSWORD, registerUser, sessionCookie, sessionRow, uniqueEmail } from './helpers/users.ts';

const t = useTestApp();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('POST /api/auth/register', () => {
  it('creates the user, their settings and a default "Personal" calendar, and signs in', async () => {
    const email = uniqueEmail('Reg');
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: PASSWORD, display_name: 'Reg' } });
    expect(response.statusCode).toBe(201);
    const { user } = response.json();
    expect(user).toEqual({ id: expect.any(String), email, display_name: 'Reg', created_at: expect.stringMatching(/Z$/) });
    expectNoSecrets(response.body);

    const cookie = response.cookies.find((candidate) => candidate.name === 'umbra_sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    const lifetime = (cookie?.expires?.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(29.9 * 24 * 3600 * 1000);
    expect(lifetime).toBeLessThanOrEqual(30 * 24 * 3600 * 1000);

    const settings = await t.db.selectFrom('user_settings').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(settings).toMatchObject({ timezone: 'UTC', week_start: 1, theme: 'system', default_reminder_minutes: null });
    const calendars = await t.db.selectFrom('calendars').selectAll().where('user_id', '=', user.id).execute();
    expect(calendars).toEqual([expect.objectContaining({ name: 'Personal', is_default: true, version: 1 })]);

    const status = await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie: sessionCookie(response) } });
    expect(status.json()).toEqual({ authenticated: true, user });
  });

  it('defaults display_name to the part of the email before the @', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'zoe.q@example.org', password: PASSWORD } });
    expect(response.json().user.display_name).toBe('zoe.q');
  });

  it('stores passwords as bcrypt hashes of cost >= 10 (of the pre-hashed password, marked with the scheme)', async () => {
    const user = await registerUser(t.app);
    const row = await t.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^bcrypt-hmac-sha256\$\$2[aby]\$(1\d)\$/);
    expect(Number(/\$2[aby]\$(\d\d)\$/.exec(row.password_hash)?.[1])).toBeGreaterThanOrEqual(10);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('refuses an email already taken, regardless of case, with 409', async () => {
    const email = uniqueEmail('dup');
    await registerUser(t.app, { email });
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: email.toUpperCase(), password: PASSWORD } });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ status: 409, detail: 'An account with this email already exists' });
    const count = await t.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('email', 'ilike', email).executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it.each([
    [{ email: 'not-an-email', password: PASSWORD }, 'email'],
    [{ email: uniqueEmail(), password: 'short' }, 'password'],
    [{ email: uniqueEmail(), password: 'x'.repeat(201) }, 'password'],
    [{ email: uniqueEmail(), password: PASSWORD, display_name: '' }, 'display_name'],
    [{ email: uniqueEmail(), password: PASSWORD, admin: true }, 'admin'],
    [{ password: PASSWORD }, 'email'],
  ])('refuses %o naming %s', async (payload, path) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(response.cookies).toHaveLength(0);
  });

  it('is a 403 when ALLOW_REGISTRATION=false', async () => {
    const closed = await buildTestApp({ ALLOW_REGISTRATION: 'false' });
    try {
      const response = await closed.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: uniqueEmail(), password: PASSWORD } });
      expect(response.statusCode).toBe(403);
      expect(await closed.testDatabase.database.db.selectFrom('users').select('id').execute()).toEqual([]);
    } finally {
      await closeTestApp(closed);
    }
  });

  it('marks the cookie Secure when COOKIE_SECURE=true behind a TLS proxy', async () => {
    const secure = await buildTestApp({ COOKIE_SECURE: 'true', TRUST_PROXY: 'true' });
    try {
      const response = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: uniqueEmail(), password: PASSWORD },
      });
      expect(response.statusCode).toBe(201);
      expect(response.cookies.find((cookie) => cookie.name === 'umbra_sid')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
    } finally {
      await closeTestApp(secure);
    }
  });
});

describe('POST /api/auth/login', () => {
  it('signs in with any case of the email and sets a new session cookie', async () => {
    const user = await registerUser(t.app);
    const response = await login(t.app, user.email.toUpperCase());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: { id: user.id, email: user.email, display_name: user.display_name, created_at: expect.any(String) } });
    expectNoSecrets(response.body);
    const cookie = sessionCookie(response);
    expect(cookie).toBeDefined();
    expect(cookie).not.toBe(user.cookie);
  });

  it('answers an unknown email and a wrong password alike, after a bcrypt comparison each', async () => {
    const user = await registerUser(t.app);
    const verify = vi.spyOn(t.app.passwords, 'verify');
    const compare = vi.spyOn(Piscina.prototype, 'run');

    const wrongPassword = await login(t.app, user.email, 'wrong password!');
    const unknownEmail = await login(t.app, uniqueEmail('nobody'), 'wrong password!');

    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    const strip = (body: string) => ({ ...JSON.parse(body), instance: undefined });
    expect(strip(unknownEmail.body)).toEqual(strip(wrongPassword.body));
    expect(wrongPassword.json().detail).toBe('Invalid email or password');

    expect(verify).toHaveBeenCalledTimes(2);
    expect(verify.mock.calls[0]?.[1]).toMatch(/^bcrypt-hmac-sha256\$\$2/);
    expect(verify.mock.calls[1]?.[1]).toBeUndefined();
    const verifications = compare.mock.calls.filter(([task]) => typeof task === 'object' && task !== null && 'op' in task && task.op === 'verify');
    expect(verifications).toHaveLength(2);
    for (const [task] of verifications) expect(task).toMatchObject({ hash: expect.stringMatching(/^bcrypt-hmac-sha256\$\$2[aby]\$10\$/) });
  });

  it('refuses malformed input with 400', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.c' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: 'password' })]);
  });
});

describe('sessions', () => {
  it('regenerates the session id at login: the id sent before is useless afterwards', async () => {
    const user = await registerUser(t.app);
    const before = user.cookie;
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: before }, payload: { email: user.email, password: PASSWORD } });
    const after = sessionCookie(response);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await sessionRow(t.db, before)).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie: before } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie: after ?? '' } })).statusCode).toBe(200);
  });

  it('logout deletes the session row; the old cookie gets 401', async () => {
    const user = await registerUser(t.app);
    expect(await sessionRow(t.db, user.cookie)).toBeDefined();
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers });
    expect(response.statusCode).toBe(204);
    expect(response.cookies.find((cookie) => cookie.name === 'umbra_sid')?.value).toBe('');
    expect(await sessionRow(t.db, user.cookie)).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).statusCode).toBe(401);
    const status = await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: user.headers });
    expect(status.json()).toEqual({ authenticated: false, user: null });
  });

  it('GET /api/auth/status is public', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/auth/status' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ authenticated: false, user: null });
  });

  it('refuses a tampered cookie', async () => {
    const user = await registerUser(t.app);
    const tampered = `${user.cookie.slice(0, -3)}abc`;
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie: tampered } })).statusCode).toBe(401);
  });

  it('does not write the store on an ordinary request', async () => {
    const user = await registerUser(t.app);
    const before = await sessionRow(t.db, user.cookie);
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).statusCode).toBe(200);
    expect(await sessionRow(t.db, user.cookie)).toEqual(before);
  });

  it('sends Max-Age next to Expires on the session cookie, once per response', async () => {
    const email = uniqueEmail('age');
    const registered = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: PASSWORD } });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
    for (const response of [registered, login]) {
      const lines = [response.headers['set-cookie']].flat().filter((line) => String(line).startsWith('umbra_sid='));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/; Expires=[^;]+/);
      const maxAge = Number(/; Max-Age=(\d+)/.exec(String(lines[0]))?.[1]);
      expect(maxAge).toBeGreaterThan(30 * 24 * 3600 - 60);
      expect(maxAge).toBeLessThanOrEqual(30 * 24 * 3600);
    }
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: sessionCookie(login) ?? '' } });
    expect(String([logout.headers['set-cookie']].flat().find((line) => String(line).startsWith('umbra_sid=')))).toMatch(/; Max-Age=0/);
  });

  it('slides the expiry forward at most once a day', async () => {
    const user = await registerUser(t.app);
    const row = await sessionRow(t.db, user.cookie);
    const soon = new Date(Date.now() + 24 * 3600 * 1000);
    await t.db
      .updateTable('sessions')
      .set({ expires_at: soon, data: JSON.stringify({ ...Object(row?.data), refreshedAt: Date.now() - 2 * 24 * 3600 * 1000, cookie: { ...Object(Object(row?.data).cookie), expires: soon.toISOString() } }) })
      .where('sid', '=', row?.sid ?? '')
      .execute();
    const response = await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers });
    expect(response.statusCode).toBe(200);
    const refreshed = await sessionRow(t.db, user.cookie);
    expect(refreshed?.expires_at.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
  });

  it('reads the time zone with the session: a change counts from the next request, and no session row ever holds it', async () => {
    const user = await registerUser(t.app);
    const dates: string[] = [];
    // UTC+14 and UTC-11: 25 hours apart, so their dates always differ.
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      expect((await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { timezone: zone } })).statusCode).toBe(200);
      const dashboard = (await t.app.inject({ method: 'GET', url: '/api/dashboard', headers: user.headers })).json();
      expect(dashboard.timezone).toBe(zone);
      dates.push(dashboard.date);
    }
    expect(dates[0]).not.toBe(dates[1]);
    // A request that saves the session (the daily refresh) stores what it stored before, no clock.
    const row = await sessionRow(t.db, user.cookie);
    await t.db
      .updateTable('sessions')
      .set({ data: JSON.stringify({ ...Object(row?.data), refreshedAt: Date.now() - 2 * 24 * 3600 * 1000 }) })
      .where('sid', '=', row?.sid ?? '')
      .execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/dashboard', headers: user.headers })).statusCode).toBe(200);
    const saved = await sessionRow(t.db, user.cookie);
    expect(Object(saved?.data).refreshedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(Object.keys(Object(saved?.data)).sort()).toEqual(['cookie', 'refreshedAt', 'userId']);
  });

  it('treats an expired session as none, and purges expired rows', async () => {
    const user = await registerUser(t.app);
    const row = await sessionRow(t.db, user.cookie);
    await t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('sid', '=', row?.sid ?? '').execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).statusCode).toBe(401);
    const { purgeExpiredSessions } = await import('../src/modules/auth/session-store.ts');
    expect(await purgeExpiredSessions(t.db)).toBeGreaterThanOrEqual(1);
    expect(await sessionRow(t.db, user.cookie)).toBeUndefined();
  });

  it('two app instances on one database share sessions', async () => {
    const { buildApp } = await import('../src/app.ts');
    const { testConfig } = await import('./helpers/app.ts');
    const other = await buildApp(testConfig(), { database: { db: t.db, kind: 'postgres', close: async () => {} } });
    try {
      const user = await registerUser(t.app);
      const response = await other.inject({ method: 'GET', url: '/api/settings', headers: user.headers });
      expect(response.statusCode).toBe(200);
      expect(response.json().email).toBe(user.email);
      const signedInOnOther = sessionCookie(await login(other, user.email));
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/status', headers: { cookie: signedInOnOther ?? '' } })).json()).toMatchObject({ authenticated: true });
      // Ending a session on one instance ends it on the other at once: nothing is cached.
      expect((await other.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers })).statusCode).toBe(204);
      expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});
