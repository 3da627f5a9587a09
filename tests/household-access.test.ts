import { describe, expect, it } from 'vitest';
import { decide, decideRemoval, decideRoleChange, type HouseholdAction, type HouseholdRole } from '../src/modules/households/access.ts';

// The access helper against the contract's table (API-VAULT.md "The household access helper"),
// row by row: yes = allowed, else the status the contract gives.

type Cell = 'yes' | 403 | 404 | 409;
const COLUMNS: Array<HouseholdRole | null> = ['owner', 'admin', 'member', 'viewer', null];

const TABLE: Array<[HouseholdAction, Cell[]]> = [
  // read the household, its members and every vault record and file
  ['read', ['yes', 'yes', 'yes', 'yes', 404]],
  // create, change, delete vault records; upload and delete files
  ['write', ['yes', 'yes', 'yes', 403, 404]],
  // dismiss a vault reminder for the whole household (API-VAULT.md "Vault reminders"; README)
  ['dismiss', ['yes', 'yes', 'yes', 403, 404]],
  // rename; invite, revoke invitations; change roles; remove members
  ['manage', ['yes', 'yes', 403, 403, 404]],
  // read the audit log
  ['audit', ['yes', 'yes', 403, 403, 404]],
  // delete the household, transfer ownership
  ['own', ['yes', 403, 403, 403, 404]],
];

const cell = (decision: ReturnType<typeof decide>): Cell => (decision.allowed ? 'yes' : decision.status);

describe('decide(role, action): the contract table', () => {
  const rows = TABLE.flatMap(([action, cells]) => cells.map((expected, index) => ({ action, role: COLUMNS[index] ?? null, expected })));
  it.each(rows)('$action by $role: $expected', ({ action, role, expected }) => {
    const decision = decide(role, action);
    expect(cell(decision)).toBe(expected);
    if (!decision.allowed && decision.status === 403) expect(decision.reason).toMatch(new RegExp(`^A household ${role} may not `));
  });

  it('names the action in a 403 and says nothing of the household to a stranger', () => {
    expect(decide('viewer', 'write')).toEqual({ allowed: false, status: 403, reason: 'A household viewer may not create, change or delete vault records and files' });
    expect(decide('viewer', 'dismiss')).toEqual({ allowed: false, status: 403, reason: 'A household viewer may not dismiss vault reminders' });
    expect(decide('member', 'audit')).toEqual({ allowed: false, status: 403, reason: 'A household member may not read the audit log' });
    expect(decide(null, 'read')).toEqual({ allowed: false, status: 404, reason: 'Household not found' });
  });
});

describe('decideRoleChange(actor, target, role)', () => {
  const other = (role: HouseholdRole) => ({ role, isSelf: false });
  const cases: Array<[HouseholdRole | null, { role: HouseholdRole; isSelf: boolean }, HouseholdRole, Cell]> = [
    // Transfers: only the owner makes someone owner.
    ['owner', other('admin'), 'owner', 'yes'],
    ['owner', other('viewer'), 'owner', 'yes'],
    ['admin', other('member'), 'owner', 403],
    ['admin', { role: 'admin', isSelf: true }, 'owner', 403],
    // The owner's own role changes only by a transfer; an admin cannot touch it.
    ['owner', { role: 'owner', isSelf: true }, 'admin', 409],
    ['admin', other('owner'), 'admin', 403],
    ['admin', other('owner'), 'viewer', 403],
    // An admin changes only members and viewers (to admin too); the owner changes anyone else.
    ['admin', other('member'), 'viewer', 'yes'],
    ['admin', other('viewer'), 'admin', 'yes'],
    ['admin', other('admin'), 'member', 403],
    ['admin', { role: 'admin', isSelf: true }, 'member', 403],
    ['owner', other('admin'), 'viewer', 'yes'],
    ['owner', other('member'), 'admin', 'yes'],
    // Members, viewers and strangers change no roles.
    ['member', other('viewer'), 'member', 403],
    ['member', { role: 'member', isSelf: true }, 'admin', 403],
    ['viewer', other('member'), 'viewer', 403],
    [null, other('member'), 'viewer', 404],
  ];
  it.each(cases)('%s changing a %o to %s: %s', (actor, target, role, expected) => {
    expect(cell(decideRoleChange(actor, target, role))).toBe(expected);
  });
});

describe('decideRemoval(actor, target)', () => {
  const cases: Array<[HouseholdRole | null, { role: HouseholdRole; isSelf: boolean }, Cell]> = [
    // Leaving: anyone but the owner.
    ['owner', { role: 'owner', isSelf: true }, 409],
    ['admin', { role: 'admin', isSelf: true }, 'yes'],
    ['member', { role: 'member', isSelf: true }, 'yes'],
    ['viewer', { role: 'viewer', isSelf: true }, 'yes'],
    // Removing others: the owner anyone; an admin members and viewers only.
    ['owner', { role: 'admin', isSelf: false }, 'yes'],
    ['owner', { role: 'viewer', isSelf: false }, 'yes'],
    ['admin', { role: 'member', isSelf: false }, 'yes'],
    ['admin', { role: 'viewer', isSelf: false }, 'yes'],
    ['admin', { role: 'admin', isSelf: false }, 403],
    ['admin', { role: 'owner', isSelf: false }, 403],
    ['member', { role: 'viewer', isSelf: false }, 403],
    ['viewer', { role: 'member', isSelf: false }, 403],
    [null, { role: 'member', isSelf: false }, 404],
  ];
  it.each(cases)('%s removing %o: %s', (actor, target, expected) => {
    expect(cell(decideRemoval(actor, target))).toBe(expected);
  });
});
