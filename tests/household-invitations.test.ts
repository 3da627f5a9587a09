import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { invitationToken, INVITATION_TOKEN_PURPOSE } from '../src/modules/household-invitations/token.ts';
import { useTestApp } from './helpers/app.ts';
import { homeOf, householdWithEveryRole, joinAs, ROLES, type Who } from './helpers/households.ts';
import { registerUser, type SignedIn, uniqueEmail } from './helpers/users.ts';

// Every invitation path through HTTP, without a mail server: the mails wait in the outbox
// (tests/mail-delivery.test.ts delivers them over a real SMTP server and uses the mailed link).
const t = useTestApp();

type Method = 'GET' | 'POST' | 'DELETE';
const call = (user: SignedIn, method: Method, url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

const invite = (user: SignedIn, hid: string, email: string, role = 'member') => call(user, 'POST', `/api/households/${hid}/invitations`, { email, role });
const invited = async (user: SignedIn, hid: string, email: string, role = 'member'): Promise<{ id: string; email: string }> => {
  const response = await invite(user, hid, email, role);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};
const inbox = async (user: SignedIn) => (await call(user, 'GET', '/api/household-invitations')).json().items as Array<{ id: string }>;
const listed = async (user: SignedIn, hid: string, query = '') => (await call(user, 'GET', `/api/households/${hid}/invitations${query}`)).json();
const auditOf = async (owner: SignedIn, hid: string, action: string) =>
  (await call(owner, 'GET', `/api/households/${hid}/audit?action=${action}`)).json().items as Array<{ actor: { id: string } | null; target: { type: string; id: string } | null; details: Record<string, unknown> }>;
/** What the emailed link carries (tests/mail-delivery.test.ts reads it from a delivered mail). */
const tokenOf = (invitationId: string) => invitationToken(t.app.keyring.deriveSecret(INVITATION_TOKEN_PURPOSE), invitationId);
const acceptToken = (user: SignedIn, token: string) => call(user, 'POST', '/api/household-invitations/accept', { token });

/** Moves an invitation 8 days into the past: it expired a day ago. */
const age = (id: string) =>
  t.db
    .updateTable('household_invitations')
    .set({ created_at: sql<Date>`now() - interval '8 days'`, expires_at: sql<Date>`now() - interval '1 day'` })
    .where('id', '=', id)
    .execute();

describe('inviting', () => {
  it('owner and admin invite (201, the contract shape, 7 days); member and viewer 403; a stranger 404; refusals store nothing', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const expected: Record<Who, number> = { owner: 201, admin: 201, member: 403, viewer: 403, stranger: 404 };
    for (const who of ROLES) {
      const email = uniqueEmail(who);
      const response = await invite(household[who], household.id, email, 'viewer');
      expect(response.statusCode, `${who}: ${response.body}`).toBe(expected[who]);
      if (expected[who] === 403) expect(response.json().detail).toBe(`A household ${who} may not rename the household, invite, revoke invitations, change roles or remove members`);
      if (expected[who] !== 201) continue;
      const invitation = response.json();
      expect(invitation).toEqual({
        id: expect.any(String),
        email,
        role: 'viewer',
        status: 'pending',
        invited_by: { id: household[who].id, display_name: who },
        created_at: expect.any(String),
        expires_at: expect.any(String),
      });
      expect((Date.parse(invitation.expires_at) - Date.parse(invitation.created_at)) / 86_400_000).toBe(7);
    }
    const rows = await t.db.selectFrom('household_invitations').select('invited_by').where('household_id', '=', household.id).execute();
    expect(rows.map((row) => row.invited_by).sort()).toEqual([household.owner.id, household.admin.id].sort());
    const invitedAudit = await auditOf(household.owner, household.id, 'member.invited');
    expect(invitedAudit).toHaveLength(2);
    expect(invitedAudit[0]).toMatchObject({ actor: { id: household.admin.id }, target: { type: 'invitation' }, details: { email: expect.stringMatching(/^admin-/), role: 'viewer' } });
    expect(Object.keys(invitedAudit[0]?.details ?? {}).sort()).toEqual(['email', 'role']);
  });

  it('writes one outbox mail per invitation in the same transaction, holding ids and names, never the token', async () => {
    const owner = await registerUser(t.app, { display_name: 'Ada' });
    const home = await homeOf(t.app, owner);
    const email = uniqueEmail('guest');
    const invitation = await invited(owner, home.id, email, 'admin');
    const mails = await t.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', email).execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      template: 'household-invitation',
      status: 'pending',
      attempts: 0,
      params: { invitation_id: invitation.id, household_name: 'Home', inviter_name: 'Ada', role: 'admin', expires_at: expect.any(String) },
      message_id: `<${mails[0]?.id}@localhost>`,
    });
    const token = tokenOf(invitation.id);
    const stored = await t.db.selectFrom('household_invitations').select('token_hash').where('id', '=', invitation.id).executeTakeFirstOrThrow();
    expect(stored.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    // The token itself is nowhere: not in the invitation, the outbox, the audit log or the job.
    const everywhere = await sql<{ text: string }>`
      select row_to_json(i)::text as text from household_invitations i
      union all select row_to_json(m)::text from mail_outbox m
      union all select row_to_json(a)::text from audit_log a
      union all select row_to_json(j)::text from pgboss.job j`.execute(t.db);
    expect(everywhere.rows.length).toBeGreaterThan(3);
    for (const row of everywhere.rows) expect(row.text).not.toContain(token);
  });

  it('is a 409 for a member (any case) and for an email already invited (any case), and a 400 for owner or a bad email', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const member = await invite(household.owner, household.id, household.member.email.toUpperCase());
    expect(member.statusCode).toBe(409);
    expect(member.json().detail).toBe('That email already belongs to a member of this household');
    expect((await invite(household.owner, household.id, household.owner.email)).statusCode).toBe(409);
    const email = uniqueEmail('twice');
    await invited(household.owner, household.id, email);
    const again = await invite(household.admin, household.id, `  ${email.toUpperCase()} `);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('That email already has a pending invitation to this household');
    expect((await invite(household.owner, household.id, uniqueEmail(), 'owner')).statusCode).toBe(400);
    expect((await invite(household.owner, household.id, 'not-an-email')).statusCode).toBe(400);
    expect((await call(household.owner, 'POST', `/api/households/${household.id}/invitations`, { email: uniqueEmail(), role: 'member', token: 'x' })).statusCode).toBe(400);
    // Another household may invite the same email.
    const other = await homeOf(t.app, household.stranger);
    await invited(household.stranger, other.id, email);
    expect((await listed(household.owner, household.id)).total).toBe(1);
  });

  it('an email with no account yet: the invitation waits and shows in the inbox of the account registered with it', async () => {
    const owner = await registerUser(t.app);
    const home = await homeOf(t.app, owner);
    const email = uniqueEmail('later');
    const invitation = await invited(owner, home.id, email.toUpperCase(), 'viewer');
    const newcomer = await registerUser(t.app, { email });
    expect(await inbox(newcomer)).toEqual([
      { id: invitation.id, household: { id: home.id, name: 'Home' }, role: 'viewer', invited_by: { id: owner.id, display_name: owner.display_name }, expires_at: expect.any(String) },
    ]);
    const accepted = await call(newcomer, 'POST', `/api/household-invitations/${invitation.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ id: home.id, name: 'Home', my_role: 'viewer', member_count: 2 });
  });
});

describe('the household list of invitations', () => {
  it('is newest first with each status computed, ?status= filters, and only owner and admin read it', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const [pending, accepted, declined, revoked, expired] = await Promise.all(['pending', 'accepted', 'declined', 'revoked', 'expired'].map((name) => registerUser(t.app, { display_name: name })));
    if (!pending || !accepted || !declined || !revoked || !expired) throw new Error('registration failed');
    const ids: Record<string, string> = {};
    for (const user of [expired, revoked, declined, accepted, pending]) ids[user.display_name] = (await invited(household.owner, household.id, user.email)).id;
    await age(ids.expired ?? '');
    expect((await call(household.admin, 'DELETE', `/api/households/${household.id}/invitations/${ids.revoked}`)).statusCode).toBe(204);
    expect((await call(declined, 'POST', `/api/household-invitations/${ids.declined}/decline`)).statusCode).toBe(204);
    expect((await call(accepted, 'POST', `/api/household-invitations/${ids.accepted}/accept`)).statusCode).toBe(200);

    const all = await listed(household.admin, household.id);
    expect(all.total).toBe(5);
    expect(all.items.map((item: { email: string; status: string }) => [item.email, item.status])).toEqual([
      [pending.email, 'pending'],
      [accepted.email, 'accepted'],
      [declined.email, 'declined'],
      [revoked.email, 'revoked'],
      [expired.email, 'expired'],
    ]);
    for (const status of ['pending', 'accepted', 'declined', 'revoked', 'expired']) {
      const page = await listed(household.owner, household.id, `?status=${status}`);
      expect(page, status).toMatchObject({ total: 1, items: [{ status, id: ids[status] }] });
    }
    expect(await listed(household.owner, household.id, '?limit=2&offset=1')).toMatchObject({ total: 5, limit: 2, offset: 1, items: [{ id: ids.accepted }, { id: ids.declined }] });
    expect((await call(household.owner, 'GET', `/api/households/${household.id}/invitations?status=lost`)).statusCode).toBe(400);
    const expected: Record<Who, number> = { owner: 200, admin: 200, member: 403, viewer: 403, stranger: 404 };
    for (const who of ROLES) expect((await call(household[who], 'GET', `/api/households/${household.id}/invitations`)).statusCode, who).toBe(expected[who]);
  });
});

describe('revoking', () => {
  it('ends a pending invitation (204, audited); again or after it ended is a 409; not yours is a 404', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const guest = await registerUser(t.app);
    const invitation = await invited(household.owner, household.id, guest.email, 'member');
    const url = `/api/households/${household.id}/invitations/${invitation.id}`;
    expect((await call(household.member, 'DELETE', url)).statusCode).toBe(403);
    expect((await call(household.stranger, 'DELETE', url)).statusCode).toBe(404);
    const strangersHome = await homeOf(t.app, household.stranger);
    expect((await call(household.stranger, 'DELETE', `/api/households/${strangersHome.id}/invitations/${invitation.id}`)).statusCode).toBe(404);
    expect((await listed(household.owner, household.id, '?status=pending')).total).toBe(1);

    expect((await call(household.admin, 'DELETE', url)).statusCode).toBe(204);
    const again = await call(household.owner, 'DELETE', url);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('Only a pending invitation can be revoked; this one is revoked');
    expect(await inbox(guest)).toEqual([]);
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`)).statusCode).toBe(404);
    expect((await acceptToken(guest, tokenOf(invitation.id))).statusCode).toBe(404);
    expect(await auditOf(household.owner, household.id, 'invitation.revoked')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: household.admin.id }), target: { type: 'invitation', id: invitation.id }, details: { email: guest.email, role: 'member' } }),
    ]);
    // Revoked, the email may be invited again.
    await invited(household.owner, household.id, guest.email);
  });
});

