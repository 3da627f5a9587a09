import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import { ConflictError, InvalidInputError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { decide, enforce, HouseholdParams, requireHousehold } from '../households/index.ts';
import { listOpaqueValues, rekeyOpaqueValues } from '../vault/index.ts';
import { upsertEnvelope, setKeyVersion } from './queries.ts';
import { checkRotation, describeMissing } from './rotation-check.ts';
import { listEnvelopeHolders, listVersion2Files, lockForRotation, rekeyFiles } from './rotation-queries.ts';
import { RotateBody, ROTATION_BODY_LIMIT, RotationSchema } from './schemas.ts';

const tags = ['keys'];

/**
 * `POST /api/households/{hid}/keys/rotate`: a new household key, in one transaction. The
 * request must re-key everything the current key opens (every envelope holder, every version-2
 * file, every `enc:` value), so that a removed member's copy of the old key opens nothing new
 * and nothing re-encrypted; otherwise 409 and nothing changes.
 */
const rotationRoutes: ModuleRoutes = async (app) => {
  const db = app.db;

  app.post(
    '/:hid/keys/rotate',
    {
      bodyLimit: ROTATION_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Rotate the household key: new envelopes for every member holding one, new keys for every version-2 file, new values for every enc: field (owner, admin)',
        description:
          'One transaction. 409 and nothing changed when `key_version` is not the current version plus 1, or when an envelope holder, a version-2 file or an `enc:` value of the household is left out (the detail lists them). 400 naming the entry when one names a non-member, a member without keys, a file that is not a version-2 file of the household, a value that is not an `enc:` value of the household, or the same thing twice.',
        params: HouseholdParams,
        body: RotateBody,
        response: { 200: RotationSchema, ...answers.signedIn, ...answers.forbidden, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request) => {
      const { key_version, envelopes, files, fields } = request.body;
      return db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'manage');
        const { householdId, userId } = access;
        const locked = await lockForRotation(trx, householdId);
        // Decided again on the locked membership: the role cannot have changed since.
        enforce(decide(locked.members.find((member) => member.user_id === userId)?.role ?? null, 'manage'));
        if (key_version !== locked.keyVersion + 1) {
          throw new ConflictError(`key_version must be ${locked.keyVersion + 1}, the current version (${locked.keyVersion}) plus 1: fetch the household's keys again`);
        }
        const check = checkRotation(request.body, {
          members: new Map(locked.members.map((member) => [member.user_id, { hasKeys: member.has_keys }])),
          envelopeHolders: await listEnvelopeHolders(trx, householdId),
          files: await listVersion2Files(trx, householdId),
          fields: (await listOpaqueValues(trx, householdId)).map((value) => `${value.item_id}:${value.field_key}`),
        });
        if (check.issues.length > 0) throw new InvalidInputError(check.issues);
        const missing = describeMissing(check.missing);
        if (missing) throw new ConflictError(missing);

        await setKeyVersion(trx, householdId, key_version);
        for (const envelope of envelopes) {
          await upsertEnvelope(trx, { householdId, userId: envelope.user_id, encryptedHouseholdKey: envelope.encrypted_household_key, keyVersion: key_version, createdBy: userId });
        }
        const rekeyedFiles = await rekeyFiles(trx, householdId, files);
        const rekeyedFields = await rekeyOpaqueValues(trx, householdId, fields.map((field) => ({ item_id: field.item_id, field_key: field.field, value: field.value })));
        const summary = { key_version, envelopes: envelopes.length, files: rekeyedFiles, fields: rekeyedFields };
        await recordHouseholdAudit(trx, { householdId, actorId: userId, action: 'key.rotated', target: { type: 'household', id: householdId }, details: summary });
        return summary;
      });
    },
  );
};

export default rotationRoutes;
