import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { attemptKey, throttledCheck } from '../auth/login-throttle.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { ConflictError, ForbiddenError, UnauthorizedError } from '../http/errors.ts';
import { answers } from '../http/problem.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { insertCalendar } from '../queries/calendars.ts';
import { insertSettings } from '../queries/settings.ts';
import { findUserByEmail, findUserById, insertUser } from '../queries/users.ts';
import { LoginBody, RegisterBody, StatusResponse, UserResponse } from '../schemas/auth.ts';
import { NoContent } from '../schemas/common.ts';

const tags = ['auth'];

/** A fresh session id for the signed-in user: a pre-login id is never carried over. */
async function startSession(request: FastifyRequest, userId: string): Promise<void> {
  await request.session.regenerate();
  request.session.set('userId', userId);
  request.session.set('refreshedAt', Date.now());
}

const authRoutes: FastifyPluginAsyncZod<{ allowRegistration: boolean }> = async (app, { allowRegistration }) => {
  app.post(
    '/register',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Create an account (and its settings and "Personal" calendar) and sign in',
        body: RegisterBody,
        response: { 201: UserResponse, ...answers.always, ...answers.forbidden, ...answers.conflict },
      },
    },
    async (request, reply) => {
      if (!allowRegistration) throw new ForbiddenError('Registration is disabled on this server');
      const { email, password, display_name } = request.body;
      const passwordHash = await app.passwords.hash(password);
      const user = await app.db
        .transaction()
        .execute(async (trx) => {
          const created = await insertUser(trx, {
            email,
            display_name: display_name ?? email.split('@')[0] ?? email,
            password_hash: passwordHash,
          });
          await insertSettings(trx, created.id);
          await insertCalendar(trx, created.id, { name: 'Personal', is_default: true });
          return created;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error, 'users_email_lower_key')) throw new ConflictError('An account with this email already exists');
          throw error;
        });
      await startSession(request, user.id);
      return reply.code(201).send({ user });
    },
  );

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
      const ok = await throttledCheck(app.db, attemptKey(email, request.ip), () => app.passwords.verify(password, user?.password_hash));
      if (!ok || !user) throw new UnauthorizedError('Invalid email or password');
      await startSession(request, user.id);
      return { user: { id: user.id, email: user.email, display_name: user.display_name, created_at: user.created_at } };
    },
  );

  app.post(
    '/logout',
    { schema: { tags, summary: 'End this session', response: { 204: NoContent, ...answers.signedIn } } },
    async (request, reply) => {
      await request.session.destroy();
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
