import { describe, expect, it } from 'vitest';
import { decide, EVENT_FIELDS, type EventField, type Requested, type Role } from '../src/modules/events/permissions.ts';

// API.md, "Invitees and the edit permission", row by row and column by column. `yes` is allowed,
// a number is the refusal status.
type Expect = 'yes' | 403 | 404;

const single = { recurring: false };
const series = { recurring: true };
const editorFields: EventField[] = ['title', 'description', 'start_at', 'end_at', 'all_day', 'location'];
const ownerOnlyFields: EventField[] = ['calendar_id', 'rrule', 'timezone', 'location_id'];

function outcome(event: { recurring: boolean }, role: Role, requested: Requested): Expect {
  const decision = decide(event, role, requested);
  return decision.allowed ? 'yes' : decision.status;
}

const columns: [string, { recurring: boolean }, Requested][] = [
  ['view', single, { kind: 'view' }],
  ['update (title)', single, { kind: 'update', fields: ['title'], scope: 'all' }],
  ['all fields', single, { kind: 'update', fields: [...EVENT_FIELDS], scope: 'all' }],
  ['editor fields', single, { kind: 'update', fields: editorFields, scope: 'all' }],
  ['scope this on a series', series, { kind: 'update', fields: ['title'], scope: 'this' }],
  ['scope following on a series', series, { kind: 'update', fields: ['title'], scope: 'following' }],
  ['scope all on a series', series, { kind: 'update', fields: ['title'], scope: 'all' }],
  ['delete', single, { kind: 'delete', scope: 'all' }],
  ['delete one occurrence', series, { kind: 'delete', scope: 'this' }],
  ['manage invitees / toggle', single, { kind: 'manage_invitees' }],
];

const table: Record<Role, Expect[]> = {
  //          view   update  all    editor  this   follow all    delete del-this manage
  owner: ['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes'],
  editor: ['yes', 'yes', 403, 'yes', 'yes', 403, 403, 403, 403, 403],
  guest: ['yes', 403, 403, 403, 403, 403, 403, 403, 403, 403],
  none: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
};

describe('the permission table of API.md', () => {
  for (const [role, expected] of Object.entries(table) as [Role, Expect[]][]) {
    it.each(columns.map(([name, event, requested], index) => [name, event, requested, expected[index]] as const))(`${role}: %s -> %s`, (_name, event, requested, want) => {
      expect(outcome(event, role, requested)).toBe(want);
    });
  }
});

describe('invited editors, field by field and scope by scope', () => {
  it.each(editorFields)('may change %s on its own', (field) => {
    expect(outcome(single, 'editor', { kind: 'update', fields: [field], scope: 'all' })).toBe('yes');
    expect(outcome(series, 'editor', { kind: 'update', fields: [field], scope: 'this' })).toBe('yes');
  });

  it.each(ownerOnlyFields)('may not send %s on its own: 403 naming it', (field) => {
    for (const [event, scope] of [[single, 'all'], [series, 'this']] as const) {
      const decision = decide(event, 'editor', { kind: 'update', fields: [field], scope });
      expect(decision).toEqual({ allowed: false, status: 403, reason: expect.stringContaining(field) });
    }
  });

  it.each([
    ['this', single, 'yes'],
    ['following', single, 'yes'],
    ['all', single, 'yes'],
    ['this', series, 'yes'],
    ['following', series, 403],
    ['all', series, 403],
  ] as const)('scope %s on a %s event', (scope, event, want) => {
    const decision = decide(event, 'editor', { kind: 'update', fields: ['title'], scope });
    expect(decision.allowed ? 'yes' : decision.status).toBe(want);
    if (!decision.allowed) expect(decision.reason).toContain(`scope ${scope}`);
  });

  it('names every refused field and the scope together', () => {
    const decision = decide(series, 'editor', { kind: 'update', fields: ['title', 'rrule', 'timezone'], scope: 'all' });
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.reason).toMatch(/rrule, timezone.*scope all/);
  });

  it.each(['this', 'following', 'all'] as const)('the owner may use scope %s on any event', (scope) => {
    expect(outcome(series, 'owner', { kind: 'update', fields: [...EVENT_FIELDS], scope })).toBe('yes');
    expect(outcome(series, 'owner', { kind: 'delete', scope })).toBe('yes');
  });
});

describe('leaving and responding', () => {
  it.each([
    ['owner', 403, 403],
    ['editor', 'yes', 'yes'],
    ['guest', 'yes', 'yes'],
    ['none', 404, 404],
  ] as const)('%s: leave -> %s, respond -> %s', (role, leave, respond) => {
    expect(outcome(single, role, { kind: 'leave' })).toBe(leave);
    expect(outcome(single, role, { kind: 'respond' })).toBe(respond);
  });
});
