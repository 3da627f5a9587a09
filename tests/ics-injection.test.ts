import ICAL from 'ical.js';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createEvent, patchEvent } from './helpers/events.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

// Issue 20, item 2: an invited editor wrote a title holding bare carriage returns, and the owner's
// feed carried them raw, so a reader that breaks lines on CR saw a forged VEVENT. Text fields now
// refuse control characters at input, and the ICS writer never lets a CR through (for text
// stored before that).
const t = useTestApp();

const FORGED = 'meeting\rEND:VEVENT\rBEGIN:VEVENT\rUID:x\rDTSTART:20261208T090000Z\rDTEND:20261208T100000Z\rSUMMARY:Wire money';

let owner: SignedIn;
let editor: SignedIn;
let calendarId: string;

beforeAll(async () => {
  owner = await registerUser(t.app, { timezone: 'Europe/Berlin' });
  editor = await registerUser(t.app);
  calendarId = (await t.app.inject({ method: 'GET', url: '/api/calendars', headers: owner.headers })).json().items[0].id;
});

async function sharedSeries() {
  const event = await createEvent(t.app, owner, { title: 'Standup', start_at: '2026-12-07T09:00:00+01:00', end_at: '2026-12-07T09:15:00+01:00', rrule: 'FREQ=DAILY;COUNT=5' });
  const invited = await t.app.inject({ method: 'POST', url: `/api/events/${event.id}/invitees`, headers: owner.headers, payload: { email: editor.email, can_modify: true } });
  expect(invited.statusCode, invited.body).toBe(201);
  return event;
}

async function exportText(): Promise<string> {
  const response = await t.app.inject({ method: 'GET', url: `/api/calendars/${calendarId}/ics`, headers: owner.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.body;
}

/**
 * Reads an export as strictly as RFC 5545 3.1 writes it: every line ends in CRLF, so a CR or LF
 * anywhere else is an error; then every physical line (split on CR or LF alike, as a lenient
 * reader would) must be a property or a continuation, and ical.js must parse the whole.
 */
function strictlyParsed(text: string): ICAL.Component {
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of text.split(/\r\n|\r|\n/).filter(Boolean)) expect(line, line).toMatch(/^([A-Z-]+[;:]| )/);
  return new ICAL.Component(ICAL.parse(text));
}

describe('control characters in text fields', () => {
  it('refuses a title, description or location with a bare CR from an invited editor, naming the field, and changes nothing', async () => {
    const event = await sharedSeries();
    for (const field of ['title', 'description', 'location']) {
      const response = await patchEvent(t.app, editor, event.id, { scope: 'this', occurrence_start: '2026-12-08T08:00:00Z', [field]: FORGED });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().errors).toEqual([{ path: field, message: expect.stringContaining('control characters') }]);
    }
    const after = (await t.app.inject({ method: 'GET', url: `/api/events/${event.id}`, headers: owner.headers })).json();
    expect(after.version).toBe(event.version);
    expect(strictlyParsed(await exportText()).getAllSubcomponents('vevent').map((vevent) => vevent.getFirstPropertyValue('uid'))).not.toContain('x');
  });

  it('refuses them on create too, and in every module built on the shared text field', async () => {
    const times = { start_at: '2026-12-07T09:00:00Z', end_at: '2026-12-07T10:00:00Z' };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/api/events', { ...times, title: FORGED }, 'title'],
      ['/api/todos', { title: 'ok', description: 'a\u0000b' }, 'description'],
      ['/api/people', { name: 'Bell\u0007' }, 'name'],
      ['/api/locations', { name: 'ok', notes: 'next\u0085line' }, 'notes'],
      ['/api/calendars', { name: 'Work\rX-INJECTED:1' }, 'name'],
    ];
    for (const [url, payload, path] of cases) {
      const response = await t.app.inject({ method: 'POST', url, headers: owner.headers, payload });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(response.json().errors, url).toEqual([expect.objectContaining({ path })]);
    }
  });

  it('keeps line feeds and tabs, which the export writes escaped', async () => {
    const event = await createEvent(t.app, owner, { title: 'Plan\tA', description: 'first line\nsecond line', start_at: '2026-12-09T09:00:00Z', end_at: '2026-12-09T10:00:00Z' });
    expect(event.description).toBe('first line\nsecond line');
    const vevent = strictlyParsed(await exportText())
      .getAllSubcomponents('vevent')
      .find((candidate) => candidate.getFirstPropertyValue('uid') === `${event.id}@umbra`);
    expect(vevent?.getFirstPropertyValue('description')).toBe('first line\nsecond line');
    expect(vevent?.getFirstPropertyValue('summary')).toBe('Plan\tA');
  });
});

describe('the ICS writer, for text stored before the input check', () => {
  it('writes no bare CR: a forged title stays one SUMMARY of one VEVENT', async () => {
    const event = await sharedSeries();
    // As an old row would hold it: written past the API, in the series and in one occurrence's override.
    await sql`update events set title = ${FORGED}, location = ${'Room\r\n1'} where id = ${event.id}`.execute(t.db);
    await sql`
      insert into event_overrides (event_id, occurrence_start, cancelled, changes)
      values (${event.id}, ${new Date('2026-12-08T08:00:00Z')}, false, ${JSON.stringify({ description: FORGED })}::jsonb)
    `.execute(t.db);
    const calendar = strictlyParsed(await exportText());
    const vevents = calendar.getAllSubcomponents('vevent').filter((vevent) => String(vevent.getFirstPropertyValue('uid')).startsWith(event.id));
    expect(vevents).toHaveLength(2);
    expect(calendar.getAllSubcomponents('vevent').map((vevent) => vevent.getFirstPropertyValue('uid'))).not.toContain('x');
    const master = vevents.find((vevent) => !vevent.hasProperty('recurrence-id'));
    expect(master?.getFirstPropertyValue('summary')).toBe(FORGED.replaceAll('\r', '\n'));
    expect(master?.getFirstPropertyValue('location')).toBe('Room\n1');
    const moved = vevents.find((vevent) => vevent.hasProperty('recurrence-id'));
    expect(moved?.getFirstPropertyValue('description')).toBe(FORGED.replaceAll('\r', '\n'));
  });
});
