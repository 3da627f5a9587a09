import { z } from 'zod';
import { recordAccountAudit } from '../../platform/audit/record-audit.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { deleteUserEnvelopes, findKeys, type StoredKeys, upsertKeys } from './queries.ts';
import { KeysSchema, putKeysBody } from './schemas.ts';

const tags = ['keys'];

const StoredKdf = z.object({ name: z.literal('PBKDF2-SHA256'), iterations: z.number().int(), salt: z.string() });

/** The stored row as the API shows it; the kdf column is read back through its schema. */
function present(keys: StoredKeys) {
  return { ...keys, kdf: StoredKdf.parse(keys.kdf) };
}

/** `/api/keys`: the signed-in user's own key material, for unlocking the vault on any device. */
const keyRoutes: ModuleRoutes = async (app, { config }) => {
  app.get(
    '/',
    { schema: { tags, summary: 'Your zero-knowledge key material (404 before the first PUT)', response: { 200: KeysSchema, ...answers.signedIn, ...answers.notFound } } },
    async (request) => {
      const keys = await findKeys(app.db, request.userId);
      if (!keys) throw new NotFoundError('No keys have been set for this account');
      return present(keys);
    },
  );

  app.put(
    '/',
    {
      schema: {
        tags,
        summary: 'Set your key material: KDF parameters, wrapped user key, public key, wrapped private key',
        body: putKeysBody(config.kdfMinIterations),
        response: { 200: KeysSchema, ...answers.signedIn },
      },
    },
    async (request) => {
      const userId = request.userId;
      const keys = await app.db.transaction().execute(async (trx) => {
        const before = await findKeys(trx, userId);
        const stored = await upsertKeys(trx, userId, request.body);
        // Envelopes were wrapped for the old public key: with a new key pair they open nothing,
        // so they go, and an owner or admin confirms this member again (has_key turns false).
        const dropped = before && before.public_key !== stored.public_key ? await deleteUserEnvelopes(trx, userId) : 0;
        await recordAccountAudit(trx, { accountId: userId, actorId: userId, action: 'keys_changed', details: { new_key_pair: before?.public_key !== stored.public_key, envelopes_dropped: dropped } });
        return stored;
      });
      return present(keys);
    },
  );
};

export default keyRoutes;
