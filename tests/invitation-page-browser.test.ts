import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, closeTestApp, type TestContext } from './helpers/app.ts';
import { linkIn, startTestSmtp, type TestSmtp } from './helpers/smtp.ts';
import { registerUser, type SignedIn, uniqueEmail } from './helpers/users.ts';

// The invitation page in a real browser: headless Chromium from Debian's `chromium` package,
// driven by playwright-core (which downloads no browser of its own). The app listens on a real
// port, the invitation mail goes through the real SMTP server of the tests, and the browser opens
// the link in it, at a phone's width. `.ci/run` installs chromium; elsewhere the tests are
// skipped, saying so, only when no Chromium executable exists. UPDATE_SCREENSHOTS=1 rewrites
// docs/invitation-page.png (the README's screenshot).

const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => path !== undefined && path !== '' && existsSync(path),
);
// In CI a missing browser is a failure (.ci/run installs it), never a silent skip.
const skip = executablePath === undefined && process.env.CI !== 'true';
if (skip) console.warn('tests/invitation-page-browser.test.ts skipped: no Chromium executable (apt-get install chromium, or set CHROMIUM_PATH)');

const PHONE = { width: 360, height: 740 };

/** A port nobody listens on, so the app's PORT (which the mailed link names) is the port it listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

let smtp: TestSmtp;
let context: TestContext;
let browser: Browser;
let origin: string;
const logLines: string[] = [];

beforeAll(async () => {
  if (skip) return;
  if (executablePath === undefined) throw new Error('No Chromium executable: .ci/run installs the Debian package chromium');
  smtp = await startTestSmtp();
  const port = await freePort();
  context = await buildTestApp(
    { SMTP_URL: smtp.url, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' },
    { jobs: { pollingIntervalSeconds: 0.5 }, logStream: { write: (line) => void logLines.push(line) } },
  );
  await context.app.listen({ port, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath, headless: true });
});
afterAll(async () => {
  await browser?.close();
  if (context) await closeTestApp(context);
  await smtp?.stop();
});

const app = () => context.app;

async function householdOf(owner: SignedIn, name: string): Promise<string> {
  const response = await app().inject({ method: 'POST', url: '/api/households', headers: owner.headers, payload: { name } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

/** Invites `email` and returns the link of the mail that arrives. */
async function invitationLink(owner: SignedIn, hid: string, email: string, role = 'member'): Promise<{ id: string; link: URL }> {
  const response = await app().inject({ method: 'POST', url: `/api/households/${hid}/invitations`, headers: owner.headers, payload: { email, role } });
  expect(response.statusCode, response.body).toBe(201);
  const [mail] = await smtp.waitFor(1, (candidate) => candidate.envelope.to.includes(email));
  if (!mail) throw new Error('no invitation mail');
  return { id: response.json().id, link: linkIn(mail) };
}

/** A fresh browser profile at phone width, recording what the page logs and requests. */
async function openPhone(): Promise<{ browserContext: BrowserContext; page: Page; problems: string[]; requests: Request[] }> {
  const browserContext = await browser.newContext({ viewport: PHONE });
  const page = await browserContext.newPage();
  const problems: string[] = [];
  const requests: Request[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => void requests.push(request));
  // Reported by the browser to the page itself, whether or not it also logs them (the tests'
  // TypeScript knows no DOM, so the browser-side code is a string).
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));",
  });
  return { browserContext, page, problems, requests };
}

