import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import type { SignedIn } from './users.ts';

type Payload = Record<string, unknown>;
export type Occurrence = {
  id: string;
  title: string;
  start_at: string;
  end_at: string;
  occurrence_start: string | null;
  recurring: boolean;
  is_exception: boolean;
  [key: string]: unknown;
};

export async function createEvent(app: App, user: SignedIn, payload: Payload) {
  const response = await app.inject({ method: 'POST', url: '/api/events', headers: user.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** The occurrences of GET /api/events for the query, after checking the status. */
export async function range(app: App, user: SignedIn, query: string): Promise<Occurrence[]> {
  const response = await app.inject({ method: 'GET', url: `/api/events?${query}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

/** Occurrence starts as ISO instants, for compact expectations. */
export async function starts(app: App, user: SignedIn, query: string, id?: string): Promise<string[]> {
  const items = await range(app, user, query);
  return items.filter((item) => !id || item.id === id).map((item) => item.start_at);
}

export function patchEvent(app: App, user: SignedIn, id: string, payload: Payload, headers: Record<string, string> = {}) {
  return app.inject({ method: 'PATCH', url: `/api/events/${id}`, headers: { ...user.headers, ...headers }, payload });
}

export function deleteEvent(app: App, user: SignedIn, id: string, query = '', headers: Record<string, string> = {}) {
  return app.inject({ method: 'DELETE', url: `/api/events/${id}${query ? `?${query}` : ''}`, headers: { ...user.headers, ...headers } });
}

/** `from=...&to=...` with the instants URL-encoded. */
export function window(from: string, to: string): string {
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}
