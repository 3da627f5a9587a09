-- Full-text search (GET /api/search): one generated tsvector per searchable table, kept by
-- PostgreSQL itself on every insert and update, with a GIN index the @@ match reads.
--
-- Configuration 'simple': lower-cased words, no stemming, no stop words. A personal organizer
-- holds names, places and text in any language; 'english' would stem "Mathis" to "mathi",
-- fold German or French words by English rules, and drop words such as "the" or "it" (a query
-- made only of them would find nothing). Completion is covered by prefix matching on the last
-- word the user types (src/queries/search.ts), so "meet" still finds "meetings".
--
-- Weights rank where a word was found: A the title or name, B the main text, C the rest. The
-- snippet (ts_headline) is computed from the same columns, for the returned rows only.

ALTER TABLE todos ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', title), 'A')
  || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
  || setweight(to_tsvector('simple', coalesce(category, '')), 'C')
) STORED;
CREATE INDEX todos_search ON todos USING gin (search_vector);

-- Only what an invitee also sees: the saved location (location_id) is the owner's own address
-- book and stays out, the `location` text is shared with the event.
ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', title), 'A')
  || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
  || setweight(to_tsvector('simple', coalesce(location, '')), 'C')
) STORED;
CREATE INDEX events_search ON events USING gin (search_vector);

ALTER TABLE reminders ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', title), 'A')
  || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
) STORED;
CREATE INDEX reminders_search ON reminders USING gin (search_vector);

ALTER TABLE projects ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A')
  || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
) STORED;
CREATE INDEX projects_search ON projects USING gin (search_vector);

ALTER TABLE tasks ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', title), 'A')
  || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
) STORED;
CREATE INDEX tasks_search ON tasks USING gin (search_vector);

ALTER TABLE people ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name || ' ' || coalesce(nickname, '')), 'A')
  || setweight(to_tsvector('simple', coalesce(company, '') || ' ' || coalesce(relationship, '') || ' ' || coalesce(email, '')), 'B')
  || setweight(to_tsvector('simple', coalesce(notes, '') || ' ' || coalesce(address, '') || ' ' || coalesce(phone, '')), 'C')
) STORED;
CREATE INDEX people_search ON people USING gin (search_vector);

ALTER TABLE locations ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', name), 'A')
  || setweight(to_tsvector('simple', coalesce(category, '')), 'B')
  || setweight(to_tsvector('simple', coalesce(address, '') || ' ' || coalesce(notes, '')), 'C')
) STORED;
CREATE INDEX locations_search ON locations USING gin (search_vector);

-- The tsquery for what the user typed: PostgreSQL's own parser and the 'simple' configuration
-- split and lower-case the words exactly as they did the indexed text, then each lexeme is
-- quoted as tsquery syntax ('' for a quote, \\ for a backslash), so nothing the user types is
-- read as an operator. All lexemes must match (&); with `prefix`, those of the last word also
-- match as prefixes ('meet':* finds "meeting"). Null when the text holds no word at all.
-- IMMUTABLE, so with constant arguments the planner computes it while planning and estimates
-- the match from the column's statistics: that is what lets it choose the GIN indexes.
CREATE FUNCTION search_query(whole_words text, last_word text, prefix boolean) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT string_agg(quoted || CASE WHEN is_last AND prefix THEN ':*' ELSE '' END, ' & ')::tsquery
  FROM (
    SELECT '''' || replace(replace(lexeme, chr(92), chr(92) || chr(92)), '''', '''''') || '''' AS quoted, is_last
    FROM (
      SELECT lexeme, false AS is_last FROM unnest(to_tsvector('simple', whole_words))
      UNION ALL
      SELECT lexeme, true FROM unnest(to_tsvector('simple', last_word))
    ) AS terms
  ) AS lexemes
$$;
