import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { attemptKey, deleteUserSessions, findPasswordHash, throttledCheck, updateUser } from '../auth/index.ts';
import { ForbiddenError, invalidField, NotFoundError } from '../../platform/http/errors.ts';
import { recordAccountAudit } from '../../platform/audit/record-audit.ts';
import { answers } from '../../platform/http/problem.ts';
import { findRole } from '../households/index.ts';
import { findKeys, rewrapUserKey } from '../keys/index.ts';
import { findCalendar, setDefaultCalendar } from '../calendars/index.ts';
import { findSettings, lockSettings, updateSettings } from './queries.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import { ChangePasswordBody, SettingsSchema, UpdateSettingsBody } from './schemas.ts';

const tags = ['settings'];

const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const readSettings = async (userId: string) => {
    const settings = await findSettings(app.db, userId);
    if (!settings) throw new NotFoundError('Settings not found');
    return settings;
  };

  app.get(
    '/',
    { schema: { tags, summary: 'Your settings', response: { 200: SettingsSchema, ...answers.signedIn, ...answers.notFound } } },
    async (request) => readSettings(request.userId),
  );

  app.route({
    method: ['PUT', 'PATCH'],
    url: '/',
    schema: {
      tags,
      summary: 'Change some settings (PUT and PATCH are both partial)',
      body: UpdateSettingsBody,
      response: { 200: SettingsSchema, ...answers.signedIn, ...answers.notFound },
    },
    handler: async (request) => {
      const { default_calendar_id, display_name, active_household_id, ...changes } = request.body;
      const userId = request.userId;
      await app.db.transaction().execute(async (trx) => {
        // One user's settings writes in a fixed order: this row first, then the calendars.
        await lockSettings(trx, userId);
        if (default_calendar_id !== undefined) {
          const calendar = await findCalendar(trx, userId, default_calendar_id);
          if (!calendar) throw invalidField('default_calendar_id', 'Not one of your calendars');
          await setDefaultCalendar(trx, userId, calendar.id);
        }
        if (active_household_id !== undefined && !(await findRole(trx, active_household_id, userId))) {
          throw invalidField('active_household_id', 'Not one of your households');
        }
        if (display_name !== undefined) await updateUser(trx, userId, { display_name });
        await updateSettings(trx, userId, { ...changes, ...(active_household_id !== undefined ? { active_household_id } : {}) });
      });
      return readSettings(userId);
    },
  });

  app.put(
    '/password',
    {
      schema: {
        tags,
        summary: 'Change your password; every other session is ended',
        body: ChangePasswordBody,
        response: { 204: NoContent, ...answers.signedIn, ...answers.tooManyRequests },
      },
    },
    async (request, reply) => {
      const { current_password, new_password, encrypted_user_key } = request.body;
      const userId = request.userId;
      const storedHash = await findPasswordHash(app.db, userId);
      const settings = await readSettings(userId);
      // Guessing the current password from a stolen session is throttled like a login.
      const ok = await throttledCheck(app.db, attemptKey(settings.email, request.ip), () =>
        app.passwords.verify(current_password, storedHash),
      );
      if (!ok) throw new ForbiddenError('The current password is wrong');
      const passwordHash = await app.passwords.hash(new_password);
      await app.db.transaction().execute(async (trx) => {
        await updateUser(trx, userId, { password_hash: passwordHash });
        // The one key a password wraps is re-wrapped with it, in the same transaction: a password
        // change never leaves the vault locked behind the old password.
        if (encrypted_user_key !== undefined) {
          if (!(await rewrapUserKey(trx, userId, encrypted_user_key))) throw invalidField('encrypted_user_key', 'You have no keys to re-wrap (PUT /api/keys first)');
        } else if (await findKeys(trx, userId)) {
          throw invalidField('encrypted_user_key', 'Send your user key wrapped by the new password: your keys are wrapped by the old one');
        }
        await deleteUserSessions(trx, userId, request.session.sessionId);
        await recordAccountAudit(trx, { accountId: userId, actorId: userId, action: 'password_changed', details: { ip: request.ip } });
      });
      return reply.code(204).send();
    },
  );
};

export default settingsRoutes;
