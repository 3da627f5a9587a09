-- Events: series master rows (a non-recurring event is a series of one) and per-occurrence
-- overrides. The range query selects candidate series by their stored bounds in SQL before any
-- expansion, so a month view reads the month, not years of history.

CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  calendar_id uuid NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  description text CHECK (length(description) <= 10000),
  location text CHECK (length(location) <= 500),
  location_id uuid REFERENCES locations (id) ON DELETE SET NULL,
  -- DTSTART and the first occurrence's end. All-day events hold 00:00 of their first day and
  -- 00:00 of the day after their last day (end exclusive), both in the event's time zone.
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  all_day boolean NOT NULL DEFAULT false,
  timezone text NOT NULL,
  -- An RFC 5545 RRULE value without the "RRULE:" prefix; null for a single event.
  rrule text CHECK (length(rrule) <= 1000),
  -- For a COUNT rule, the start of the last occurrence it generates: expansion runs with UNTIL at
  -- this instant instead, the same occurrences, but the library can jump straight to a window
  -- instead of counting from DTSTART. Null for other rules.
  rule_until timestamptz,
  -- The envelope of every occurrence, overrides included: the earliest start and the latest
  -- end (null while the series never ends). Kept by the one event write path.
  series_start timestamptz NOT NULL,
  series_end timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_end_after_start CHECK (end_at >= start_at),
  CONSTRAINT events_series_bounds CHECK (series_end IS NULL OR series_end >= series_start)
);
CREATE TRIGGER events_bump_version BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION bump_version();
-- The range query: per calendar, series that end at or after `from` (infinite ones count as
-- ending at infinity) and start before `to`.
CREATE INDEX events_calendar_series ON events (calendar_id, (coalesce(series_end, 'infinity'::timestamptz)), series_start);
CREATE INDEX events_location ON events (location_id) WHERE location_id IS NOT NULL;

-- One row per changed or cancelled occurrence of a series, keyed by the occurrence's original
-- start (its RECURRENCE-ID). A cancelled row is an EXDATE. `changes` holds the overridden text
-- fields ({title, description, location}); start_at/end_at/all_day are set together when the
-- occurrence was moved or resized, else null (the occurrence keeps the series' times).
CREATE TABLE event_overrides (
  event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  occurrence_start timestamptz NOT NULL,
  cancelled boolean NOT NULL DEFAULT false,
  changes jsonb NOT NULL DEFAULT '{}'::jsonb,
  start_at timestamptz,
  end_at timestamptz,
  all_day boolean,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, occurrence_start),
  CONSTRAINT event_overrides_times_together CHECK (
    (start_at IS NULL AND end_at IS NULL AND all_day IS NULL)
    OR (start_at IS NOT NULL AND end_at IS NOT NULL AND all_day IS NOT NULL AND end_at >= start_at)
  ),
  CONSTRAINT event_overrides_changes_object CHECK (jsonb_typeof(changes) = 'object')
);
