import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, deleteEvent, patchEvent, range, window } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

// Four people walk the permission table of API.md through HTTP: the owner, an invited editor,
// an invited guest and a stranger.
let owner: SignedIn;
let editor: SignedIn;
let guest: SignedIn;
let stranger: SignedIn;
let locationId: string;

const MARCH = window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
const SECOND_MONDAY = '2026-03-09T08:00:00.000Z';

beforeAll(async () => {
  owner = await registerUser(t.app, { display_name: 'Olga Owner', timezone: 'Europe/Berlin' });
  editor = await registerUser(t.app, { display_name: 'Ed Editor' });
  guest = await registerUser(t.app, { display_name: 'Gus Guest' });
  stranger = await registerUser(t.app, { display_name: 'Stan Stranger' });
  locationId = (await t.app.inject({ method: 'POST', url: '/api/locations', headers: owner.headers, payload: { name: 'Home office' } })).json().id;
});

const call = (user: SignedIn, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { ...user.headers, ...headers }, payload });

async function sharedEvent(rrule: string | null = 'FREQ=WEEKLY;COUNT=4') {
  const event = await createEvent(t.app, owner, {
    title: 'Planning',
    start_at: '2026-03-02T09:00:00+01:00',
    end_at: '2026-03-02T10:00:00+01:00',
    location: 'Room 1',
    location_id: locationId,
    rrule,
  });
  expect((await call(owner, 'POST', `/api/events/${event.id}/invitees`, { email: editor.email, can_modify: true })).statusCode).toBe(201);
  expect((await call(owner, 'POST', `/api/events/${event.id}/invitees`, { email: guest.email.toUpperCase() })).statusCode).toBe(201);
  return event;
}

async function version(id: string) {
  return (await call(owner, 'GET', `/api/events/${id}`)).json().version;
}

async function history(user: SignedIn, id: string) {
  const response = await call(user, 'GET', `/api/events/${id}/history`);
  expect(response.statusCode).toBe(200);
  return response.json().items;
}

describe('invitees', () => {
  it('are invited by email by the owner only: 201, 404 unknown, 400 yourself, 409 twice', async () => {
    const event = await createEvent(t.app, owner, { title: 'Party', start_at: '2026-05-01T18:00:00Z', end_at: '2026-05-01T23:00:00Z' });
    const url = `/api/events/${event.id}/invitees`;
    const added = await call(owner, 'POST', url, { email: editor.email, can_modify: true });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({
      user_id: editor.id,
      email: editor.email,
      display_name: 'Ed Editor',
      status: 'pending',
      can_modify: true,
      invited_at: expect.stringMatching(/Z$/),
      responded_at: null,
    });
    expect((await call(owner, 'POST', url, { email: 'nobody@example.com' })).statusCode).toBe(404);
    const self = await call(owner, 'POST', url, { email: owner.email });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors).toEqual([expect.objectContaining({ path: 'email' })]);
    expect((await call(owner, 'POST', url, { email: editor.email.toUpperCase() })).statusCode).toBe(409);
    expect((await call(editor, 'POST', url, { email: guest.email })).statusCode).toBe(403);
    expect((await call(stranger, 'POST', url, { email: guest.email })).statusCode).toBe(404);
    const list = await call(editor, 'GET', url);
    expect(list.json().items.map((item: { user_id: string }) => item.user_id)).toEqual([editor.id]);
    expect((await call(stranger, 'GET', url)).statusCode).toBe(404);
  });

  it('show each invitee the event with their role and status, without the owner\'s calendar or location ids', async () => {
    const event = await sharedEvent();
    const seen = (await call(editor, 'GET', `/api/events/${event.id}`)).json();
    expect(seen).toMatchObject({ my_role: 'editor', my_status: 'pending', can_modify: true, calendar_id: null, location_id: null, location: 'Room 1' });
    expect(seen.owner).toEqual({ id: owner.id, display_name: 'Olga Owner', email: owner.email });
    expect(seen.invitees.map((invitee: { user_id: string }) => invitee.user_id)).toEqual([editor.id, guest.id]);
    expect((await call(guest, 'GET', `/api/events/${event.id}`)).json()).toMatchObject({ my_role: 'guest', my_status: 'pending', can_modify: false });
    expect((await call(owner, 'GET', `/api/events/${event.id}`)).json()).toMatchObject({ my_role: 'owner', my_status: null, can_modify: true, location_id: locationId });
    expect((await call(stranger, 'GET', `/api/events/${event.id}`)).statusCode).toBe(404);
    const items = await range(t.app, guest, MARCH);
    expect(items.filter((item) => item.id === event.id)).toHaveLength(4);
    expect(items.find((item) => item.id === event.id)).toMatchObject({ my_role: 'guest', my_status: 'pending', can_modify: false, calendar_id: null });
  });
});

