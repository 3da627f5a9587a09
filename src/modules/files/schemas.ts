import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { Uuid } from '../../platform/http/schemas.ts';

export const FileSchema = z
  .object({
    id: z.uuid(),
    item_id: z.uuid(),
    filename: z.string().meta({ description: 'For display only: path separators and control characters removed' }),
    content_type: z.string().meta({ description: 'As the upload named it (version 1); downloads of version 2 are application/octet-stream' }),
    size: z.number().int().meta({ description: 'Bytes as uploaded (version 1: the plaintext; version 2: the client ciphertext)' }),
    sha256: z.string().meta({ description: 'Hex SHA-256 of the bytes as uploaded, computed while they streamed in' }),
    encryption_version: z.union([z.literal(1), z.literal(2)]).meta({ description: '1: encrypted by the server; 2: encrypted by the client (zero-knowledge)' }),
    key: z.string().nullable().meta({ description: "Version 2: the client's opaque key string, as sent; version 1: null" }),
    uploaded_by: z
      .object({ id: z.uuid(), display_name: z.string() })
      .nullable()
      .meta({ description: 'Who uploaded the current bytes; null when that account no longer exists' }),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'ItemFile' });

export type ItemFile = z.output<typeof FileSchema>;

/** `/api/households/{hid}/items/{id}/files` */
export const ItemFilesParams = z.strictObject({ hid: Uuid, id: Uuid });
/** `/api/households/{hid}/items/{id}/files/{fid}` */
export const FileParams = z.strictObject({ hid: Uuid, id: Uuid, fid: Uuid });

export const FileListQuery = listQuery(['created_at', 'filename', 'size'], 'created_at', {});
export type FileListParams = z.output<typeof FileListQuery>;

/**
 * The multipart form, for the OpenAPI document only: the parts are read as a stream by the
 * handler (never buffered), so validation happens there. Text parts must come before the file.
 */
export const UploadForm = z
  .strictObject({
    encryption_version: z.enum(['1', '2']).optional().meta({ description: 'Before `file`. 2: the file is client-encrypted; send `key` too' }),
    key: z.string().max(10000).optional().meta({ description: "Before `file`. Version 2 only: the client's wrapped file key, stored as sent" }),
    file: z.string().meta({ format: 'binary', description: 'The bytes; its filename and Content-Type are kept for display' }),
  })
  .nullish()
  .meta({
    description:
      'multipart/form-data. Text parts (`encryption_version`, `key`) must come BEFORE the `file` part: the file is stored while it streams in, so its encryption must be known when it starts.',
  });

export const DownloadResponse = {
  description:
    'The bytes, as an attachment: the stored Content-Type for version 1 (decrypted while streaming), application/octet-stream for version 2 (as uploaded)',
  content: {
    'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
    '*/*': { schema: z.string().meta({ format: 'binary' }) },
  },
};
