-- Households: the tenant of the vault. Every vault record belongs to exactly one household, and
-- only its members see it. Membership carries a role; exactly one member is the owner.

CREATE TYPE household_role AS ENUM ('owner', 'admin', 'member', 'viewer');

CREATE TABLE households (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- The household's server-side (version 1) key, wrapped by the master key derived from
  -- VAULT_KEY; never the key itself.
  server_key text NOT NULL,
  -- The zero-knowledge (version 2) household key generation: 0 until a member creates the first
  -- one, +1 on every rotation. The keys themselves exist only as envelopes, wrapped per member.
  key_version integer NOT NULL DEFAULT 0 CHECK (key_version >= 0),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER households_bump_version BEFORE UPDATE ON households FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE TABLE household_members (
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role household_role NOT NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, user_id)
);
-- "Your households" and the access helper's lookup by user.
CREATE INDEX household_members_user ON household_members (user_id, household_id);
-- At most one owner per household, checked at once (a transfer demotes before it promotes) ...
CREATE UNIQUE INDEX household_members_one_owner ON household_members (household_id) WHERE role = 'owner';

-- ... and at least one, checked at commit: a household never ends a transaction without its owner.
CREATE FUNCTION check_household_has_owner(hid uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM households WHERE id = hid)
     AND (SELECT count(*) FROM household_members WHERE household_id = hid AND role = 'owner') <> 1 THEN
    RAISE EXCEPTION 'household % must have exactly one owner', hid;
  END IF;
END $$;

CREATE FUNCTION household_members_owner_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM check_household_has_owner(OLD.household_id);
  ELSE
    PERFORM check_household_has_owner(NEW.household_id);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION households_owner_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM check_household_has_owner(NEW.id);
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER household_members_exactly_one_owner
  AFTER INSERT OR UPDATE OR DELETE ON household_members
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION household_members_owner_check();
CREATE CONSTRAINT TRIGGER households_exactly_one_owner
  AFTER INSERT ON households
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION households_owner_check();

-- The household whose vault the dashboard and upcoming show: always one the user belongs to
-- (the foreign key names the membership), cleared by the database when that membership ends.
ALTER TABLE user_settings ADD COLUMN active_household_id uuid;
ALTER TABLE user_settings ADD CONSTRAINT user_settings_active_household_fkey
  FOREIGN KEY (active_household_id, user_id) REFERENCES household_members (household_id, user_id)
  ON DELETE SET NULL (active_household_id);

-- Key material of zero-knowledge clients: opaque strings to the server.
CREATE TABLE user_keys (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  kdf jsonb NOT NULL,
  encrypted_user_key text NOT NULL,
  public_key text NOT NULL,
  encrypted_private_key text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER user_keys_bump_version BEFORE UPDATE ON user_keys FOR EACH ROW EXECUTE FUNCTION bump_version();

-- A member's envelope of the household key (wrapped for their public key). It hangs off the
-- membership, so a member who leaves or is removed loses it with the membership.
CREATE TABLE household_key_envelopes (
  household_id uuid NOT NULL,
  user_id uuid NOT NULL,
  encrypted_household_key text NOT NULL,
  key_version integer NOT NULL CHECK (key_version >= 1),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, user_id),
  FOREIGN KEY (household_id, user_id) REFERENCES household_members (household_id, user_id) ON DELETE CASCADE
);

-- The audit log: household actions (household_id set) and an account's own security events
-- (account_id set), written in the same transaction as the change they record.
CREATE TABLE audit_log (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Newest first without ties: several entries of one transaction share `at`.
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  household_id uuid REFERENCES households (id) ON DELETE CASCADE,
  account_id uuid REFERENCES users (id) ON DELETE CASCADE,
  actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
  action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)?$'),
  target_type text,
  target_id uuid,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now(),
  CHECK ((household_id IS NULL) <> (account_id IS NULL)),
  CHECK ((target_type IS NULL) = (target_id IS NULL))
);
CREATE INDEX audit_log_household ON audit_log (household_id, seq DESC) WHERE household_id IS NOT NULL;
CREATE INDEX audit_log_account ON audit_log (account_id, seq DESC) WHERE account_id IS NOT NULL;
