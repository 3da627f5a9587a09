-- Todos and locations. Every list filter and sort has an index that starts with user_id, so a
-- user's page is read from the index even with tens of thousands of rows.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Declared in this order so ORDER BY priority sorts none < low < medium < high.
CREATE TYPE priority AS ENUM ('none', 'low', 'medium', 'high');

CREATE TABLE todos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  description text CHECK (length(description) <= 10000),
  due_date date,
  priority priority NOT NULL DEFAULT 'none',
  category text CHECK (length(category) <= 100),
  completed boolean NOT NULL DEFAULT false,
  completed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT todos_completed_at_matches CHECK (completed = (completed_at IS NOT NULL))
);
CREATE TRIGGER todos_bump_version BEFORE UPDATE ON todos FOR EACH ROW EXECUTE FUNCTION bump_version();
-- default order (due date, undated last) and the completed/overdue/due_from/due_to filters
CREATE INDEX todos_user_due ON todos (user_id, due_date, id);
CREATE INDEX todos_user_completed_due ON todos (user_id, completed, due_date, id);
CREATE INDEX todos_user_created ON todos (user_id, created_at, id);
CREATE INDEX todos_user_priority ON todos (user_id, priority, id);
CREATE INDEX todos_user_title ON todos (user_id, lower(title), id);
CREATE INDEX todos_user_category ON todos (user_id, category);
-- q: case-insensitive substring match in title or description
CREATE INDEX todos_text_trgm ON todos USING gin ((title || ' ' || coalesce(description, '')) gin_trgm_ops);

CREATE TABLE locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address text CHECK (length(address) <= 1000),
  category text CHECK (length(category) <= 50),
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  notes text CHECK (length(notes) <= 10000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT locations_coordinates_together CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE TRIGGER locations_bump_version BEFORE UPDATE ON locations FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX locations_user_name ON locations (user_id, lower(name), id);
CREATE INDEX locations_user_created ON locations (user_id, created_at, id);
CREATE INDEX locations_user_category ON locations (user_id, category);
CREATE INDEX locations_text_trgm ON locations
  USING gin ((name || ' ' || coalesce(address, '') || ' ' || coalesce(category, '') || ' ' || coalesce(notes, '')) gin_trgm_ops);
