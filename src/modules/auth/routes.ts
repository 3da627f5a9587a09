import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { attemptKey, throttledCheck } from './login-throttle.ts';
import { UnauthorizedError } from '../../platform/http/errors.ts';
import { recordAccountAudit } from '../../platform/audit/record-audit.ts';
import { answers } from '../../platform/http/problem.ts';
import { SESSION_COOKIE } from './plugin.ts';
import { findUserByEmail, findUserById, updateUser } from './queries.ts';
import { LoginBody, StatusResponse, UserResponse } from './schemas.ts';
import { NoContent } from '../../platform/http/schemas.ts';

const tags = ['auth'];

/** A fresh session id for the signed-in user: a pre-login id is never carried over. */
export async function startSession(request: FastifyRequest, userId: string): Promise<void> {
  await request.session.regenerate();
  request.session.set('userId', userId);
  request.session.set('refreshedAt', Date.now());
}

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in; sets a new session cookie',
        body: LoginBody,
        response: { 200: UserResponse, ...answers.always, ...answers.unauthorized, ...answers.forbidden, ...answers.tooManyRequests },
      },
    },
    async (request) => {
      const { email, password } = request.body;
      const user = await findUserByEmail(app.db, email.trim());
      // The same bcrypt work and the same answer for an unknown email and a wrong password.
      // A hash of the old scheme is replaced by one of the current scheme on a successful sign-in.
      const upgrade = async (newHash: string) => (user ? updateUser(app.db, user.id, { password_hash: newHash }) : undefined);
      const ok = await throttledCheck(app.db, attemptKey(email, request.ip), () => app.passwords.verify(password, user?.password_hash, upgrade));
      if (!ok || !user) {
        // The account's owner sees failed sign-ins in their own audit log; an unknown email has none.
        if (user) await recordAccountAudit(app.db, { accountId: user.id, actorId: null, action: 'login_failed', details: { ip: request.ip } });
        throw new UnauthorizedError('Invalid email or password');
      }
      await startSession(request, user.id);
      await recordAccountAudit(app.db, { accountId: user.id, actorId: user.id, action: 'login', details: { ip: request.ip } });
      return { user: { id: user.id, email: user.email, display_name: user.display_name, created_at: user.created_at } };
    },
  );

  app.post(
    '/logout',
    { schema: { tags, summary: 'End this session', response: { 204: NoContent, ...answers.signedIn } } },
    async (request, reply) => {
      const userId = request.userId;
      await request.session.destroy();
      await recordAccountAudit(app.db, { accountId: userId, actorId: userId, action: 'logout', details: { ip: request.ip } });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/status',
    {
      config: { public: true },
      schema: { tags, summary: 'Whether this request is signed in, and as whom', response: { 200: StatusResponse, ...answers.always } },
    },
    async (request) => {
      const userId = request.session.get('userId');
      const user = userId ? await findUserById(app.db, userId) : undefined;
      return { authenticated: user !== undefined, user: user ?? null };
    },
  );
};

export default authRoutes;
