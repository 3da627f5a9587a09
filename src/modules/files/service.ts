import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { VersionCondition } from '../../platform/http/etag.ts';
import { NotFoundError, PreconditionFailedError } from '../../platform/http/errors.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import { requireHousehold } from '../households/index.ts';
import { QuotaExceededError } from './errors.ts';
import { presentFile } from './present.ts';
import {
  deleteFile,
  type FileContent,
  type FileRow,
  findFile,
  findServerKey,
  insertFile,
  itemExists,
  lockHouseholdFiles,
  replaceFileContent,
} from './queries.ts';
import type { ItemFile } from './schemas.ts';
import { householdFileTotals } from './totals.ts';
import { receiveUpload } from './upload.ts';

// The order that keeps a row and its bytes together: the bytes are stored first under a new
// server-chosen key, the row is committed after; a failure before the commit deletes the new
// bytes; bytes a row no longer names are deleted only after the commit. Whatever a crash or a
// storage outage leaves in between (bytes without a row) the sweeper removes.

export type FileServices = {
  db: Kysely<DB>;
  store: BlobStore;
  keyring: Keyring;
  log: FastifyBaseLogger;
  maxBytes: number;
  quotaBytes: number | undefined;
};

export type FileTarget = { userId: string; hid: string; itemId: string };

/** Deletes bytes no row names (any more); when the storage fails, the sweeper does it later. */
export async function deleteStoredBytes(services: FileServices, storageKey: string): Promise<void> {
  try {
    await services.store.delete(storageKey);
  } catch (error) {
    services.log.warn({ err: error, storageKey }, 'could not delete the bytes of a file; the sweeper removes them later');
  }
}

function checkVersion(row: FileRow, ifMatch: VersionCondition): void {
  if (ifMatch.versions && !ifMatch.versions.includes(row.version)) throw new PreconditionFailedError(ifMatch.header ?? '', String(row.version));
}

/** The household and item for a write, before any byte is read: 404 for strangers and unknown items, 403 for viewers. */
async function resolveWrite(db: Kysely<DB>, target: FileTarget): Promise<string> {
  const { householdId } = await requireHousehold(db, target.userId, target.hid, 'write');
  if (!(await itemExists(db, householdId, target.itemId))) throw new NotFoundError('Item not found');
  return householdId;
}

async function quotaLeft(services: FileServices, householdId: string, freed: number): Promise<number | undefined> {
  if (services.quotaBytes === undefined) return undefined;
  const { bytes } = await householdFileTotals(services.db, householdId);
  return Math.max(0, services.quotaBytes - bytes + freed);
}

/** Inside the commit's transaction: the quota holds with every concurrent upload counted. */
async function checkQuota(services: FileServices, trx: Kysely<DB>, householdId: string, added: number, freed: number): Promise<void> {
  if (services.quotaBytes === undefined) return;
  await lockHouseholdFiles(trx, householdId);
  const { bytes } = await householdFileTotals(trx, householdId);
  if (bytes - freed + added > services.quotaBytes) {
    throw new QuotaExceededError(`The household's files would exceed its quota of ${services.quotaBytes} bytes (HOUSEHOLD_QUOTA_BYTES)`);
  }
}

async function receive(services: FileServices, request: FastifyRequest, householdId: string, fileId: string, left: number | undefined): Promise<FileContent> {
  return receiveUpload(request, {
    store: services.store,
    keyring: services.keyring,
    householdId,
    fileId,
    householdKey: services.keyring.unwrapHouseholdKey(await findServerKey(services.db, householdId), householdId),
    maxBytes: services.maxBytes,
    quotaLeft: left,
  });
}

/** Runs the commit; if it fails, the new bytes go (the row never named them). */
async function commitOrDiscard<T>(services: FileServices, content: FileContent, commit: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  try {
    return await services.db.transaction().execute(commit);
  } catch (error) {
    await deleteStoredBytes(services, content.storage_key);
    throw error;
  }
}

function auditDetails(row: FileRow) {
  return { item_id: row.item_id, filename: row.filename, size: Number(row.size), encryption_version: row.encryption_version };
}

export async function uploadFile(services: FileServices, request: FastifyRequest, target: FileTarget): Promise<ItemFile> {
  const householdId = await resolveWrite(services.db, target);
  const id = randomUUID();
  const content = await receive(services, request, householdId, id, await quotaLeft(services, householdId, 0));
  return commitOrDiscard(services, content, async (trx) => {
    await requireHousehold(trx, target.userId, target.hid, 'write', 'share');
    if (!(await itemExists(trx, householdId, target.itemId, true))) throw new NotFoundError('Item not found');
    await checkQuota(services, trx, householdId, content.size, 0);
    await insertFile(trx, { ...content, id, household_id: householdId, item_id: target.itemId, uploaded_by: target.userId });
    const row = await findFile(trx, householdId, target.itemId, id);
    if (!row) throw new Error('The file row just inserted is not there');
    await recordHouseholdAudit(trx, { householdId, actorId: target.userId, action: 'file.uploaded', target: { type: 'file', id }, details: auditDetails(row) });
    return presentFile(row);
  });
}

/** New bytes for a file (how a client moves a version-1 file to version 2); the old bytes go after the commit. */
export async function replaceFile(services: FileServices, request: FastifyRequest, target: FileTarget, fileId: string, ifMatch: VersionCondition): Promise<ItemFile> {
  const householdId = await resolveWrite(services.db, target);
  const before = await findFile(services.db, householdId, target.itemId, fileId);
  if (!before) throw new NotFoundError('File not found');
  checkVersion(before, ifMatch);
  const content = await receive(services, request, householdId, fileId, await quotaLeft(services, householdId, Number(before.size)));
  const { file, oldKey } = await commitOrDiscard(services, content, async (trx) => {
    await requireHousehold(trx, target.userId, target.hid, 'write', 'share');
    const current = await findFile(trx, householdId, target.itemId, fileId, true);
    if (!current) throw new NotFoundError('File not found');
    checkVersion(current, ifMatch);
    await checkQuota(services, trx, householdId, content.size, Number(current.size));
    await replaceFileContent(trx, householdId, fileId, { ...content, uploaded_by: target.userId });
    const row = await findFile(trx, householdId, target.itemId, fileId);
    if (!row) throw new Error('The file row just updated is not there');
    await recordHouseholdAudit(trx, {
      householdId,
      actorId: target.userId,
      action: 'file.replaced',
      target: { type: 'file', id: fileId },
      details: { ...auditDetails(row), previous_encryption_version: current.encryption_version },
    });
    return { file: presentFile(row), oldKey: current.storage_key };
  });
  await deleteStoredBytes(services, oldKey);
  return file;
}

export async function removeFile(services: FileServices, target: FileTarget, fileId: string, ifMatch: VersionCondition): Promise<void> {
  const storageKey = await services.db.transaction().execute(async (trx) => {
    const { householdId } = await requireHousehold(trx, target.userId, target.hid, 'write', 'share');
    const row = await findFile(trx, householdId, target.itemId, fileId, true);
    if (!row) throw new NotFoundError('File not found');
    checkVersion(row, ifMatch);
    await deleteFile(trx, householdId, fileId);
    await recordHouseholdAudit(trx, { householdId, actorId: target.userId, action: 'file.deleted', target: { type: 'file', id: fileId }, details: auditDetails(row) });
    return row.storage_key;
  });
  await deleteStoredBytes(services, storageKey);
}
