import { NotFoundError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { findSharedPublicKey } from './queries.ts';
import { PublicKeySchema, UserParams } from './schemas.ts';

/** `GET /api/users/{user_id}/public-key`: for wrapping a household key to a fellow member. */
const publicKeyRoutes: ModuleRoutes = async (app) => {
  app.get(
    '/:user_id/public-key',
    {
      schema: {
        tags: ['keys'],
        summary: "A fellow member's public key (404 unless you share a household and they set keys)",
        params: UserParams,
        response: { 200: PublicKeySchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const publicKey = await findSharedPublicKey(app.db, request.userId, request.params.user_id);
      if (publicKey === undefined) throw new NotFoundError('No public key for this user');
      return { user_id: request.params.user_id, public_key: publicKey };
    },
  );
};

export default publicKeyRoutes;
