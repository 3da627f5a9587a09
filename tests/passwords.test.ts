import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { login, uniqueEmail } from './helpers/users.ts';

// Issue 20, item 4: bcrypt reads at most 72 bytes of a password, so two passwords that agreed on
// their first 72 bytes both signed in. Passwords are now pre-hashed (HMAC-SHA-256, base64) before
// bcrypt; hashes of the old scheme still verify, and are replaced at the next sign-in.
const t = useTestApp();

async function register(password: string) {
  const email = uniqueEmail('pw');
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password } });
  expect(response.statusCode, response.body).toBe(201);
  return { email, id: String(response.json().user.id) };
}

async function storedHash(id: string): Promise<string> {
  return (await t.db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;
}

/** An account as it was stored before the pre-hash: bcrypt of the raw password. */
async function legacyAccount(password: string) {
  const { email, id } = await register('placeholder password');
  await t.db.updateTable('users').set({ password_hash: bcrypt.hashSync(password, 10) }).where('id', '=', id).execute();
  return { email, id };
}

describe('passwords longer than bcrypt reads', () => {
  it('never lets two passwords that differ anywhere within the allowed length both sign in', async () => {
    const cases = [
      ['a'.repeat(72) + 'XYZ', 'a'.repeat(72) + 'DIFFERENT'],
      ['é'.repeat(40) + 'A', 'é'.repeat(40) + 'B'],
      ['x'.repeat(199) + '1', 'x'.repeat(199) + '2'],
    ];
    for (const [password = '', other = ''] of cases) {
      const { email } = await register(password);
      expect((await login(t.app, email, other)).statusCode, other).toBe(401);
      expect((await login(t.app, email, password)).statusCode, password).toBe(200);
    }
  });

  it('changes a password to a long one under the same rule', async () => {
    const { email } = await register('short password');
    const session = await login(t.app, email, 'short password');
    const cookie = String([session.headers['set-cookie']].flat()[0]).split(';')[0] ?? '';
    const long = 'b'.repeat(80);
    const changed = await t.app.inject({ method: 'PUT', url: '/api/settings/password', headers: { cookie }, payload: { current_password: 'short password', new_password: long } });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await login(t.app, email, 'b'.repeat(79) + 'c')).statusCode).toBe(401);
    expect((await login(t.app, email, long)).statusCode).toBe(200);
  });
});

describe('hashes stored before the pre-hash', () => {
  it('still sign in, and are replaced by the current scheme at that sign-in', async () => {
    const { email, id } = await legacyAccount('an old password');
    expect(await storedHash(id)).toMatch(/^\$2[aby]\$10\$/);
    expect((await login(t.app, email, 'not the password')).statusCode).toBe(401);
    expect(await storedHash(id)).toMatch(/^\$2[aby]\$10\$/);
    expect((await login(t.app, email, 'an old password')).statusCode).toBe(200);
    expect(await storedHash(id)).toMatch(/^bcrypt-hmac-sha256\$\$2[aby]\$10\$/);
    expect((await login(t.app, email, 'an old password')).statusCode).toBe(200);
    expect((await login(t.app, email, 'not the password')).statusCode).toBe(401);
  });

  it('are kept when the password that matched may not be the only one that could (72 bytes or more)', async () => {
    const original = 'a'.repeat(72) + 'XYZ';
    const { email, id } = await legacyAccount(original);
    const legacy = await storedHash(id);
    // Under the old scheme this also matched; re-hashing it would lock the real password out.
    expect((await login(t.app, email, 'a'.repeat(72) + 'DIFFERENT')).statusCode).toBe(200);
    expect(await storedHash(id)).toBe(legacy);
    expect((await login(t.app, email, original)).statusCode).toBe(200);
  });
});