describe('the permission table through HTTP', () => {
  it('view: owner, editor and guest 200; stranger 404 on the event, its invitees and its history', async () => {
    const event = await sharedEvent();
    for (const user of [owner, editor, guest]) {
      for (const path of ['', '/invitees', '/history']) expect((await call(user, 'GET', `/api/events/${event.id}${path}`)).statusCode).toBe(200);
    }
    for (const path of ['', '/invitees', '/history']) expect((await call(stranger, 'GET', `/api/events/${event.id}${path}`)).statusCode).toBe(404);
  });

  it('update of a single event: owner and editor 200, guest 403, stranger 404', async () => {
    const event = await sharedEvent(null);
    const url = `/api/events/${event.id}`;
    expect((await call(owner, 'PATCH', url, { title: 'By owner' })).statusCode).toBe(200);
    const byEditor = await call(editor, 'PATCH', url, { title: 'By editor', description: 'Agenda', location: 'Room 2', start_at: '2026-03-02T08:30:00Z', end_at: '2026-03-02T09:30:00Z', all_day: false, scope: 'this' });
    expect(byEditor.statusCode, byEditor.body).toBe(200);
    expect(byEditor.json()).toMatchObject({ title: 'By editor', location: 'Room 2', my_role: 'editor', version: 3 });
    const refused = await call(guest, 'PATCH', url, { title: 'By guest' });
    expect(refused.statusCode).toBe(403);
    expect((await call(stranger, 'PATCH', url, { title: 'By stranger' })).statusCode).toBe(404);
    expect(await version(event.id)).toBe(3);
  });

  it.each([
    ['calendar_id', async () => (await call(owner, 'GET', '/api/settings')).json().default_calendar_id],
    ['rrule', async () => 'FREQ=DAILY;COUNT=2'],
    ['timezone', async () => 'Europe/Berlin'],
    ['location_id', async () => locationId],
  ])('an editor sending %s (even its current value) gets 403 naming it, and nothing changes', async (field, value) => {
    const event = await sharedEvent(null);
    const response = await call(editor, 'PATCH', `/api/events/${event.id}`, { title: 'Sneaky', [field]: await value() });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain(field);
    expect((await call(owner, 'GET', `/api/events/${event.id}`)).json()).toMatchObject({ title: 'Planning', version: 1 });
    expect((await history(owner, event.id)).map((entry: { action: string }) => entry.action)).not.toContain('updated');
  });

  it('a recurring event: the editor may change one occurrence (scope this); following and all are 403 naming the scope', async () => {
    const event = await sharedEvent();
    const url = `/api/events/${event.id}`;
    const one = await call(editor, 'PATCH', url, { scope: 'this', occurrence_start: SECOND_MONDAY, title: 'Just this one', start_at: '2026-03-09T10:00:00Z', end_at: '2026-03-09T11:00:00Z' });
    expect(one.statusCode, one.body).toBe(200);
    for (const scope of ['following', 'all', undefined]) {
      const response = await call(editor, 'PATCH', url, { title: 'Everything', ...(scope ? { scope, occurrence_start: SECOND_MONDAY } : {}) });
      expect(response.statusCode, String(scope)).toBe(403);
      expect(response.json().detail).toContain(`scope ${scope ?? 'all'}`);
    }
    expect((await call(guest, 'PATCH', url, { scope: 'this', occurrence_start: SECOND_MONDAY, title: 'Guest' })).statusCode).toBe(403);
    const items = (await range(t.app, owner, MARCH)).filter((item) => item.id === event.id);
    expect(items.map((item) => item.title)).toEqual(['Planning', 'Just this one', 'Planning', 'Planning']);
    expect((await call(owner, 'GET', url)).json()).toMatchObject({ title: 'Planning', version: 2 });
  });

  it('delete: editor and guest 403 (all or one occurrence), stranger 404, owner 204; the history goes with the event', async () => {
    const event = await sharedEvent();
    for (const query of ['', `scope=this&occurrence_start=${SECOND_MONDAY}`]) {
      expect((await deleteEvent(t.app, editor, event.id, query)).statusCode).toBe(403);
      expect((await deleteEvent(t.app, guest, event.id, query)).statusCode).toBe(403);
      expect((await deleteEvent(t.app, stranger, event.id, query)).statusCode).toBe(404);
    }
    expect(await version(event.id)).toBe(1);
    expect((await deleteEvent(t.app, owner, event.id)).statusCode).toBe(204);
    for (const user of [owner, editor, guest]) expect((await call(user, 'GET', `/api/events/${event.id}/history`)).statusCode).toBe(404);
  });

  it('manage invitees and toggle: only the owner; editor and guest 403, stranger 404', async () => {
    const event = await sharedEvent();
    const toggle = `/api/events/${event.id}/invitees/${guest.id}`;
    expect((await call(editor, 'PATCH', toggle, { can_modify: true })).statusCode).toBe(403);
    expect((await call(guest, 'PATCH', toggle, { can_modify: true })).statusCode).toBe(403);
    expect((await call(stranger, 'PATCH', toggle, { can_modify: true })).statusCode).toBe(404);
    expect((await call(editor, 'DELETE', toggle)).statusCode).toBe(403);
    expect((await call(stranger, 'DELETE', toggle)).statusCode).toBe(404);
    expect((await call(stranger, 'DELETE', `/api/events/${event.id}/invitees/${stranger.id}`)).statusCode).toBe(404);
    const granted = await call(owner, 'PATCH', toggle, { can_modify: true });
    expect(granted.json()).toMatchObject({ user_id: guest.id, can_modify: true });
    expect((await call(guest, 'GET', `/api/events/${event.id}`)).json()).toMatchObject({ my_role: 'editor', can_modify: true });
    expect((await call(owner, 'PATCH', `/api/events/${event.id}/invitees/${stranger.id}`, { can_modify: true })).statusCode).toBe(404);
  });
});