describe('the invitee', () => {
  it('sees pending invitations to their email only, soonest to expire first', async () => {
    const [first, second, guest, other] = await Promise.all([registerUser(t.app), registerUser(t.app), registerUser(t.app), registerUser(t.app)]);
    if (!first || !second || !guest || !other) throw new Error('registration failed');
    const a = await invited(first, (await homeOf(t.app, first)).id, guest.email.toUpperCase());
    const b = await invited(second, (await homeOf(t.app, second)).id, guest.email, 'admin');
    await invited(second, (await homeOf(t.app, second)).id, other.email);
    expect((await inbox(guest)).map((item) => item.id)).toEqual([a.id, b.id]);
    await age(a.id);
    expect((await inbox(guest)).map((item) => item.id)).toEqual([b.id]);
    expect(await inbox(first)).toEqual([]);
  });

  it('accepts by id: joins with the role, member.joined is recorded, and a second accept is a 404', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const guest = await registerUser(t.app, { display_name: 'Guest' });
    const invitation = await invited(household.admin, household.id, guest.email, 'admin');
    // Nobody else can use it.
    expect((await call(household.stranger, 'POST', `/api/household-invitations/${invitation.id}/accept`)).statusCode).toBe(404);
    expect((await call(household.stranger, 'POST', `/api/household-invitations/${invitation.id}/decline`)).statusCode).toBe(404);
    const accepted = await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ id: household.id, my_role: 'admin', member_count: 5 });
    const members = (await call(guest, 'GET', `/api/households/${household.id}/members`)).json().items;
    expect(members).toEqual(expect.arrayContaining([expect.objectContaining({ user_id: guest.id, role: 'admin' })]));
    const second = await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`);
    expect(second.statusCode).toBe(404);
    expect(second.json().detail).toBe('Invitation not found');
    expect(await auditOf(household.owner, household.id, 'member.joined')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: guest.id }), target: { type: 'member', id: guest.id }, details: { role: 'admin', invitation_id: invitation.id } }),
    ]);
    expect((await listed(household.owner, household.id)).items[0]).toMatchObject({ id: invitation.id, status: 'accepted' });
    // Their own household stays the active one.
    expect((await call(guest, 'GET', '/api/settings')).json().active_household_id).toBe((await homeOf(t.app, guest)).id);
  });

  it('joining makes the household active for someone who had none', async () => {
    const owner = await registerUser(t.app);
    const guest = await registerUser(t.app);
    const home = await homeOf(t.app, owner);
    expect((await call(guest, 'DELETE', `/api/households/${(await homeOf(t.app, guest)).id}`)).statusCode).toBe(204);
    expect((await call(guest, 'GET', '/api/settings')).json().active_household_id).toBeNull();
    const invitation = await invited(owner, home.id, guest.email, 'viewer');
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`)).statusCode).toBe(200);
    expect((await call(guest, 'GET', '/api/settings')).json().active_household_id).toBe(home.id);
  });

  it('declines (204, audited); then it cannot be accepted', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const guest = await registerUser(t.app);
    const invitation = await invited(household.owner, household.id, guest.email, 'viewer');
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/decline`)).statusCode).toBe(204);
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/decline`)).statusCode).toBe(404);
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`)).statusCode).toBe(404);
    expect((await acceptToken(guest, tokenOf(invitation.id))).statusCode).toBe(404);
    expect((await call(guest, 'GET', `/api/households/${household.id}`)).statusCode).toBe(404);
    expect(await auditOf(household.owner, household.id, 'invitation.declined')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: guest.id }), target: { type: 'invitation', id: invitation.id } }),
    ]);
  });

  it('an expired invitation: listed as expired, a 404 to accept or decline, a 409 to revoke, and the email may be invited again', async () => {
    const household = await householdWithEveryRole(t.app, t.db);
    const guest = await registerUser(t.app);
    const invitation = await invited(household.owner, household.id, guest.email);
    await age(invitation.id);
    expect((await listed(household.owner, household.id)).items[0]).toMatchObject({ id: invitation.id, status: 'expired' });
    expect(await inbox(guest)).toEqual([]);
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`)).statusCode).toBe(404);
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/decline`)).statusCode).toBe(404);
    expect((await acceptToken(guest, tokenOf(invitation.id))).statusCode).toBe(404);
    expect((await call(household.owner, 'DELETE', `/api/households/${household.id}/invitations/${invitation.id}`)).statusCode).toBe(409);
    const fresh = await invited(household.owner, household.id, guest.email);
    const statuses = (await listed(household.owner, household.id)).items.map((item: { id: string; status: string }) => [item.id, item.status]);
    expect(statuses).toEqual([[fresh.id, 'pending'], [invitation.id, 'expired']]);
    expect((await call(guest, 'POST', `/api/household-invitations/${fresh.id}/accept`)).statusCode).toBe(200);
  });

  it('accepting when already a member is a 409 and changes nothing', async () => {
    const owner = await registerUser(t.app);
    const guest = await registerUser(t.app);
    const home = await homeOf(t.app, owner);
    const invitation = await invited(owner, home.id, guest.email, 'admin');
    await joinAs(t.db, home.id, guest, 'viewer');
    const response = await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`);
    expect(response.statusCode).toBe(409);
    expect((await call(guest, 'GET', `/api/households/${home.id}`)).json().my_role).toBe('viewer');
    expect((await listed(owner, home.id)).items[0].status).toBe('pending');
  });
});

