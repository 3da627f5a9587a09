import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.ts';
import { INVITATION_TOKEN_PURPOSE, invitationToken } from '../src/modules/household-invitations/token.ts';
import { buildTestApp, closeTestApp, type TestContext, testConfig } from './helpers/app.ts';
import { homeOf } from './helpers/households.ts';
import { registerUser, type SignedIn, uniqueEmail } from './helpers/users.ts';

// The page the invitation mail links to, over HTTP (tests/invitation-page-browser.test.ts runs
// it in a real browser): what a pending link shows, that every other link gets the very same
// bytes, the headers it keeps, and that the token never reaches the request log.

const logLines: string[] = [];
let context: TestContext;
let closedRegistration: App;

beforeAll(async () => {
  context = await buildTestApp({ LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void logLines.push(line) } });
  // The same database, registration turned off: the page offers no account creation.
  closedRegistration = await buildApp(testConfig({ ALLOW_REGISTRATION: 'false' }), { database: context.testDatabase.database });
});
afterAll(async () => {
  await closedRegistration.close();
  await closeTestApp(context);
});

const app = () => context.app;
const db = () => context.testDatabase.database.db;
const tokenOf = (invitationId: string) => invitationToken(app().keyring.deriveSecret(INVITATION_TOKEN_PURPOSE), invitationId);
const page = (query: string, on: App = app()) => on.inject({ method: 'GET', url: `/invitations/accept${query}` });

async function invite(owner: SignedIn, email = uniqueEmail('guest'), role = 'member', hid?: string): Promise<{ id: string; token: string; email: string; hid: string }> {
  const householdId = hid ?? (await homeOf(app(), owner)).id;
  const response = await app().inject({ method: 'POST', url: `/api/households/${householdId}/invitations`, headers: owner.headers, payload: { email, role } });
  expect(response.statusCode, response.body).toBe(201);
  const { id } = response.json();
  return { id, token: tokenOf(id), email, hid: householdId };
}

/** Everything a client receives but the request id and the clock. */
function comparable(response: Awaited<ReturnType<App['inject']>>) {
  const { date: _date, 'x-request-id': _requestId, ...headers } = response.headers;
  return { status: response.statusCode, headers, body: response.rawPayload.toString('hex') };
}

