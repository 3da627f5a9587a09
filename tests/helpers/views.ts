import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import type { SignedIn } from './users.ts';

// Factories and calls for the dashboard, upcoming and search tests: records are created through
// the API, as a client would.

/** Zones far from UTC, without daylight saving: "today" there is often not the server's date. */
export const FAR_ZONES = [
  { zone: 'Pacific/Kiritimati', offset: '+14:00' },
  { zone: 'Pacific/Pago_Pago', offset: '-11:00' },
] as const;

type Payload = Record<string, unknown>;

/** POSTs and returns the created record, after checking the 201. */
export async function create(app: App, user: SignedIn, url: string, payload: Payload) {
  const response = await app.inject({ method: 'POST', url, headers: user.headers, payload });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
  return response.json();
}

export async function get(app: App, user: SignedIn, url: string) {
  const response = await app.inject({ method: 'GET', url, headers: user.headers });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return response.json();
}

/** Invites `invitee` to the owner's event and, unless `status` is pending, answers for them. */
export async function invite(app: App, owner: SignedIn, eventId: string, invitee: SignedIn, status: 'pending' | 'accepted' | 'declined' | 'tentative') {
  await create(app, owner, `/api/events/${eventId}/invitees`, { email: invitee.email });
  if (status === 'pending') return;
  const response = await app.inject({ method: 'POST', url: `/api/events/${eventId}/respond`, headers: invitee.headers, payload: { status } });
  expect(response.statusCode, response.body).toBe(200);
}

/** `birthday` for someone turning `age` on `date` (YYYY-MM-DD); keep `age` a multiple of 4 if `date` may be 29 February. */
export function bornYearsBefore(date: string, age: number): string {
  return `${Number(date.slice(0, 4)) - age}${date.slice(4)}`;
}
