-- The vault in search (GET /api/search: item, household_person, vehicle, provider, saved_contact),
-- on the same terms as 0007_search.sql: the 'simple' configuration, weights A (the name), B (the
-- main text), C (the rest), a GIN index the @@ match reads. The trigram indexes of 0013 serve the
-- lists' `q` substring filters; search matches words and prefixes, as it does for every other type.

ALTER TABLE household_people ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A')
  || setweight(to_tsvector('simple', coalesce(relationship, '') || ' ' || coalesce(email, '')), 'B')
  || setweight(to_tsvector('simple', coalesce(phone, '') || ' ' || coalesce(notes, '')), 'C')
) STORED;
CREATE INDEX household_people_search ON household_people USING gin (search_vector);

ALTER TABLE vehicles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A')
  || setweight(to_tsvector('simple', coalesce(make, '') || ' ' || coalesce(model, '') || ' ' || coalesce(plate, '')), 'B')
  || setweight(to_tsvector('simple', coalesce(vin, '') || ' ' || coalesce(color, '') || ' ' || coalesce(notes, '')), 'C')
) STORED;
CREATE INDEX vehicles_search ON vehicles USING gin (search_vector);

ALTER TABLE providers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A')
  || setweight(to_tsvector('simple', coalesce(website, '') || ' ' || coalesce(email, '')), 'B')
  || setweight(to_tsvector('simple', coalesce(phone, '') || ' ' || coalesce(notes, '')), 'C')
) STORED;
CREATE INDEX providers_search ON providers USING gin (search_vector);

ALTER TABLE saved_contacts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A')
  || setweight(to_tsvector('simple', coalesce(label, '') || ' ' || value), 'B')
  || setweight(to_tsvector('simple', coalesce(country, '')), 'C')
) STORED;
CREATE INDEX saved_contacts_search ON saved_contacts USING gin (search_vector);

-- An item is found by its name, its notes and the values of its non-sensitive text fields: one
-- document per item, so every word of a query may come from a different field. Its values are
-- rows of item_field_values, which a generated column cannot read, so triggers keep this table
-- (written by PostgreSQL only, whatever code changes an item). Only value_text goes in: sensitive
-- values are in value_sealed (0013), which nothing here reads, so a passport number never matches.
CREATE TABLE item_search (
  item_id uuid PRIMARY KEY,
  household_id uuid NOT NULL,
  -- The searched text, for the snippet: name · notes · the text values by field key.
  body text NOT NULL,
  search_vector tsvector NOT NULL,
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE
);
CREATE INDEX item_search_vector ON item_search USING gin (search_vector);

CREATE FUNCTION refresh_item_search(target uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO item_search (item_id, household_id, body, search_vector)
  SELECT i.id, i.household_id,
    concat_ws(' · ', i.name, i.notes, v.texts),
    setweight(to_tsvector('simple', i.name), 'A')
    || setweight(to_tsvector('simple', coalesce(i.notes, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(v.texts, '')), 'C')
  FROM items i
  CROSS JOIN LATERAL (
    SELECT string_agg(value_text, ' · ' ORDER BY field_key) AS texts
    FROM item_field_values WHERE item_id = i.id AND value_text IS NOT NULL
  ) v
  WHERE i.id = target
  ON CONFLICT (item_id) DO UPDATE SET body = excluded.body, search_vector = excluded.search_vector
$$;

CREATE FUNCTION items_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_item_search(NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER items_search_insert AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_search_refresh();
CREATE TRIGGER items_search_update AFTER UPDATE OF name, notes ON items FOR EACH ROW EXECUTE FUNCTION items_search_refresh();

-- A value deleted with its item (cascade) finds no item left and writes nothing.
CREATE FUNCTION item_field_values_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM refresh_item_search(OLD.item_id); END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.item_id <> OLD.item_id) THEN PERFORM refresh_item_search(NEW.item_id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER item_field_values_search AFTER INSERT OR UPDATE OR DELETE ON item_field_values
  FOR EACH ROW EXECUTE FUNCTION item_field_values_search_refresh();

-- Items that exist already.
INSERT INTO item_search (item_id, household_id, body, search_vector) SELECT id, household_id, '', ''::tsvector FROM items;
SELECT refresh_item_search(item_id) FROM item_search;

-- The daily digest (API-VAULT.md "Email"): one mail a day at 08:00 in the user's zone, opted in.
ALTER TABLE user_settings ADD COLUMN email_digest boolean NOT NULL DEFAULT false;
-- The per-minute run reads the zones of the users who opted in.
CREATE INDEX user_settings_email_digest ON user_settings (timezone, user_id) WHERE email_digest;

-- One row per user and local date, claimed in the transaction that queues the mail: the primary
-- key is what keeps a digest to once a day, whichever process runs and however often it restarts.
CREATE TABLE digest_runs (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  local_date date NOT NULL,
  -- The mail queued; null when nothing was due that week (no mail is sent then).
  mail_id uuid REFERENCES mail_outbox (id) ON DELETE SET NULL,
  entries integer NOT NULL CHECK (entries >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, local_date)
);
