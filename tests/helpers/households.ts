import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import type { DB, HouseholdRole } from '../../src/platform/db/schema.ts';
import { registerUser, type SignedIn } from './users.ts';

/** The household "Home" registration created for the user. */
export async function homeOf(app: App, user: SignedIn): Promise<{ id: string; name: string; version: number }> {
  const response = await app.inject({ method: 'GET', url: '/api/households', headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  const home = response.json().items.find((household: { name: string; my_role: string }) => household.name === 'Home' && household.my_role === 'owner');
  expect(home, 'the household created at registration').toBeDefined();
  return home;
}

/** Makes `user` a member of the household directly in the database (a factory, not the invitation flow). */
export async function joinAs(db: Kysely<DB>, householdId: string, user: SignedIn, role: Exclude<HouseholdRole, 'owner'>): Promise<void> {
  await db.insertInto('household_members').values({ household_id: householdId, user_id: user.id, role }).execute();
}

export type Household = { id: string; owner: SignedIn; admin: SignedIn; member: SignedIn; viewer: SignedIn; stranger: SignedIn };

/** A household with one user in each role, and a stranger who belongs to it in no way. */
export async function householdWithEveryRole(app: App, db: Kysely<DB>): Promise<Household> {
  const [owner, admin, member, viewer, stranger] = await Promise.all(
    ['owner', 'admin', 'member', 'viewer', 'stranger'].map((name) => registerUser(app, { display_name: name })),
  );
  if (!owner || !admin || !member || !viewer || !stranger) throw new Error('registration failed');
  const home = await homeOf(app, owner);
  await joinAs(db, home.id, admin, 'admin');
  await joinAs(db, home.id, member, 'member');
  await joinAs(db, home.id, viewer, 'viewer');
  return { id: home.id, owner, admin, member, viewer, stranger };
}

export const ROLES = ['owner', 'admin', 'member', 'viewer', 'stranger'] as const;
export type Who = (typeof ROLES)[number];
