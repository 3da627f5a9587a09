import Fastify, { type RouteOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import accountRoutes from './modules/accounts/routes.ts';
import householdAuditRoutes, { accountAuditRoutes } from './modules/audit/routes.ts';
import authPlugin from './modules/auth/plugin.ts';
import passwords from './modules/auth/passwords-plugin.ts';
import authRoutes from './modules/auth/routes.ts';
import feedRoutes from './modules/calendar-export/feed-routes.ts';
import calendarExportRoutes from './modules/calendar-export/routes.ts';
import calendarRoutes from './modules/calendars/routes.ts';
import dashboardRoutes from './modules/dashboard/routes.ts';
import digestPlugin from './modules/digest/routes.ts';
import invitationRoutes from './modules/events/invitation-routes.ts';
import eventRoutes from './modules/events/routes.ts';
import rules from './modules/events/rules-plugin.ts';
import eventSharingRoutes from './modules/events/sharing-routes.ts';
import fileRoutes from './modules/files/routes.ts';
import healthRoutes from './modules/health/routes.ts';
import envelopeRoutes from './modules/keys/envelope-routes.ts';
import publicKeyRoutes from './modules/keys/public-key-routes.ts';
import keyRoutes from './modules/keys/routes.ts';
import invitationInboxRoutes from './modules/household-invitations/inbox-routes.ts';
import invitationPageRoutes from './modules/household-invitations/page-routes.ts';
import householdInvitationRoutes from './modules/household-invitations/routes.ts';
import householdRecordRoutes from './modules/household-records/routes.ts';
import householdRoutes from './modules/households/routes.ts';
import locationRoutes from './modules/locations/routes.ts';
import peopleRoutes from './modules/people/routes.ts';
import projectRoutes from './modules/projects/routes.ts';
import reminderRoutes from './modules/reminders/routes.ts';
import searchRoutes from './modules/search/routes.ts';
import settingsRoutes from './modules/settings/routes.ts';
import todoRoutes from './modules/todos/routes.ts';
import upcomingRoutes from './modules/upcoming/routes.ts';
import vaultRoutes, { vaultReferenceRoutes } from './modules/vault/routes.ts';
import vaultReminderRoutes from './modules/vault-reminders/routes.ts';
import keyring from './platform/crypto/plugin.ts';
import type { Database } from './platform/db/create-db.ts';
import { clientErrorHandler } from './platform/http/client-error.ts';
import { requestSerializer } from './platform/http/log-serializers.ts';
import { serializerCompiler } from './platform/http/serializer.ts';
import jobs, { type JobsPluginOptions } from './platform/jobs/plugin.ts';
import mail from './platform/mail/plugin.ts';
import type { ModuleEntry } from './platform/modules.ts';
import answerCache from './platform/plugins/answer-cache.ts';
import dbPlugin from './platform/plugins/db.ts';
import gracefulClose from './platform/plugins/graceful-close.ts';
import jsonBody from './platform/plugins/json-body.ts';
import openapi from './platform/plugins/openapi.ts';
import problems, { frameworkErrors } from './platform/plugins/problems.ts';
import requestId, { generateRequestId } from './platform/plugins/request-id.ts';
import security from './platform/plugins/security.ts';
import { partialResponses } from './platform/plugins/partial-responses.ts';
import { strictInputDefaults } from './platform/plugins/strict-input.ts';
import type { BlobStore } from './platform/storage/blob-store.ts';
import storage from './platform/storage/plugin.ts';

/** Routes outside /api: no session (orchestrators, calendar apps reading a feed by its token, the invitation page). */
const publicModules: ModuleEntry[] = [
  { prefix: '', routes: healthRoutes },
  { prefix: '/feeds', routes: feedRoutes },
  { prefix: '/invitations', routes: invitationPageRoutes },
];

/** Routes under /api, behind the session guard (each route may opt out with `config.public`). */
const apiModules: ModuleEntry[] = [
  { prefix: '/auth', routes: accountRoutes },
  { prefix: '/auth', routes: authRoutes },
  { prefix: '/settings', routes: settingsRoutes },
  { prefix: '/todos', routes: todoRoutes },
  { prefix: '/locations', routes: locationRoutes },
  { prefix: '/reminders', routes: reminderRoutes },
  { prefix: '/projects', routes: projectRoutes },
  { prefix: '/people', routes: peopleRoutes },
  { prefix: '/calendars', routes: calendarRoutes },
  { prefix: '/calendars', routes: calendarExportRoutes },
  { prefix: '/events', routes: eventRoutes },
  { prefix: '/events', routes: eventSharingRoutes },
  { prefix: '/invitations', routes: invitationRoutes },
  { prefix: '/dashboard', routes: dashboardRoutes },
  { prefix: '/upcoming', routes: upcomingRoutes },
  { prefix: '/search', routes: searchRoutes },
  { prefix: '/households', routes: householdRoutes },
  { prefix: '/households', routes: householdAuditRoutes },
  { prefix: '/households', routes: householdInvitationRoutes },
  { prefix: '/household-invitations', routes: invitationInboxRoutes },
  { prefix: '/households', routes: householdRecordRoutes },
  { prefix: '/households', routes: vaultRoutes },
  { prefix: '/households', routes: vaultReminderRoutes },
  { prefix: '/households/:hid/items/:id/files', routes: fileRoutes },
  { prefix: '', routes: vaultReferenceRoutes },
  { prefix: '/audit', routes: accountAuditRoutes },
  { prefix: '/keys', routes: keyRoutes },
  { prefix: '/users', routes: publicKeyRoutes },
  { prefix: '/households', routes: envelopeRoutes },
];

export type BuildOptions = {
  /** An open database the caller owns (tests, a second app on the same database). */
  database?: Database;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write: (line: string) => void };
  /** A file storage the caller owns instead of the configured one (tests: short S3 timeouts). */
  storage?: BlobStore;
  /** Called for every route as it is registered (tests build the route table from it). */
  onRoute?: (route: RouteOptions) => void;
  /** Background jobs: shorter retry delays and polling (tests of retries). */
  jobs?: JobsPluginOptions;
  /** Tests: the clock scheduled work (the daily digest) reads, instead of the database's now(). */
  now?: () => Date;
};

