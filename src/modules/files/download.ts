import { pipeline, type Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { decryptStream } from '../../platform/crypto/file-stream.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import { setEtag } from '../../platform/http/etag.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import { attachmentDisposition } from './names.ts';
import type { FileRow } from './queries.ts';

/**
 * The stored bytes as the client gets them: version 1 decrypted while streaming (the last 64 KiB
 * held back until the GCM tag verified, so a tampered object never arrives whole), version 2 as
 * stored. Errors before the first byte (no object, storage down) reject here.
 */
export async function openContent(store: BlobStore, keyring: Keyring, row: FileRow, serverKey: () => Promise<string>): Promise<Readable> {
  const noop = () => undefined;
  if (row.encryption_version === 2) return store.get(row.storage_key);
  if (!row.wrapped_key || !row.iv || !row.tag) throw new Error(`Version-1 file ${row.id} lacks its key, IV or tag`);
  const householdKey = keyring.unwrapHouseholdKey(await serverKey(), row.household_id);
  const fileKey = keyring.unwrapFileKey(householdKey, row.wrapped_key, row.id);
  const decrypting = decryptStream(fileKey, row.iv, row.tag);
  return pipeline(await store.get(row.storage_key), decrypting, noop);
}

/** Headers of a download: an attachment that a browser neither sniffs nor renders with any power. */
export function downloadHeaders(reply: FastifyReply, row: FileRow): FastifyReply {
  setEtag(reply, row.version);
  return reply
    .type(row.encryption_version === 2 ? 'application/octet-stream' : row.content_type)
    .header('content-length', String(row.size))
    .header('content-disposition', attachmentDisposition(row.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store');
}
