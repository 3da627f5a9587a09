import type { UserClock } from '../../platform/time/day.ts';

// What UMBRA keeps in a session. The store persists these next to the cookie data.
declare module 'fastify' {
  interface Session {
    userId?: string;
    /** Epoch ms of the last sliding-expiry refresh; changing it is what makes the store save. */
    refreshedAt?: number;
    /**
     * The user's time zone and the database's clock, read by the session lookup itself (a join,
     * not a second query) on every request; never stored.
     */
    clock?: UserClock;
  }
}

export {};
