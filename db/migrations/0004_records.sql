-- Reminders, projects with their tasks, and people. As in 0003, every list filter and sort has an
-- index that starts with the owner (user_id, or project_id for a project's tasks), so a page is
-- read from an index even with tens of thousands of rows; `q` uses trigram indexes whose
-- expressions the queries repeat exactly.

CREATE TYPE reminder_repeat AS ENUM ('none', 'daily', 'weekly', 'monthly', 'yearly');

CREATE TABLE reminders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  description text CHECK (length(description) <= 10000),
  remind_at timestamptz NOT NULL,
  repeat reminder_repeat NOT NULL DEFAULT 'none',
  -- The first occurrence of the series. Dismissing a repeating reminder counts occurrences from
  -- here, not from the last remind_at, so a monthly reminder on the 31st that was clamped to
  -- 28 Feb returns to the 31st in March. Reset whenever the user sets remind_at or repeat.
  repeat_anchor timestamptz NOT NULL,
  is_dismissed boolean NOT NULL DEFAULT false,
  dismissed_at timestamptz,
  snoozed_until timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reminders_dismissed_at_matches CHECK (is_dismissed = (dismissed_at IS NOT NULL)),
  -- Dismissing ends a snooze; a dismissed reminder cannot be snoozed.
  CONSTRAINT reminders_dismissed_not_snoozed CHECK (NOT (is_dismissed AND snoozed_until IS NOT NULL))
);
CREATE TRIGGER reminders_bump_version BEFORE UPDATE ON reminders FOR EACH ROW EXECUTE FUNCTION bump_version();
-- default order (remind_at) and from/to
CREATE INDEX reminders_user_remind_at ON reminders (user_id, remind_at, id);
-- dismissed and due (not dismissed, remind_at <= now)
CREATE INDEX reminders_user_dismissed_remind_at ON reminders (user_id, is_dismissed, remind_at, id);
CREATE INDEX reminders_user_created ON reminders (user_id, created_at, id);
CREATE INDEX reminders_user_title ON reminders (user_id, lower(title), id);
CREATE INDEX reminders_text_trgm ON reminders USING gin ((title || ' ' || coalesce(description, '')) gin_trgm_ops);

CREATE TYPE project_status AS ENUM ('planning', 'active', 'on_hold', 'completed', 'archived');

CREATE TABLE projects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 10000),
  status project_status NOT NULL DEFAULT 'active',
  color text CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
  due_date date,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Target of the tasks' (project_id, user_id) key: a task always belongs to its project's owner.
  CONSTRAINT projects_id_user_key UNIQUE (id, user_id)
);
CREATE TRIGGER projects_bump_version BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX projects_user_name ON projects (user_id, lower(name), id);
CREATE INDEX projects_user_created ON projects (user_id, created_at, id);
CREATE INDEX projects_user_due ON projects (user_id, due_date, id);
CREATE INDEX projects_user_status ON projects (user_id, status);
CREATE INDEX projects_text_trgm ON projects USING gin ((name || ' ' || coalesce(description, '')) gin_trgm_ops);

CREATE TYPE task_status AS ENUM ('todo', 'in_progress', 'done');

CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Denormalised owner so every task query is scoped by user in SQL; the composite key keeps
  -- it equal to the project's owner. Deleting the project deletes its tasks.
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  project_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  description text CHECK (length(description) <= 10000),
  status task_status NOT NULL DEFAULT 'todo',
  priority priority NOT NULL DEFAULT 'none',
  due_date date,
  position integer NOT NULL CHECK (position >= 0),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tasks_project_fkey FOREIGN KEY (project_id, user_id) REFERENCES projects (id, user_id) ON DELETE CASCADE
);
CREATE TRIGGER tasks_bump_version BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION bump_version();
-- A project's task list: default order (position, created_at), the sorts, the status filter and
-- the counts (task_count/done_count read (user_id, project_id, status) only). user_id leads, as
-- every task query is scoped by it; the same indexes serve both cascades.
CREATE INDEX tasks_project_position ON tasks (user_id, project_id, position, created_at, id);
CREATE INDEX tasks_project_status ON tasks (user_id, project_id, status, position, created_at, id);
CREATE INDEX tasks_project_created ON tasks (user_id, project_id, created_at, id);
CREATE INDEX tasks_project_due ON tasks (user_id, project_id, due_date, id);
CREATE INDEX tasks_project_priority ON tasks (user_id, project_id, priority, id);
CREATE INDEX tasks_project_title ON tasks (user_id, project_id, lower(title), id);

CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  nickname text CHECK (length(nickname) <= 100),
  email text CHECK (length(email) <= 254),
  phone text CHECK (length(phone) <= 50),
  birthday date,
  relationship text CHECK (length(relationship) <= 100),
  company text CHECK (length(company) <= 200),
  address text CHECK (length(address) <= 1000),
  notes text CHECK (length(notes) <= 10000),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER people_bump_version BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE INDEX people_user_name ON people (user_id, lower(name), id);
CREATE INDEX people_user_created ON people (user_id, created_at, id);
CREATE INDEX people_user_relationship ON people (user_id, relationship);
-- The birthday sort's key (next_birthday below) depends on today, so no index can hand rows out
-- in that order: it is a top-N sort over the user's rows, found through the user_id indexes.
CREATE INDEX people_text_trgm ON people USING gin (
  (name || ' ' || coalesce(nickname, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(notes, ''))
  gin_trgm_ops
);

-- The next date on or after `today` on which someone born on `birthday` has their birthday.
-- PostgreSQL clamps date + interval to the month's end, so a 29 February birthday falls on
-- 28 February in other years. One definition for the people sort and the dashboard. A single
-- expression (not STRICT, no FROM) so the planner inlines it: a sort over 10,000 people
-- evaluates it per row.
CREATE FUNCTION next_birthday(birthday date, today date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (birthday + make_interval(years =>
    extract(year FROM today)::int - extract(year FROM birthday)::int
    + CASE WHEN (birthday + make_interval(years => extract(year FROM today)::int - extract(year FROM birthday)::int))::date < today
        THEN 1 ELSE 0 END))::date
$$;