describe('a pending invitation', () => {
  it('names the household, the inviter and the role, offers sign-in and registration, and never echoes the token', async () => {
    const owner = await registerUser(app(), { display_name: 'Ada Lovelace' });
    const invitation = await invite(owner, uniqueEmail('guest'), 'viewer');
    const response = await page(`?token=${invitation.token}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const body = response.body;
    expect(body).toContain('<h1>Join the household “Home”</h1>');
    expect(body).toContain('Ada Lovelace invited you to the household <strong>Home</strong> on UMBRA, as a viewer (you may read everything).');
    expect(body).toContain(`The invitation was sent to ${invitation.email}`);
    expect(body).toContain(`data-invitation-id="${invitation.id}"`);
    for (const id of ['sign-in-email', 'sign-in-password', 'register-email', 'register-password', 'register-name']) {
      expect(body, id).toContain(`<label for="${id}">`);
      expect(body, id).toContain(`<input id="${id}"`);
    }
    expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(body).not.toContain(invitation.token);
  });

  it('offers no account creation when registration is off', async () => {
    const invitation = await invite(await registerUser(app()));
    const body = (await page(`?token=${invitation.token}`, closedRegistration)).body;
    expect(body).toContain('id="sign-in-form"');
    expect(body).not.toContain('register');
  });

  it('loads nothing from another origin, and keeps the CSP every other response has', async () => {
    const invitation = await invite(await registerUser(app()));
    const response = await page(`?token=${invitation.token}`);
    const health = await app().inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['content-security-policy']).toBe(health.headers['content-security-policy']);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const sources = [...response.body.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1]);
    // The script, and an empty icon so the browser asks for no /favicon.ico.
    expect(sources).toEqual(['data:,', 'page.js']);
    expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const script = await app().inject({ method: 'GET', url: '/invitations/page.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain("'/household-invitations/accept', { token }");
  });

  it('writes names typed by users as text, never as markup', async () => {
    const owner = await registerUser(app(), { display_name: '<img src=x onerror=alert(1)>' });
    const home = await homeOf(app(), owner);
    const renamed = await app().inject({ method: 'PATCH', url: `/api/households/${home.id}`, headers: owner.headers, payload: { name: `"><script>alert('x')</script>` } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const invitation = await invite(owner, uniqueEmail('guest'), 'member', home.id);
    const body = (await page(`?token=${invitation.token}`)).body;
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt; invited you');
    expect(body).toContain('data-household="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"');
    expect(body).not.toContain('<img');
    expect(body.match(/<script/g)).toHaveLength(1);
  });
});

describe('every other link', () => {
  it('expired, accepted, declined, revoked, unknown and malformed: the same 404, byte for byte, apart from the request id', async () => {
    const owner = await registerUser(app());
    const guest = await registerUser(app());
    const accepted = await invite(owner, guest.email);
    const acceptedAnswer = await app().inject({ method: 'POST', url: '/api/household-invitations/accept', headers: guest.headers, payload: { token: accepted.token } });
    expect(acceptedAnswer.statusCode, acceptedAnswer.body).toBe(200);
    const decliner = await registerUser(app());
    const declined = await invite(owner, decliner.email);
    const declinedAnswer = await app().inject({ method: 'POST', url: `/api/household-invitations/${declined.id}/decline`, headers: decliner.headers });
    expect(declinedAnswer.statusCode, declinedAnswer.body).toBe(204);
    const revoked = await invite(owner);
    const revoke = await app().inject({ method: 'DELETE', url: `/api/households/${revoked.hid}/invitations/${revoked.id}`, headers: owner.headers });
    expect(revoke.statusCode).toBe(204);
    const expired = await invite(owner);
    await db()
      .updateTable('household_invitations')
      .set({ created_at: sql<Date>`now() - interval '8 days'`, expires_at: sql<Date>`now() - interval '1 day'` })
      .where('id', '=', expired.id)
      .execute();

    const queries = [
      `?token=${expired.token}`,
      `?token=${accepted.token}`,
      `?token=${declined.token}`,
      `?token=${revoked.token}`,
      `?token=${tokenOf(crypto.randomUUID())}`,
      '?token=not-a-token',
      `?token=${revoked.token}x`,
      '?token=',
      '',
      `?token=${revoked.token}&token=${revoked.token}`,
      '?token=%ff%fe',
      `?token=${'a'.repeat(5000)}`,
      `?other=1`,
    ];
    const responses = [];
    for (const query of queries) responses.push(comparable(await page(query)));
    const [first] = responses;
    expect(first?.status).toBe(404);
    expect(Buffer.from(first?.body ?? '', 'hex').toString()).toContain('This invitation link is no longer valid');
    for (const [index, response] of responses.entries()) expect(response, queries[index]).toEqual(first);
    // The request id is the one part that differs (and what the test above left out).
    const [a, b] = await Promise.all([page(`?token=${revoked.token}`), page('?token=x')]);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});

describe('the request log', () => {
  it('never shows the token of the link, pending or not, while still saying the page was asked for', async () => {
    const owner = await registerUser(app());
    const pending = await invite(owner);
    const revoked = await invite(owner);
    await app().inject({ method: 'DELETE', url: `/api/households/${revoked.hid}/invitations/${revoked.id}`, headers: owner.headers });
    const before = logLines.length;
    expect((await page(`?token=${pending.token}`)).statusCode).toBe(200);
    expect((await page(`?token=${revoked.token}`)).statusCode).toBe(404);
    expect((await page(`?token=${encodeURIComponent(pending.token)}&token=${pending.token}`)).statusCode).toBe(404);
    const written = logLines.slice(before);
    expect(written.length).toBeGreaterThanOrEqual(6);
    for (const token of [pending.token, revoked.token]) for (const line of written) expect(line).not.toContain(token);
    expect(written.filter((line) => line.includes('"url":"/invitations/accept[redacted]"'))).toHaveLength(3);
  });
});