describe.skipIf(skip)('the invitation page in Chromium', { timeout: 60_000 }, () => {
  it('the invitee signs in with the keyboard, accepts, reads the outcome, and is a member', async () => {
    const owner = await registerUser(app(), { display_name: 'Ada Lovelace' });
    const hid = await householdOf(owner, 'Baker Street 221B');
    const guest = await registerUser(app(), { email: 'grace.hopper@example.com', display_name: 'Grace Hopper' });
    const { link } = await invitationLink(owner, hid, guest.email, 'member');
    expect(link.origin).toBe(origin);
    const token = link.searchParams.get('token') ?? '';

    const { browserContext, page, problems, requests } = await openPhone();
    const opened = await page.goto(link.href);
    expect(opened?.status()).toBe(200);
    await expect.poll(() => page.locator('#sign-in').isVisible()).toBe(true);
    expect(await page.locator('h1').textContent()).toBe('Join the household “Baker Street 221B”');
    expect(await page.locator('main > p').first().textContent()).toBe(
      'Ada Lovelace invited you to the household Baker Street 221B on UMBRA, as a member (you may add and change records).',
    );
    // Readable at 360 px: nothing wider than the screen.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(PHONE.width);
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/invitation-page.png', fullPage: true });

    const signIn = page.locator('#sign-in');
    expect(await signIn.getByLabel('Email').inputValue()).toBe(guest.email);
    await signIn.getByLabel('Password').fill('correct horse battery staple');
    await signIn.getByLabel('Password').press('Enter');
    const accept = page.getByRole('button', { name: 'Accept' });
    await accept.waitFor({ state: 'visible' });
    expect(await page.locator('#signed-in-as').textContent()).toBe(`You are signed in as ${guest.email}.`);
    // The focus moved to the question; the next Tab reaches Accept.
    expect(await page.locator(':focus').getAttribute('id')).toBe('answer-title');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('id')).toBe('accept');
    await page.keyboard.press('Enter');
    const outcome = page.getByRole('heading', { name: 'You are now a member of Baker Street 221B.' });
    await outcome.waitFor({ state: 'visible' });
    expect(await page.locator('#outcome-detail').textContent()).toBe('You can close this page.');

    const members = await app().inject({ method: 'GET', url: `/api/households/${hid}/members`, headers: owner.headers });
    expect(members.json().items).toContainEqual(expect.objectContaining({ user_id: guest.id, role: 'member' }));
    const mine = await app().inject({ method: 'GET', url: '/api/households', headers: guest.headers });
    expect(mine.json().items).toContainEqual(expect.objectContaining({ id: hid, my_role: 'member' }));

    // Every request stayed on our origin, none carried a Referer, and only the page's own URL
    // and the accept call's body carried the token.
    expect(requests.map((request) => new URL(request.url()).origin)).toEqual(requests.map(() => origin));
    // (allHeaders: what went over the wire; headers() also shows the renderer's provisional, empty Referer.)
    const referers = await Promise.all(requests.map(async (request) => (await request.allHeaders())['referer']));
    expect(referers).toEqual(requests.map(() => undefined));
    const withToken = requests.filter((request) => request.url().includes(token) || (request.postData() ?? '').includes(token));
    expect(withToken.map((request) => `${request.method()} ${new URL(request.url()).pathname}`)).toEqual([
      'GET /invitations/accept',
      'POST /api/household-invitations/accept',
    ]);
    expect(JSON.parse(withToken[1]?.postData() ?? '{}')).toEqual({ token });
    expect(logLines.join('')).not.toContain(token);
    expect(problems).toEqual([]);
    await browserContext.close();
  });

  it('a revoked link shows that the link is no longer valid', async () => {
    const owner = await registerUser(app(), { display_name: 'Ada' });
    const hid = await householdOf(owner, 'Revoked Road');
    const { id, link } = await invitationLink(owner, hid, uniqueEmail('late'));
    const revoked = await app().inject({ method: 'DELETE', url: `/api/households/${hid}/invitations/${id}`, headers: owner.headers });
    expect(revoked.statusCode).toBe(204);

    const { browserContext, page } = await openPhone();
    const opened = await page.goto(link.href);
    expect(opened?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('This invitation link is no longer valid');
    expect(await page.locator('body').textContent()).not.toContain('Revoked Road');
    expect(await page.locator('form').count()).toBe(0);
    await browserContext.close();
  });

  it('loads and works with no console error and no CSP violation: a new account registers and declines', async () => {
    const owner = await registerUser(app(), { display_name: 'Ada' });
    const hid = await householdOf(owner, 'Quiet Lane');
    const email = uniqueEmail('newcomer');
    const { id, link } = await invitationLink(owner, hid, email, 'viewer');

    const { browserContext, page, problems, requests } = await openPhone();
    await page.goto(link.href);
    await page.getByRole('button', { name: 'Create one' }).click();
    const register = page.locator('#register');
    expect(await register.getByLabel('Email').inputValue()).toBe(email);
    await register.getByLabel('Your name (as others in the household will see it)').fill('Newcomer');
    await register.getByLabel('Password').fill('a long enough password');
    await register.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByRole('heading', { name: 'You declined the invitation to Quiet Lane.' }).waitFor({ state: 'visible' });

    const invitations = await app().inject({ method: 'GET', url: `/api/households/${hid}/invitations`, headers: owner.headers });
    expect(invitations.json().items).toContainEqual(expect.objectContaining({ id, status: 'declined' }));
    // The page, its script and the API calls, all answered without an error status.
    const paths = requests.map((request) => `${request.method()} ${new URL(request.url()).pathname}`);
    expect(paths).toEqual([
      'GET /invitations/accept',
      'GET /invitations/page.js',
      'GET /api/auth/status',
      'POST /api/auth/register',
      'GET /api/household-invitations',
      `POST /api/household-invitations/${id}/decline`,
    ]);
    const statuses = await Promise.all(requests.map(async (request) => (await request.response())?.status()));
    expect(statuses).toEqual([200, 200, 200, 201, 200, 204]);
    expect(problems).toEqual([]);
    await browserContext.close();
  });
});