describe('responding, declining and leaving', () => {
  it('declining resets can_modify; accepting again keeps it false until the owner grants it again', async () => {
    const event = await sharedEvent(null);
    const respond = (status: string) => call(editor, 'POST', `/api/events/${event.id}/respond`, { status });
    expect((await respond('accepted')).json()).toMatchObject({ status: 'accepted', can_modify: true, responded_at: expect.any(String) });
    expect((await respond('declined')).json()).toMatchObject({ status: 'declined', can_modify: false });
    expect((await call(editor, 'PATCH', `/api/events/${event.id}`, { title: 'Declined edit' })).statusCode).toBe(403);
    expect((await call(owner, 'PATCH', `/api/events/${event.id}/invitees/${editor.id}`, { can_modify: true })).statusCode).toBe(409);
    expect((await respond('accepted')).json()).toMatchObject({ status: 'accepted', can_modify: false });
    expect((await call(editor, 'PATCH', `/api/events/${event.id}`, { title: 'Still not' })).statusCode).toBe(403);
    await call(owner, 'PATCH', `/api/events/${event.id}/invitees/${editor.id}`, { can_modify: true });
    expect((await call(editor, 'PATCH', `/api/events/${event.id}`, { title: 'Granted again' })).statusCode).toBe(200);
    expect((await call(owner, 'POST', `/api/events/${event.id}/respond`, { status: 'accepted' })).statusCode).toBe(403);
    expect((await call(stranger, 'POST', `/api/events/${event.id}/respond`, { status: 'accepted' })).statusCode).toBe(404);
    expect((await respond('maybe')).statusCode).toBe(400);
  });

  it('hides declined events from the range query unless include_declined=true', async () => {
    const event = await sharedEvent();
    await call(guest, 'POST', `/api/events/${event.id}/respond`, { status: 'declined' });
    expect((await range(t.app, guest, MARCH)).filter((item) => item.id === event.id)).toEqual([]);
    const declined = (await range(t.app, guest, `${MARCH}&include_declined=true`)).filter((item) => item.id === event.id);
    expect(declined).toHaveLength(4);
    expect(declined[0]).toMatchObject({ my_role: 'guest', my_status: 'declined', can_modify: false });
    expect((await call(guest, 'GET', `/api/events/${event.id}`)).statusCode).toBe(200);
  });

  it('leaving: an invitee removes their own row (always allowed) and then no longer sees the event', async () => {
    const event = await sharedEvent();
    expect((await call(guest, 'DELETE', `/api/events/${event.id}/invitees/${editor.id}`)).statusCode).toBe(403);
    expect((await call(guest, 'DELETE', `/api/events/${event.id}/invitees/${guest.id}`)).statusCode).toBe(204);
    expect((await call(guest, 'GET', `/api/events/${event.id}`)).statusCode).toBe(404);
    expect((await call(guest, 'DELETE', `/api/events/${event.id}/invitees/${guest.id}`)).statusCode).toBe(404);
    expect((await range(t.app, guest, MARCH)).filter((item) => item.id === event.id)).toEqual([]);
    expect((await call(owner, 'DELETE', `/api/events/${event.id}/invitees/${editor.id}`)).statusCode).toBe(204);
    expect((await call(owner, 'GET', `/api/events/${event.id}/invitees`)).json().items).toEqual([]);
  });

  it('the invitations inbox lists your invitations with a status filter', async () => {
    const invitee = await registerUser(t.app);
    const first = await createEvent(t.app, owner, { title: 'First', start_at: '2026-04-01T10:00:00Z', end_at: '2026-04-01T11:00:00Z' });
    const second = await createEvent(t.app, owner, { title: 'Second', start_at: '2026-04-02T10:00:00Z', end_at: '2026-04-02T11:00:00Z' });
    await call(owner, 'POST', `/api/events/${first.id}/invitees`, { email: invitee.email });
    await call(owner, 'POST', `/api/events/${second.id}/invitees`, { email: invitee.email, can_modify: true });
    await call(invitee, 'POST', `/api/events/${first.id}/respond`, { status: 'tentative' });
    const all = (await call(invitee, 'GET', '/api/invitations')).json().items;
    expect(all.map((item: { event: { title: string } }) => item.event.title)).toEqual(['Second', 'First']);
    expect(all[0]).toMatchObject({ status: 'pending', can_modify: true, invited_at: expect.any(String), event: { id: second.id, my_role: 'editor', calendar_id: null } });
    const tentative = (await call(invitee, 'GET', '/api/invitations?status=tentative')).json().items;
    expect(tentative.map((item: { event: { id: string } }) => item.event.id)).toEqual([first.id]);
    expect((await call(invitee, 'GET', '/api/invitations?status=maybe')).statusCode).toBe(400);
    expect((await call(stranger, 'GET', '/api/invitations')).json().items).toEqual([]);
  });

  it('a following split copies the invitees to the new series', async () => {
    const event = await sharedEvent();
    await call(editor, 'POST', `/api/events/${event.id}/respond`, { status: 'accepted' });
    const created = (await patchEvent(t.app, owner, event.id, { scope: 'following', occurrence_start: '2026-03-16T08:00:00Z', title: 'Later' })).json();
    expect(created.invitees.map((invitee: { user_id: string; status: string; can_modify: boolean }) => [invitee.user_id, invitee.status, invitee.can_modify])).toEqual([
      [editor.id, 'accepted', true],
      [guest.id, 'pending', false],
    ]);
    expect((await call(editor, 'GET', `/api/events/${created.id}`)).json()).toMatchObject({ my_role: 'editor' });
  });
});

