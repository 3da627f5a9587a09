import type { ModuleRoutes } from '../../platform/modules.ts';
import contactRoutes from './contact-routes.ts';
import { coverageRoutes, limitRoutes } from './coverage-routes.ts';
import itemRoutes from './item-routes.ts';
import linkRoutes from './link-routes.ts';

/** The vault under `/api/households`: items, and what hangs off each item. */
const vaultRoutes: ModuleRoutes = async (app, options) => {
  await app.register(itemRoutes, { ...options, prefix: '/:hid/items' });
  await app.register(linkRoutes, { ...options, prefix: '/:hid/items/:id/links' });
  await app.register(contactRoutes, { ...options, prefix: '/:hid/items/:id/contacts' });
  await app.register(coverageRoutes, { ...options, prefix: '/:hid/items/:id/coverage' });
  await app.register(limitRoutes, { ...options, prefix: '/:hid/items/:id/coverage/limits' });
};

export default vaultRoutes;
export { default as vaultReferenceRoutes } from './reference-routes.ts';
