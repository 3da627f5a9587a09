import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { expectNoSecrets, login, PASSWORD, registerUser, sessionCookie } from './helpers/users.ts';

const t = useTestApp();

describe('GET /api/settings', () => {
  it('returns the defaults after registration', async () => {
    const user = await registerUser(t.app, { display_name: 'Set Tings' });
    const response = await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers });
    expect(response.statusCode).toBe(200);
    const calendar = await t.db.selectFrom('calendars').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    const home = await t.db.selectFrom('household_members').select('household_id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(response.json()).toEqual({
      email: user.email,
      display_name: 'Set Tings',
      timezone: 'UTC',
      week_start: 1,
      theme: 'system',
      default_calendar_id: calendar.id,
      default_reminder_minutes: null,
      active_household_id: home.household_id,
      email_digest: false,
    });
    expectNoSecrets(response.body);
  });
});

describe('PUT and PATCH /api/settings', () => {
  it.each(['PUT', 'PATCH'] as const)('%s changes only the fields sent', async (method) => {
    const user = await registerUser(t.app);
    const first = await t.app.inject({ method, url: '/api/settings', headers: user.headers, payload: { timezone: 'Pacific/Kiritimati', week_start: 0 } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ timezone: 'Pacific/Kiritimati', week_start: 0, theme: 'system' });
    const second = await t.app.inject({ method, url: '/api/settings', headers: user.headers, payload: { theme: 'dark', default_reminder_minutes: 15, display_name: 'New Name' } });
    expect(second.json()).toMatchObject({ timezone: 'Pacific/Kiritimati', week_start: 0, theme: 'dark', default_reminder_minutes: 15, display_name: 'New Name' });
    const cleared = await t.app.inject({ method, url: '/api/settings', headers: user.headers, payload: { default_reminder_minutes: null } });
    expect(cleared.json()).toMatchObject({ default_reminder_minutes: null, theme: 'dark', email_digest: false });
    const digest = await t.app.inject({ method, url: '/api/settings', headers: user.headers, payload: { email_digest: true } });
    expect(digest.json()).toMatchObject({ email_digest: true, theme: 'dark' });
  });

  it('stores time zones in their canonical IANA spelling', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { timezone: 'america/new_york' } });
    expect(response.json().timezone).toBe('America/New_York');
  });

  it.each([
    [{ timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    [{ timezone: '+01:00' }, 'timezone'],
    [{ timezone: '' }, 'timezone'],
    [{ week_start: 7 }, 'week_start'],
    [{ week_start: -1 }, 'week_start'],
    [{ week_start: 1.5 }, 'week_start'],
    [{ theme: 'neon' }, 'theme'],
    [{ email_digest: 'yes' }, 'email_digest'],
    [{ email_digest: null }, 'email_digest'],
    [{ default_reminder_minutes: 10081 }, 'default_reminder_minutes'],
    [{ default_reminder_minutes: -1 }, 'default_reminder_minutes'],
    [{ default_calendar_id: null }, 'default_calendar_id'],
    [{ default_calendar_id: 'not-a-uuid' }, 'default_calendar_id'],
    [{ email: 'new@example.com' }, 'email'],
    [{ language: 'de' }, 'language'],
  ])('refuses %o naming %s, changing nothing', async (payload, path) => {
    const user = await registerUser(t.app);
    const before = (await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json();
    const response = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { theme: 'dark', ...payload } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json()).toEqual(before);
  });

  it('moves the default to another of your calendars, keeping exactly one default', async () => {
    const user = await registerUser(t.app);
    const second = await t.db.insertInto('calendars').values({ user_id: user.id, name: 'Work' }).returning('id').executeTakeFirstOrThrow();
    const response = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { default_calendar_id: second.id } });
    expect(response.statusCode).toBe(200);
    expect(response.json().default_calendar_id).toBe(second.id);
    const defaults = await t.db.selectFrom('calendars').select(['id', 'is_default']).where('user_id', '=', user.id).where('is_default', '=', true).execute();
    expect(defaults).toEqual([{ id: second.id, is_default: true }]);
  });

  it('refuses another user\'s or an unknown calendar as default with 400 naming the field', async () => {
    const user = await registerUser(t.app);
    const stranger = await registerUser(t.app);
    const theirs = await t.db.selectFrom('calendars').select('id').where('user_id', '=', stranger.id).executeTakeFirstOrThrow();
    for (const id of [theirs.id, '00000000-0000-4000-8000-000000000000']) {
      const response = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: user.headers, payload: { default_calendar_id: id, theme: 'dark' } });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([{ path: 'default_calendar_id', message: 'Not one of your calendars' }]);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).json().theme).toBe('system');
    const strangersDefault = await t.db.selectFrom('calendars').select('is_default').where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(strangersDefault.is_default).toBe(true);
  });
});

describe('PUT /api/settings/password', () => {
  it('refuses a wrong current password with 403 and changes nothing', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'PUT', url: '/api/settings/password', headers: user.headers, payload: { current_password: 'not my password', new_password: 'brand new password' } });
    expect(response.statusCode).toBe(403);
    expect((await login(t.app, user.email)).statusCode).toBe(200);
  });

  it('validates the new password', async () => {
    const user = await registerUser(t.app);
    const response = await t.app.inject({ method: 'PUT', url: '/api/settings/password', headers: user.headers, payload: { current_password: PASSWORD, new_password: 'short' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ path: 'new_password' })]);
  });

  it('changes the password and ends every other session of the user', async () => {
    const user = await registerUser(t.app);
    const elsewhere = sessionCookie(await login(t.app, user.email)) ?? '';
    const bystander = await registerUser(t.app);
    const response = await t.app.inject({ method: 'PUT', url: '/api/settings/password', headers: user.headers, payload: { current_password: PASSWORD, new_password: 'brand new password' } });
    expect(response.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: user.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie: elsewhere } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: bystander.headers })).statusCode).toBe(200);
    expect((await login(t.app, user.email)).statusCode).toBe(401);
    expect((await login(t.app, user.email, 'brand new password')).statusCode).toBe(200);
  });
});
