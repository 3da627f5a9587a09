-- Foundation: server-wide secrets and the row-versioning trigger every entity table uses.

-- Secrets the server generates for itself when the operator did not configure one
-- (SESSION_SECRET outside production), shared by every process on this database.
CREATE TABLE server_secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);

-- Every UPDATE of an entity row is one change: bump `version` by exactly 1 and stamp
-- `updated_at`. Doing it here means no write path can forget, and If-Match can compare
-- versions in the UPDATE's WHERE clause.
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
