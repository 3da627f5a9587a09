import cookie from '@fastify/cookie';
import session from '@fastify/session';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import './session-types.ts';
import { addMaxAge } from './session-cookie.ts';
import { createSessionStore, purgeExpiredSessions } from './session-store.ts';
import { UnauthorizedError } from '../../platform/http/errors.ts';
import { purgeOldAttempts } from './login-attempt-queries.ts';
import { findOrCreateSecret } from './server-secret-queries.ts';
import { LOGIN_WINDOW_MINUTES } from './login-throttle.ts';
import type { UserClock } from '../../platform/time/day.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user's id; reading it without a session is a 401. Scope every query by it. */
    readonly userId: string;
    /** The signed-in user's time zone and the database's clock, from the session lookup; read once per request. */
    readonly userClock: UserClock;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (register, login, status). */
    public?: boolean;
  }
}

export const SESSION_COOKIE = 'umbra_sid';
const SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const REFRESH_AFTER_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

export type AuthOptions = { config: Config };

/**
 * Sessions in PostgreSQL (cookie `umbra_sid`), the password hasher, and the guard every /api
 * route passes unless its config says `public: true`. Registered inside the /api scope, so
 * other paths (health, docs, feeds) never touch the session store.
 */
export default fp<AuthOptions>(
  async (app, { config }) => {
    const secret = config.sessionSecret ?? (await findOrCreateSecret(app.db, 'session_secret'));
    if (!config.sessionSecret) app.log.warn('SESSION_SECRET is not set: using a generated secret stored in the database');

    await app.register(cookie);
    await app.register(session, {
      secret,
      cookieName: SESSION_COOKIE,
      store: createSessionStore(app.db),
      saveUninitialized: false,
      // No store write per request: a session is saved when it changes, and its expiry slides
      // forward at most once a day (see the guard below).
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', path: '/', maxAge: SESSION_MAX_AGE_MS, secure: config.cookieSecure },
    });

    // After the session's own onSend hook has written the cookie: send Max-Age with Expires.
    app.addHook('onSend', async (_request, reply) => {
      const cookies = addMaxAge(reply.getHeader('set-cookie'), SESSION_COOKIE);
      // header() appends to an existing Set-Cookie, so the old lines go first.
      if (cookies !== undefined) reply.removeHeader('set-cookie').header('set-cookie', cookies);
    });

    app.decorateRequest('userId', {
      getter() {
        const userId = this.session?.get('userId');
        if (!userId) throw new UnauthorizedError('Sign in to use this resource');
        return userId;
      },
    });

    app.decorateRequest('userClock', {
      getter() {
        const clock = this.session?.get('clock');
        // Every stored session is read with its clock; only a session created by this very
        // request (sign-in) has none, and no route reads the clock there.
        if (!clock) throw new UnauthorizedError('Sign in to use this resource');
        return clock;
      },
    });

    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.public) return;
      if (!request.session.get('userId')) throw new UnauthorizedError('Sign in to use this resource');
      const refreshedAt = request.session.get('refreshedAt') ?? 0;
      if (Date.now() - refreshedAt > REFRESH_AFTER_MS) {
        request.session.set('refreshedAt', Date.now());
        request.session.touch();
      }
    });

    const purge = async () => {
      try {
        await purgeExpiredSessions(app.db);
        await purgeOldAttempts(app.db, LOGIN_WINDOW_MINUTES);
      } catch (error) {
        app.log.warn({ err: error }, 'purging expired sessions failed');
      }
    };
    const timer = setInterval(() => void purge(), PURGE_EVERY_MS);
    timer.unref();
    app.addHook('onReady', purge);
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'auth', dependencies: ['db', 'passwords'] },
);