describe('history', () => {
  it('records one entry per write, attributed to the actor, with field-level changes, newest first; refusals record nothing', async () => {
    const event = await sharedEvent();
    const id = event.id;
    await call(owner, 'PATCH', `/api/events/${id}`, { title: 'Planning v2' });
    await call(editor, 'PATCH', `/api/events/${id}`, { scope: 'this', occurrence_start: SECOND_MONDAY, location: 'Cafe' });
    await call(guest, 'PATCH', `/api/events/${id}`, { title: 'refused' });
    await call(editor, 'PATCH', `/api/events/${id}`, { scope: 'all', title: 'refused' });
    await call(owner, 'PATCH', `/api/events/${id}/invitees/${guest.id}`, { can_modify: true });
    await call(guest, 'POST', `/api/events/${id}/respond`, { status: 'declined' });
    await deleteEvent(t.app, owner, id, 'scope=this&occurrence_start=2026-03-16T08:00:00Z');
    await call(editor, 'DELETE', `/api/events/${id}/invitees/${editor.id}`);

    const entries = await history(guest, id);
    const summary = entries.map((entry: { action: string; actor: { display_name: string } | null; scope: string | null; invitee: { display_name: string } | null }) => [entry.action, entry.actor?.display_name, entry.scope, entry.invitee?.display_name ?? null]);
    expect(summary).toEqual([
      ['invitee_removed', 'Ed Editor', null, 'Ed Editor'],
      ['occurrence_cancelled', 'Olga Owner', 'this', null],
      ['responded', 'Gus Guest', null, 'Gus Guest'],
      ['permission_changed', 'Olga Owner', null, 'Gus Guest'],
      ['updated', 'Ed Editor', 'this', null],
      ['updated', 'Olga Owner', 'all', null],
      ['invitee_added', 'Olga Owner', null, 'Gus Guest'],
      ['invitee_added', 'Olga Owner', null, 'Ed Editor'],
      ['created', 'Olga Owner', null, null],
    ]);
    const byAction = (action: string) => entries.filter((entry: { action: string }) => entry.action === action);
    expect(byAction('updated')[1].changes).toEqual({ title: { from: 'Planning', to: 'Planning v2' } });
    expect(byAction('updated')[0]).toMatchObject({ changes: { location: { from: 'Room 1', to: 'Cafe' } }, occurrence_start: SECOND_MONDAY });
    expect(byAction('occurrence_cancelled')[0]).toMatchObject({ changes: {}, occurrence_start: '2026-03-16T08:00:00.000Z' });
    expect(byAction('permission_changed')[0].changes).toEqual({ can_modify: { from: false, to: true } });
    expect(byAction('responded')[0].changes).toEqual({ status: { from: 'pending', to: 'declined' }, can_modify: { from: true, to: false } });
    expect(byAction('invitee_removed')[0].changes).toEqual({ status: { from: 'pending', to: null }, can_modify: { from: true, to: null } });
    expect(byAction('created')[0].changes).toMatchObject({ title: { from: null, to: 'Planning' }, rrule: { from: null, to: 'FREQ=WEEKLY;COUNT=4' } });
    // An invitee does not learn the owner's calendar or saved location from the history either.
    expect(byAction('created')[0].changes).not.toHaveProperty('calendar_id');
    expect(byAction('created')[0].changes).not.toHaveProperty('location_id');
    const ownersView = (await history(owner, id)).find((entry: { action: string }) => entry.action === 'created');
    expect(ownersView.changes).toMatchObject({ location_id: { from: null, to: locationId }, calendar_id: { from: null, to: expect.any(String) } });
    expect(entries[0]).toEqual({ id: expect.any(String), actor: { id: editor.id, display_name: 'Ed Editor' }, action: 'invitee_removed', changes: expect.any(Object), scope: null, occurrence_start: null, invitee: { id: editor.id, display_name: 'Ed Editor' }, at: expect.stringMatching(/Z$/) });
    // The editor left: like a stranger, they no longer read it.
    expect((await call(editor, 'GET', `/api/events/${id}/history`)).statusCode).toBe(404);
  });

  it('records a split on both series', async () => {
    const event = await sharedEvent();
    const created = (await patchEvent(t.app, owner, event.id, { scope: 'following', occurrence_start: '2026-03-16T08:00:00Z', title: 'Later' })).json();
    const [old] = await history(owner, event.id);
    expect(old).toMatchObject({ action: 'updated', scope: null, occurrence_start: '2026-03-16T08:00:00.000Z', changes: { title: { from: 'Planning', to: 'Later' } } });
    const fresh = await history(owner, created.id);
    expect(fresh).toEqual([expect.objectContaining({ action: 'created', scope: null, changes: expect.objectContaining({ rrule: { from: null, to: 'FREQ=WEEKLY;COUNT=2' } }) })]);
  });

  it('records ending a series (DELETE scope=following) as deleted at its occurrence (scope null: only this/all/null exist)', async () => {
    const event = await sharedEvent();
    expect((await deleteEvent(t.app, owner, event.id, 'scope=following&occurrence_start=2026-03-16T08:00:00Z')).statusCode).toBe(204);
    const [entry] = await history(editor, event.id);
    expect(entry).toMatchObject({
      action: 'deleted',
      actor: { id: owner.id },
      scope: null,
      occurrence_start: '2026-03-16T08:00:00.000Z',
      changes: { rrule: { from: 'FREQ=WEEKLY;COUNT=4', to: 'FREQ=WEEKLY;COUNT=2' } },
    });
  });
});