describe('accepting with the emailed token', () => {
  it('joins like accepting by id; the email must be yours (any case)', async () => {
    const owner = await registerUser(t.app);
    const home = await homeOf(t.app, owner);
    const guest = await registerUser(t.app);
    const other = await registerUser(t.app);
    const invitation = await invited(owner, home.id, guest.email.toUpperCase(), 'member');
    const token = tokenOf(invitation.id);
    const wrongPerson = await acceptToken(other, token);
    expect(wrongPerson.statusCode).toBe(404);
    const accepted = await acceptToken(guest, token);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ id: home.id, my_role: 'member' });
    expect(await auditOf(owner, home.id, 'member.joined')).toHaveLength(1);
  });

  it('an unknown, used, revoked or expired token is the same 404, which does not say which', async () => {
    const owner = await registerUser(t.app);
    const home = await homeOf(t.app, owner);
    const guest = await registerUser(t.app);
    const used = await invited(owner, home.id, guest.email);
    expect((await acceptToken(guest, tokenOf(used.id))).statusCode).toBe(200);
    const other = await registerUser(t.app);
    const otherHome = await homeOf(t.app, other);
    const revoked = await invited(other, otherHome.id, guest.email);
    await call(other, 'DELETE', `/api/households/${otherHome.id}/invitations/${revoked.id}`);
    const third = await registerUser(t.app);
    const expired = await invited(third, (await homeOf(t.app, third)).id, guest.email);
    await age(expired.id);
    const answers = [];
    for (const token of [tokenOf(used.id), tokenOf(revoked.id), tokenOf(expired.id), 'not-a-token', tokenOf(crypto.randomUUID())]) {
      const response = await acceptToken(guest, token);
      answers.push([response.statusCode, response.json().detail]);
    }
    expect(answers).toEqual(Array(5).fill([404, 'Invitation not found']));
    expect((await call(guest, 'POST', '/api/household-invitations/accept', { token: '' })).statusCode).toBe(400);
    expect((await call(guest, 'POST', '/api/household-invitations/accept', {})).statusCode).toBe(400);
  });

  it('needs a session', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/household-invitations/accept', payload: { token: 'x' } });
    expect(response.statusCode).toBe(401);
  });
});

