import { ForbiddenError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { RegisterBody, startSession, UserResponse } from '../auth/index.ts';
import { createAccount } from './service.ts';

const tags = ['auth'];

/** Registration: above auth, settings and calendars, because an account starts with all of them. */
const accountRoutes: ModuleRoutes = async (app, { config }) => {
  app.post(
    '/register',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Create an account (with its settings, "Personal" calendar and "Home" household) and sign in',
        body: RegisterBody,
        response: { 201: UserResponse, ...answers.always, ...answers.forbidden, ...answers.conflict },
      },
    },
    async (request, reply) => {
      if (!config.allowRegistration) throw new ForbiddenError('Registration is disabled on this server');
      const { email, password, display_name } = request.body;
      const passwordHash = await app.passwords.hash(password);
      const newServerKey = (householdId: string) => app.keyring.newHouseholdKey(householdId).wrapped;
      const user = await createAccount(app.db, { email, display_name, password_hash: passwordHash }, newServerKey);
      await startSession(request, user.id);
      return reply.code(201).send({ user });
    },
  );
};

export default accountRoutes;
