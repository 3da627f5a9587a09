// The public face of the households module: the access helper and its resolver, which every
// household route (here and in the vault modules) calls first, and what registration and
// invitations need to create households and add members.
export { ACTION_WORDS, decide, HOUSEHOLD_ROLES } from './access.ts';
export type { Decision, HouseholdAction, HouseholdRole } from './access.ts';
export { enforce, requireHousehold } from './resolve.ts';
export type { HouseholdAccess } from './resolve.ts';
export { addMember, createHousehold } from './service.ts';
export type { NewServerKey } from './service.ts';
export { findHousehold, findRole } from './queries.ts';
export type { HouseholdRow } from './queries.ts';
export { HouseholdParams, HouseholdRecordParams, HouseholdRoleSchema, HouseholdSchema } from './schemas.ts';
export { householdScope, requireHouseholdFor } from './crud-scope.ts';
// The members in the members list's order (owner first), for the household dashboard.
export { listMembers } from './member-queries.ts';
export type { MemberRow } from './member-queries.ts';
