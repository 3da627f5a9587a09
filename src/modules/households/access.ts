// The household access helper: a pure function of (the signed-in user's role in the household, or
// none) and an action, answering allowed or the precise reason not. It is the contract's table in
// API-VAULT.md ("The household access helper"), row by row; every household route asks it through
// the resolver (resolve.ts) before doing anything.

export const HOUSEHOLD_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type HouseholdRole = (typeof HOUSEHOLD_ROLES)[number];

/**
 * The contract's rows, each a kind of request on a household; `dismiss` (a vault reminder, for
 * the whole household) goes with the writers, since it changes what every member is shown.
 */
export type HouseholdAction = 'read' | 'write' | 'dismiss' | 'manage' | 'audit' | 'own';

/** What each action is, in words: a 403 names it. */
export const ACTION_WORDS: Record<HouseholdAction, string> = {
  read: 'read this household',
  write: 'create, change or delete vault records and files',
  dismiss: 'dismiss vault reminders',
  manage: 'rename the household, invite, revoke invitations, change roles or remove members',
  audit: 'read the audit log',
  own: 'delete the household or transfer ownership',
};

const ALLOWED: Record<HouseholdAction, readonly HouseholdRole[]> = {
  read: ['owner', 'admin', 'member', 'viewer'],
  write: ['owner', 'admin', 'member'],
  dismiss: ['owner', 'admin', 'member'],
  manage: ['owner', 'admin'],
  audit: ['owner', 'admin'],
  own: ['owner'],
};

export type Decision = { allowed: true } | { allowed: false; status: 403 | 404 | 409; reason: string };

const ALLOW: Decision = { allowed: true };
/** A stranger learns nothing, not even that the household exists. */
const NOT_A_MEMBER: Decision = { allowed: false, status: 404, reason: 'Household not found' };

function refuse(role: HouseholdRole, what: string): Decision {
  return { allowed: false, status: 403, reason: `A household ${role} may not ${what}` };
}

export function decide(role: HouseholdRole | null, action: HouseholdAction): Decision {
  if (role === null) return NOT_A_MEMBER;
  return ALLOWED[action].includes(role) ? ALLOW : refuse(role, ACTION_WORDS[action]);
}

/** The member a role change or removal is aimed at, as the actor sees it. */
export type TargetMember = { role: HouseholdRole; isSelf: boolean };

/**
 * Changing a member's role. Making someone `owner` transfers ownership: the owner alone. An admin
 * may change only members and viewers; nobody changes the owner's role except by a transfer.
 */
export function decideRoleChange(actor: HouseholdRole | null, target: TargetMember, newRole: HouseholdRole): Decision {
  const base = decide(actor, 'manage');
  if (!base.allowed || actor === null) return base;
  if (newRole === 'owner') {
    if (actor !== 'owner') return refuse(actor, ACTION_WORDS.own);
    return ALLOW;
  }
  if (target.role === 'owner') {
    if (actor !== 'owner') return refuse(actor, "change the owner's role");
    return { allowed: false, status: 409, reason: 'The owner keeps that role until ownership is transferred to another member' };
  }
  if (actor === 'admin' && target.role === 'admin') return refuse(actor, "change an admin's role");
  return ALLOW;
}

/** Removing a member, or leaving (removing yourself): any member may leave but the owner. */
export function decideRemoval(actor: HouseholdRole | null, target: TargetMember): Decision {
  if (actor === null) return NOT_A_MEMBER;
  if (target.isSelf) {
    if (actor === 'owner') return { allowed: false, status: 409, reason: 'The owner cannot leave; transfer ownership to another member first' };
    return ALLOW;
  }
  const base = decide(actor, 'manage');
  if (!base.allowed) return base;
  if (actor === 'admin' && (target.role === 'owner' || target.role === 'admin')) return refuse(actor, `remove the ${target.role}`);
  return ALLOW;
}
