-- File attachments of vault items (API-VAULT.md "Files"). The bytes live in the blob store
-- (disk or S3) under `storage_key`, a server-chosen `<household id>/<random uuid>`; this row is
-- committed only after the bytes are stored, and a sweeper removes objects no row names.
--
-- Version 1 (server-side): the bytes are AES-256-GCM under a random file key; `wrapped_key` is
-- that file key sealed by the household's server key; `iv` and `tag` are the file's GCM values.
-- Version 2 (zero-knowledge): the bytes and `client_key` are stored as the client sent them.
CREATE TABLE item_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  item_id uuid NOT NULL,
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  content_type text NOT NULL CHECK (length(content_type) BETWEEN 1 AND 255),
  -- Bytes as uploaded (plaintext size for version 1; the client's ciphertext for version 2).
  size bigint NOT NULL CHECK (size >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  encryption_version smallint NOT NULL CHECK (encryption_version IN (1, 2)),
  storage_key text NOT NULL UNIQUE,
  wrapped_key text,
  iv bytea,
  tag bytea,
  client_key text CHECK (length(client_key) <= 10000),
  uploaded_by uuid REFERENCES users (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, household_id),
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE,
  CHECK (
    (encryption_version = 1 AND wrapped_key IS NOT NULL AND iv IS NOT NULL AND tag IS NOT NULL AND client_key IS NULL)
    OR (encryption_version = 2 AND client_key IS NOT NULL AND wrapped_key IS NULL AND iv IS NULL AND tag IS NULL)
  )
);
CREATE TRIGGER item_files_bump_version BEFORE UPDATE ON item_files FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX item_files_item ON item_files (item_id, created_at, id);
-- The quota and the household dashboard's totals.
CREATE INDEX item_files_household ON item_files (household_id) INCLUDE (size);
