// What UMBRA keeps in a session. The store persists these next to the cookie data.
declare module 'fastify' {
  interface Session {
    userId?: string;
    /** Epoch ms of the last sliding-expiry refresh; changing it is what makes the store save. */
    refreshedAt?: number;
  }
}

export {};
