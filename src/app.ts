import Fastify, { type RouteOptions } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/create-db.ts';
import { serializerCompiler } from './http/serializer.ts';
import dbPlugin from './plugins/db.ts';
import gracefulClose from './plugins/graceful-close.ts';
import jsonBody from './plugins/json-body.ts';
import openapi from './plugins/openapi.ts';
import passwords from './plugins/passwords.ts';
import problems from './plugins/problems.ts';
import requestId, { generateRequestId } from './plugins/request-id.ts';
import security from './plugins/security.ts';
import { strictInputDefaults } from './plugins/strict-input.ts';
import authPlugin from './plugins/auth.ts';
import authRoutes from './routes/auth.ts';
import calendarExportRoutes from './routes/calendar-export.ts';
import calendarRoutes from './routes/calendars.ts';
import dashboardRoutes from './routes/dashboard.ts';
import eventSharingRoutes from './routes/event-sharing.ts';
import eventRoutes from './routes/events.ts';
import feedRoutes from './routes/feeds.ts';
import invitationRoutes from './routes/invitations.ts';
import healthRoutes from './routes/health.ts';
import locationRoutes from './routes/locations.ts';
import peopleRoutes from './routes/people.ts';
import projectRoutes from './routes/projects.ts';
import reminderRoutes from './routes/reminders.ts';
import searchRoutes from './routes/search.ts';
import settingsRoutes from './routes/settings.ts';
import todoRoutes from './routes/todos.ts';
import upcomingRoutes from './routes/upcoming.ts';

export type BuildOptions = {
  /** An open database the caller owns (tests, a second app on the same database). */
  database?: Database;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write: (line: string) => void };
  /** Called for every route as it is registered (tests build the route table from it). */
  onRoute?: (route: RouteOptions) => void;
};

function createFastify(config: Config, logStream: BuildOptions['logStream']) {
  return Fastify({
    logger: {
      level: config.logLevel,
      ...(logStream ? { stream: logStream } : {}),
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    genReqId: generateRequestId,
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
  if (options.onRoute) app.addHook('onRoute', options.onRoute);

  await app.register(problems);
  await app.register(requestId);
  await app.register(gracefulClose);
  await app.register(jsonBody);
  await app.register(security, { corsOrigins: config.corsOrigins, httpsOnly: config.cookieSecure });
  await app.register(openapi);
  await app.register(dbPlugin, { config, database: options.database });
  await app.register(passwords, { cost: config.bcryptCost });

  await app.register(healthRoutes);
  // Subscription feeds: read by calendar apps without a cookie, so outside the session scope.
  await app.register(feedRoutes, { prefix: '/feeds' });
  await app.register(
    async (api) => {
      await api.register(authPlugin, { config });
      await api.register(authRoutes, { prefix: '/auth', allowRegistration: config.allowRegistration });
      await api.register(settingsRoutes, { prefix: '/settings' });
      await api.register(todoRoutes, { prefix: '/todos' });
      await api.register(locationRoutes, { prefix: '/locations' });
      await api.register(reminderRoutes, { prefix: '/reminders' });
      await api.register(projectRoutes, { prefix: '/projects' });
      await api.register(peopleRoutes, { prefix: '/people' });
      await api.register(calendarRoutes, { prefix: '/calendars' });
      await api.register(calendarExportRoutes, { prefix: '/calendars' });
      await api.register(eventRoutes, { prefix: '/events' });
      await api.register(eventSharingRoutes, { prefix: '/events' });
      await api.register(invitationRoutes, { prefix: '/invitations' });
      await api.register(dashboardRoutes, { prefix: '/dashboard' });
      await api.register(upcomingRoutes, { prefix: '/upcoming' });
      await api.register(searchRoutes, { prefix: '/search' });
    },
    { prefix: '/api' },
  );
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
