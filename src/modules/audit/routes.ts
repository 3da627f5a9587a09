import { answers } from '../../platform/http/problem.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { HouseholdParams, requireHousehold } from '../households/index.ts';
import { listAuditEntries } from './queries.ts';
import { AccountAuditQuery, AuditPageSchema, HouseholdAuditQuery } from './schemas.ts';

const tags = ['audit'];

/** `GET /api/audit`: the signed-in account's own security events. */
export const accountAuditRoutes: ModuleRoutes = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'Your own security events (login, login_failed, logout, password_changed, keys_changed), newest first',
        querystring: AccountAuditQuery,
        response: { 200: AuditPageSchema, ...answers.signedIn },
      },
    },
    async (request) => listAuditEntries(app.db, { accountId: request.userId }, request.query),
  );
};

/** `GET /api/households/{hid}/audit`: the household's log, for its owner and admins. */
const householdAuditRoutes: ModuleRoutes = async (app) => {
  app.get(
    '/:hid/audit',
    {
      schema: {
        tags,
        summary: "The household's audit log, newest first (owner, admin)",
        params: HouseholdParams,
        querystring: HouseholdAuditQuery,
        response: { 200: AuditPageSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const { householdId } = await requireHousehold(app.db, request.userId, request.params.hid, 'audit');
      return listAuditEntries(app.db, { householdId }, request.query);
    },
  );
};

export default householdAuditRoutes;
