-- The vault's records (API-VAULT.md "Categories" to "Coverage"). Every row carries its
-- household_id, and every reference between vault rows is a composite foreign key on
-- (id, household_id): the database itself refuses a row of one household that names a row of
-- another, whatever the code does. Deleting a household deletes all of it.
--
-- What an item can be (categories, subcategories, fields) is defined in code
-- (src/modules/vault/categories.ts), not here: adding a category or a field needs no migration.

-- The household's people, vehicles and providers: what items refer to. Apart from each user's
-- own address book (`people`, 0004).
CREATE TABLE household_people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  relationship text CHECK (length(relationship) <= 100),
  birthday date,
  email text CHECK (length(email) <= 254),
  phone text CHECK (length(phone) <= 50),
  notes text CHECK (length(notes) <= 10000),
  -- A member of the household this person is (nullable); cleared when that membership ends.
  user_id uuid,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, household_id),
  FOREIGN KEY (household_id, user_id) REFERENCES household_members (household_id, user_id) ON DELETE SET NULL (user_id)
);
CREATE TRIGGER household_people_bump_version BEFORE UPDATE ON household_people FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX household_people_name ON household_people (household_id, lower(name), id);
CREATE INDEX household_people_created ON household_people (household_id, created_at, id);
CREATE INDEX household_people_text_trgm ON household_people USING gin (
  (name || ' ' || coalesce(relationship, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(notes, '')) gin_trgm_ops
);

CREATE TABLE vehicles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  make text CHECK (length(make) <= 100),
  model text CHECK (length(model) <= 100),
  year integer CHECK (year >= 1886),
  vin text CHECK (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
  plate text CHECK (length(plate) <= 20),
  color text CHECK (length(color) <= 50),
  notes text CHECK (length(notes) <= 10000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, household_id)
);
CREATE TRIGGER vehicles_bump_version BEFORE UPDATE ON vehicles FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX vehicles_name ON vehicles (household_id, lower(name), id);
CREATE INDEX vehicles_created ON vehicles (household_id, created_at, id);
CREATE INDEX vehicles_text_trgm ON vehicles USING gin (
  (name || ' ' || coalesce(make, '') || ' ' || coalesce(model, '') || ' ' || coalesce(vin, '') || ' ' || coalesce(plate, '') || ' ' || coalesce(notes, '')) gin_trgm_ops
);

CREATE TABLE providers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL DEFAULT 'other' CHECK (kind IN ('insurer', 'bank', 'clinic', 'authority', 'utility', 'other')),
  website text CHECK (length(website) <= 2000),
  phone text CHECK (length(phone) <= 50),
  email text CHECK (length(email) <= 254),
  notes text CHECK (length(notes) <= 10000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, household_id)
);
CREATE TRIGGER providers_bump_version BEFORE UPDATE ON providers FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX providers_name ON providers (household_id, lower(name), id);
CREATE INDEX providers_created ON providers (household_id, created_at, id);
CREATE INDEX providers_text_trgm ON providers USING gin (
  (name || ' ' || coalesce(website, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(notes, '')) gin_trgm_ops
);

-- Reusable contact templates (the embassy of a country, the insurer's claims line).
CREATE TABLE saved_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('phone', 'email', 'url', 'address')),
  label text CHECK (length(label) <= 100),
  value text NOT NULL CHECK (length(value) BETWEEN 1 AND 2000),
  country text CHECK (country ~ '^[A-Z]{2}$'),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER saved_contacts_bump_version BEFORE UPDATE ON saved_contacts FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX saved_contacts_name ON saved_contacts (household_id, lower(name), id);
CREATE INDEX saved_contacts_created ON saved_contacts (household_id, created_at, id);
CREATE INDEX saved_contacts_country ON saved_contacts (household_id, country, lower(name), id);
CREATE INDEX saved_contacts_text_trgm ON saved_contacts USING gin (
  (name || ' ' || coalesce(label, '') || ' ' || value) gin_trgm_ops
);

-- Vault items. category/subcategory name a definition in code; they are validated there.
CREATE TABLE items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  category text NOT NULL CHECK (category ~ '^[a-z][a-z_]{0,49}$'),
  subcategory text NOT NULL CHECK (subcategory ~ '^[a-z][a-z_]{0,49}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  notes text CHECK (length(notes) <= 10000),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, household_id)
);
CREATE TRIGGER items_bump_version BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION bump_version();
-- The list's sorts and the category filter, each led by the household.
CREATE INDEX items_name ON items (household_id, lower(name), id);
CREATE INDEX items_created ON items (household_id, created_at, id);
CREATE INDEX items_updated ON items (household_id, updated_at, id);
CREATE INDEX items_category ON items (household_id, category, subcategory, lower(name), id);
-- `q` (name and notes); the query repeats this expression exactly.
CREATE INDEX items_text_trgm ON items USING gin ((name || ' ' || coalesce(notes, '')) gin_trgm_ops);

-- One row per field value (entity-attribute-value), in the column of its type, so filters on
-- dates and references are indexed SQL. Exactly one value column is set (money: the amount in
-- value_number with its currency). Sensitive values live in value_sealed only: a version-1
-- AES-GCM envelope under the household key (`v1.`), or a zero-knowledge client's `enc:` string
-- stored as sent; value_text therefore holds only text that may be indexed for search.
CREATE TABLE item_field_values (
  item_id uuid NOT NULL,
  household_id uuid NOT NULL,
  field_key text NOT NULL CHECK (field_key ~ '^[a-z][a-z0-9_]{0,49}$'),
  value_text text CHECK (length(value_text) <= 10000),
  value_number numeric,
  value_currency text CHECK (value_currency ~ '^[A-Z]{3}$'),
  value_date date,
  value_bool boolean,
  value_sealed text,
  value_person uuid,
  value_vehicle uuid,
  value_provider uuid,
  PRIMARY KEY (item_id, field_key),
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE,
  -- Checked at commit: deleting a household cascades to both sides in an order PostgreSQL picks,
  -- and an immediate check can see the person gone before the value rows naming them. Every
  -- other deletion of a referenced record is refused at commit (the API answers 409 first).
  FOREIGN KEY (value_person, household_id) REFERENCES household_people (id, household_id) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (value_vehicle, household_id) REFERENCES vehicles (id, household_id) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (value_provider, household_id) REFERENCES providers (id, household_id) DEFERRABLE INITIALLY DEFERRED,
  CHECK (num_nonnulls(value_text, value_number, value_date, value_bool, value_sealed, value_person, value_vehicle, value_provider) = 1),
  CHECK (value_currency IS NULL OR value_number IS NOT NULL)
);
-- expiring_before and next_date: a household's date values, in date order.
CREATE INDEX item_field_values_dates ON item_field_values (household_id, value_date, field_key, item_id) WHERE value_date IS NOT NULL;
-- person_id / vehicle_id / provider_id filters, the "items still refer to it" count, and the
-- foreign keys' own checks.
CREATE INDEX item_field_values_person ON item_field_values (value_person, item_id) WHERE value_person IS NOT NULL;
CREATE INDEX item_field_values_vehicle ON item_field_values (value_vehicle, item_id) WHERE value_vehicle IS NOT NULL;
CREATE INDEX item_field_values_provider ON item_field_values (value_provider, item_id) WHERE value_provider IS NOT NULL;

-- Parent -> child links between items of one household; no self-links (here), no cycles
-- (checked by the API under a per-household lock).
CREATE TABLE item_links (
  household_id uuid NOT NULL,
  parent_id uuid NOT NULL,
  child_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (parent_id, child_id),
  FOREIGN KEY (parent_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE,
  FOREIGN KEY (child_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE,
  CHECK (parent_id <> child_id)
);
CREATE INDEX item_links_child ON item_links (child_id, parent_id);

CREATE TABLE item_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL,
  item_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('phone', 'email', 'url', 'address')),
  label text CHECK (length(label) <= 100),
  value text NOT NULL CHECK (length(value) BETWEEN 1 AND 2000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE
);
CREATE TRIGGER item_contacts_bump_version BEFORE UPDATE ON item_contacts FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX item_contacts_item ON item_contacts (item_id, created_at, id);

-- Coverage rows and plan limits of insurance items. Money is an amount with 2 decimals and its
-- ISO 4217 currency; a limit's `used` shares the limit's currency, so they cannot differ.
CREATE TABLE item_coverage (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL,
  item_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  limit_amount numeric(14, 2) CHECK (limit_amount >= 0),
  limit_currency text CHECK (limit_currency ~ '^[A-Z]{3}$'),
  deductible_amount numeric(14, 2) CHECK (deductible_amount >= 0),
  deductible_currency text CHECK (deductible_currency ~ '^[A-Z]{3}$'),
  notes text CHECK (length(notes) <= 10000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE,
  CHECK ((limit_amount IS NULL) = (limit_currency IS NULL)),
  CHECK ((deductible_amount IS NULL) = (deductible_currency IS NULL))
);
CREATE TRIGGER item_coverage_bump_version BEFORE UPDATE ON item_coverage FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX item_coverage_item ON item_coverage (item_id, lower(name), id);

CREATE TABLE item_coverage_limits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL,
  item_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('annual_max', 'out_of_pocket_max', 'per_incident', 'lifetime_max')),
  amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  used_amount numeric(14, 2) CHECK (used_amount >= 0),
  period_start date,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE
);
CREATE TRIGGER item_coverage_limits_bump_version BEFORE UPDATE ON item_coverage_limits FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX item_coverage_limits_item ON item_coverage_limits (item_id, created_at, id);