function createFastify(config: Config, logStream: BuildOptions['logStream']) {
  return Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      // Feed and invitation tokens never reach the log, whichever route matched (404s included).
      serializers: { req: requestSerializer },
    },
    genReqId: generateRequestId,
    // Errors raised before any hook runs are problem documents too (API.md Conventions).
    frameworkErrors,
    clientErrorHandler,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    // Opening the database (first start of the embedded one, or its crash recovery on a busy
    // machine) and applying migrations can take longer than Fastify's default 10 s.
    pluginTimeout: 60_000,
  }).withTypeProvider<ZodTypeProvider>();
}

/** Wires the whole service; never listens (src/server.ts owns the process). */
export async function buildApp(config: Config, options: BuildOptions = {}) {
  const app = createFastify(config, options.logStream);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRoute', strictInputDefaults);
  app.addHook('onRoute', partialResponses);
  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  await app.register(problems);
  await app.register(requestId);
  await app.register(gracefulClose);
  await app.register(jsonBody);
  await app.register(security, { corsOrigins: config.corsOrigins, httpsOnly: config.cookieSecure, urls: config });
  await app.register(openapi);
  await app.register(dbPlugin, { config, database: options.database });
  await app.register(passwords, { cost: config.bcryptCost });
  await app.register(keyring, { config });
  await app.register(storage, { config, store: options.storage });
  await app.register(jobs, options.jobs ?? {});
  await app.register(mail, { config });
  await app.register(rules);
  await app.register(answerCache, { maxBytes: config.answerCacheBytes });

  for (const { prefix, routes } of publicModules) await app.register(routes, { prefix, config });
  await app.register(
    async (api) => {
      await api.register(authPlugin, { config });
      for (const { prefix, routes } of apiModules) await api.register(routes, { prefix, config });
    },
    { prefix: '/api' },
  );
  // Modules without routes: work on a schedule.
  await app.register(digestPlugin, { now: options.now });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