describe('concurrency and deletion', () => {
  it('two accepts of one invitation at once: one 200, one 404, one membership', async () => {
    const owner = await registerUser(t.app);
    const home = await homeOf(t.app, owner);
    const guest = await registerUser(t.app);
    const invitation = await invited(owner, home.id, guest.email);
    const responses = await Promise.all([
      call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`),
      acceptToken(guest, tokenOf(invitation.id)),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 404]);
    const memberships = await t.db.selectFrom('household_members').select('role').where('household_id', '=', home.id).where('user_id', '=', guest.id).execute();
    expect(memberships).toEqual([{ role: 'member' }]);
    expect(await auditOf(owner, home.id, 'member.joined')).toHaveLength(1);
  });

  it('deleting the household deletes its invitations', async () => {
    const owner = await registerUser(t.app);
    const guest = await registerUser(t.app);
    const created = (await call(owner, 'POST', '/api/households', { name: 'Cabin' })).json();
    const invitation = await invited(owner, created.id, guest.email);
    expect((await call(owner, 'DELETE', `/api/households/${created.id}`)).statusCode).toBe(204);
    expect(await inbox(guest)).toEqual([]);
    expect(await t.db.selectFrom('household_invitations').select('id').where('id', '=', invitation.id).execute()).toEqual([]);
    expect((await call(guest, 'POST', `/api/household-invitations/${invitation.id}/accept`)).statusCode).toBe(404);
  });
});