describe('concurrency', () => {
  it('the owner and an editor sending the same If-Match: exactly one wins, the other gets 412', async () => {
    const event = await sharedEvent(null);
    const [a, b] = await Promise.all([
      call(owner, 'PATCH', `/api/events/${event.id}`, { title: 'Owner wins?' }, { 'if-match': '"1"' }),
      call(editor, 'PATCH', `/api/events/${event.id}`, { title: 'Editor wins?' }, { 'if-match': '"1"' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const winner = a.statusCode === 200 ? 'Owner wins?' : 'Editor wins?';
    expect((await call(owner, 'GET', `/api/events/${event.id}`)).json()).toMatchObject({ title: winner, version: 2 });
    expect((await history(owner, event.id)).filter((entry: { action: string }) => entry.action === 'updated')).toHaveLength(1);
  });

  it('the same race on one occurrence of a series (the editor can only use scope this)', async () => {
    const event = await sharedEvent();
    const [a, b] = await Promise.all([
      call(owner, 'PATCH', `/api/events/${event.id}`, { scope: 'this', occurrence_start: SECOND_MONDAY, title: 'Owner' }, { 'if-match': '"1"' }),
      call(editor, 'PATCH', `/api/events/${event.id}`, { scope: 'this', occurrence_start: SECOND_MONDAY, title: 'Editor' }, { 'if-match': '"1"' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    expect(await version(event.id)).toBe(2);
  });
});
