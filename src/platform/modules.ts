import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';

/** What app.ts hands every module's routes plugin. */
export type ModuleOptions = { config: Config };

/** A module's `routes.ts` default export: a Fastify plugin registered with the module's prefix. */
export type ModuleRoutes = FastifyPluginAsyncZod<ModuleOptions>;

/** One line of the module list: the routes plugin and the prefix it is registered with. */
export type ModuleEntry = { prefix: string; routes: ModuleRoutes };
