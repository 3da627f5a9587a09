-- Accounts: users, their settings, their calendars, sessions and the login throttle.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  password_hash text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Email is unique regardless of case; logins look it up through this index.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE TRIGGER users_bump_version BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE TYPE theme AS ENUM ('light', 'dark', 'system');

CREATE TABLE user_settings (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  timezone text NOT NULL DEFAULT 'UTC',
  week_start smallint NOT NULL DEFAULT 1 CHECK (week_start BETWEEN 0 AND 6),
  theme theme NOT NULL DEFAULT 'system',
  default_reminder_minutes integer CHECK (default_reminder_minutes BETWEEN 0 AND 10080),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER user_settings_bump_version BEFORE UPDATE ON user_settings FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE TABLE calendars (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  color text CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
  is_default boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- At most one default calendar per user (the application keeps it at exactly one).
CREATE UNIQUE INDEX calendars_one_default_per_user ON calendars (user_id) WHERE is_default;
CREATE INDEX calendars_user_name ON calendars (user_id, name, id);
CREATE TRIGGER calendars_bump_version BEFORE UPDATE ON calendars FOR EACH ROW EXECUTE FUNCTION bump_version();

-- Sessions of @fastify/session, shared by every server process on this database.
CREATE TABLE sessions (
  sid text PRIMARY KEY,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Failed (and in-flight) login attempts per normalised email and client IP, counted in SQL so
-- the limit holds across server processes.
CREATE TABLE login_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  ip text NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_ip_at ON login_attempts (email, ip, attempted_at);
CREATE INDEX login_attempts_at ON login_attempts (attempted_at);
