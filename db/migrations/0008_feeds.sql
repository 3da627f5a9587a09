-- Calendar subscription feeds: a secret URL per calendar that phone calendar apps poll without a
-- session. Only the SHA-256 of the token is stored, so the table (a backup, a dump) never yields
-- a working URL; a lookup hashes the presented token and finds it by the unique index.

CREATE TABLE calendar_feeds (
  -- One active feed per calendar: issuing a new one replaces (revokes) the old token.
  calendar_id uuid PRIMARY KEY REFERENCES calendars (id) ON DELETE CASCADE,
  -- Lower-case hex of SHA-256 over the token's text.
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
