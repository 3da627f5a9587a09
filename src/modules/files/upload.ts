import { randomUUID } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { encryptStream } from '../../platform/crypto/file-stream.ts';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import { isDatabaseUnavailable } from '../../platform/db/errors.ts';
import { BadRequestError, invalidField, UnsupportedMediaTypeError } from '../../platform/http/errors.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import { FileTooLargeError, QuotaExceededError } from './errors.ts';
import { meterStream } from './meter.ts';
import { cleanContentType, cleanFilename } from './names.ts';
import type { FileContent } from './queries.ts';

export type UploadTarget = {
  store: BlobStore;
  keyring: Keyring;
  householdId: string;
  /** The file row's id (a version-1 file key is bound to it). */
  fileId: string;
  /** The household's server-side key, for version 1 (read before the body, so no query runs mid-stream). */
  householdKey: Buffer;
  maxBytes: number;
  /** Bytes the household may still store (undefined: no quota). */
  quotaLeft: number | undefined;
};

const MAX_KEY_CHARS = 10_000;

/** busboy's limits: one file, the two text parts, small headers; the file's size is FILE_MAX_BYTES. */
function partLimits(maxBytes: number) {
  return { fileSize: maxBytes, files: 1, fields: 2, parts: 3, fieldSize: MAX_KEY_CHARS, fieldNameSize: 100, headerPairs: 20 };
}

/**
 * busboy reports a malformed or truncated body ("Unexpected end of form", "Malformed part
 * header") as a plain Error: that is the client's 400. Everything else keeps its own status
 * (ours, the storage's 503, the multipart plugin's limits), and a database outage stays one.
 */
function asClientError(error: unknown): unknown {
  if (!(error instanceof Error) || error.constructor !== Error || 'statusCode' in error || isDatabaseUnavailable(error)) return error;
  return new BadRequestError('The multipart body is malformed or ended early');
}

type Fields = { encryption_version?: string; key?: string };

function readField(fields: Fields, part: Exclude<Multipart, MultipartFile>): void {
  const name = part.fieldname;
  if (name !== 'encryption_version' && name !== 'key') throw invalidField(name, 'Unknown part; the parts are file, encryption_version and key');
  if (fields[name] !== undefined) throw invalidField(name, 'Sent twice');
  if (part.valueTruncated) throw invalidField(name, `Longer than ${MAX_KEY_CHARS} bytes`);
  fields[name] = typeof part.value === 'string' ? part.value : String(part.value);
}

function encryptionOf(fields: Fields): { version: 1 } | { version: 2; key: string } {
  const version = fields.encryption_version ?? '1';
  if (version !== '1' && version !== '2') throw invalidField('encryption_version', 'Must be 1 or 2');
  if (version === '1') {
    if (fields.key !== undefined) throw invalidField('key', 'Only for encryption_version=2 (sent before the file part)');
    return { version: 1 };
  }
  if (!fields.key) throw invalidField('key', 'Required with encryption_version=2, as a text part before the file part');
  return { version: 2, key: fields.key };
}

/**
 * Stores one file part as it streams in, under a new server-chosen key: counted, hashed and (for
 * version 1) encrypted on the way, never held whole in memory. On any failure nothing stays in
 * the storage (the store removes a partial put; a stored object is deleted here).
 */
async function storeFilePart(target: UploadTarget, part: MultipartFile, fields: Fields): Promise<FileContent> {
  if (part.fieldname !== 'file') throw invalidField(part.fieldname, 'Unknown part; the file goes in the part named file');
  const encryption = encryptionOf(fields);
  const storageKey = `${target.householdId}/${randomUUID()}`;
  const overQuota = target.quotaLeft !== undefined && target.quotaLeft < target.maxBytes;
  const limit = overQuota ? (target.quotaLeft ?? 0) : target.maxBytes;
  // Why the stream was cut, when it was cut on purpose: that is the answer, whatever error the
  // store then reports for its side of the broken stream.
  let cut: Error | undefined;
  const tooLarge = () => (cut = new FileTooLargeError(`The file is larger than ${target.maxBytes} bytes (FILE_MAX_BYTES)`));
  const meter = meterStream(limit, () =>
    overQuota ? (cut = new QuotaExceededError(`The household's files would exceed its quota (HOUSEHOLD_QUOTA_BYTES); ${limit} bytes are left`)) : tooLarge(),
  );
  // busboy stops at fileSize and marks the part truncated; cut the stream there so the put fails.
  part.file.once('limit', () => part.file.destroy(tooLarge()));

  const fileKey = encryption.version === 1 ? target.keyring.newFileKey() : undefined;
  const householdKey = target.householdKey;
  const encrypting = fileKey ? encryptStream(fileKey) : undefined;
  // Callback pipeline: an error anywhere destroys every stream with it, so the put sees it.
  const noop = () => undefined;
  const source: Readable = encrypting ? pipeline(part.file, meter.transform, encrypting.transform, noop) : pipeline(part.file, meter.transform, noop);
  try {
    await target.store.put(storageKey, source);
  } catch (error) {
    throw cut ?? error;
  }
  try {
    if (part.file.truncated) throw tooLarge();
    const { size, sha256 } = meter.result();
    const sealed =
      encrypting && fileKey
        ? { wrapped_key: target.keyring.wrapFileKey(householdKey, fileKey, target.fileId), iv: encrypting.iv, tag: encrypting.tag(), client_key: null }
        : { wrapped_key: null, iv: null, tag: null, client_key: encryption.version === 2 ? encryption.key : null };
    return {
      storage_key: storageKey,
      filename: cleanFilename(part.filename),
      content_type: cleanContentType(part.mimetype),
      size,
      sha256,
      encryption_version: encryption.version,
      ...sealed,
    };
  } catch (error) {
    await target.store.delete(storageKey).catch(() => undefined);
    throw error;
  }
}

/**
 * Reads the multipart body: the text parts, then exactly one `file` part, stored as it arrives.
 * Resolves once the whole body is read and the bytes are durable; the caller commits the row and
 * deletes `storage_key` if that fails.
 */
export async function receiveUpload(request: FastifyRequest, target: UploadTarget): Promise<FileContent> {
  if (!request.isMultipart()) throw new UnsupportedMediaTypeError('Send the file as multipart/form-data with a part named file');
  const fields: Fields = {};
  let stored: FileContent | undefined;
  try {
    for await (const part of request.parts({ limits: partLimits(target.maxBytes) })) {
      if (stored) throw new BadRequestError(`The ${part.fieldname} part comes after the file; text parts must come before the file part`);
      if (part.type === 'field') readField(fields, part);
      else stored = await storeFilePart(target, part, fields);
    }
  } catch (error) {
    if (stored) await target.store.delete(stored.storage_key).catch(() => undefined);
    throw asClientError(error);
  }
  if (!stored) throw invalidField('file', 'The file part is missing');
  return stored;
}
