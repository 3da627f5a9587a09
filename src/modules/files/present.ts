import type { FileRow } from './queries.ts';
import type { ItemFile } from './schemas.ts';

export function presentFile(row: FileRow): ItemFile {
  return {
    id: row.id,
    item_id: row.item_id,
    filename: row.filename,
    content_type: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    encryption_version: row.encryption_version === 2 ? 2 : 1,
    key: row.client_key,
    uploaded_by: row.uploaded_by_id !== null && row.uploaded_by_name !== null ? { id: row.uploaded_by_id, display_name: row.uploaded_by_name } : null,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
