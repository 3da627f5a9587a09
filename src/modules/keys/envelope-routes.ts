import { z } from 'zod';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import { ConflictError, NotFoundError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import { Uuid } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { decide, enforce, findRole, HouseholdParams, requireHousehold } from '../households/index.ts';
import { countEnvelopes, findEnvelope, findKeys, findKeyVersion, setKeyVersion, upsertEnvelope } from './queries.ts';
import rotationRoutes from './rotation-routes.ts';
import { EnvelopeSchema, PutEnvelopeBody } from './schemas.ts';

const tags = ['keys'];
const EnvelopeParams = z.strictObject({ hid: Uuid, user_id: Uuid });

/** `/api/households/{hid}/keys`: envelopes of the zero-knowledge household key, one per member. */
const envelopeRoutes: ModuleRoutes = async (app, options) => {
  const db = app.db;
  await rotationRoutes(app, options);

  app.get(
    '/:hid/keys/me',
    {
      schema: { tags, summary: 'Your envelope of the household key (404 when none)', params: HouseholdParams, response: { 200: EnvelopeSchema, ...answers.signedIn, ...answers.notFound } },
    },
    async (request) => {
      const { householdId, userId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      const envelope = await findEnvelope(db, householdId, userId);
      if (!envelope) throw new NotFoundError('You hold no envelope of this household key');
      return envelope;
    },
  );

  app.put(
    '/:hid/keys/:user_id',
    {
      schema: {
        tags,
        summary: 'Confirm a member: store their envelope of the household key (owner, admin; a member for themselves while the household has no key yet)',
        params: EnvelopeParams,
        body: PutEnvelopeBody,
        response: { 200: EnvelopeSchema, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request) => {
      const { user_id: targetId } = request.params;
      const { encrypted_household_key, key_version } = request.body;
      return db.transaction().execute(async (trx) => {
        // The household row's lock serialises key changes: two confirmations never race a rotation.
        const actor = await requireHousehold(trx, request.userId, request.params.hid, 'read', 'update');
        const first = (await countEnvelopes(trx, actor.householdId)) === 0;
        // Creating the first household key for yourself needs the write right; everything else is managing members.
        enforce(decide(actor.role, first && targetId === actor.userId ? 'write' : 'manage'));
        if (!(await findRole(trx, actor.householdId, targetId))) throw new NotFoundError('Member not found');
        if (!(await findKeys(trx, targetId))) throw new ConflictError('This member has not set up keys yet (PUT /api/keys)');
        const current = await findKeyVersion(trx, actor.householdId);
        // With no envelope left, this starts a new household key; otherwise it shares the current one.
        const expected = first ? current + 1 : current;
        if (key_version !== expected) {
          throw new ConflictError(`key_version must be ${expected} (${first ? 'a new household key' : "the household key's current version"})`);
        }
        if (first) await setKeyVersion(trx, actor.householdId, key_version);
        const envelope = await upsertEnvelope(trx, { householdId: actor.householdId, userId: targetId, encryptedHouseholdKey: encrypted_household_key, keyVersion: key_version, createdBy: actor.userId });
        await recordHouseholdAudit(trx, {
          householdId: actor.householdId,
          actorId: actor.userId,
          action: 'key.shared',
          target: { type: 'member', id: targetId },
          details: { key_version },
        });
        return envelope;
      });
    },
  );
};

export default envelopeRoutes;
