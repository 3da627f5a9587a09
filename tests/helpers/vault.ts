import { expect } from 'vitest';
import type { App } from '../../src/app.ts';
import type { SignedIn } from './users.ts';

// Vault records made through the API, as a client would.

type Payload = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function vaultCalls(t: { app: App }) {
  const call = (user: SignedIn, method: Method, url: string, payload?: Payload, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...user.headers, ...headers }, ...(payload ? { payload } : {}) });
  const created = async (user: SignedIn, url: string, payload: Payload) => {
    const response = await call(user, 'POST', url, payload);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
    return response.json();
  };
  return {
    call,
    created,
    person: (user: SignedIn, hid: string, name = 'Ada') => created(user, `/api/households/${hid}/people`, { name }),
    vehicle: (user: SignedIn, hid: string, name = 'Van') => created(user, `/api/households/${hid}/vehicles`, { name }),
    provider: (user: SignedIn, hid: string, name = 'Insurer', kind = 'insurer') => created(user, `/api/households/${hid}/providers`, { name, kind }),
    item: (user: SignedIn, hid: string, payload: Payload) => created(user, `/api/households/${hid}/items`, payload),
    /** A passport of a new person of the household. */
    passport: async (user: SignedIn, hid: string, fields: Payload = {}, name = 'Passport') => {
      const holder = await created(user, `/api/households/${hid}/people`, { name: `${name} holder` });
      return created(user, `/api/households/${hid}/items`, {
        category: 'identity',
        subcategory: 'passport',
        name,
        fields: { number: 'P1234567', holder: holder.id, expiry_date: '2030-05-01', ...fields },
      });
    },
    insurance: (user: SignedIn, hid: string, fields: Payload = {}, name = 'Health plan') =>
      created(user, `/api/households/${hid}/items`, { category: 'insurance', subcategory: 'health', name, fields: { policy_number: 'HX-1', renewal_date: '2027-01-01', ...fields } }),
  };
}
