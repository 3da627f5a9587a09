-- Sharing events: invitees with a per-invitee edit right, and the history of every event write.

CREATE TYPE invitee_status AS ENUM ('pending', 'accepted', 'tentative', 'declined');

CREATE TABLE event_invitees (
  event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status invitee_status NOT NULL DEFAULT 'pending',
  can_modify boolean NOT NULL DEFAULT false,
  invited_at timestamptz NOT NULL DEFAULT now(),
  responded_at timestamptz,
  PRIMARY KEY (event_id, user_id),
  -- Declining resets the edit right; only the owner grants it again, after the invitee accepts.
  CONSTRAINT event_invitees_declined_cannot_modify CHECK (NOT (status = 'declined' AND can_modify))
);
-- The range query's invited events and the invitations inbox, per user.
CREATE INDEX event_invitees_user ON event_invitees (user_id, status, event_id);

CREATE TYPE event_action AS ENUM (
  'created', 'updated', 'deleted', 'occurrence_cancelled',
  'invitee_added', 'invitee_removed', 'permission_changed', 'responded'
);

CREATE TABLE event_history (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Orders entries written in the same instant; never shown.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  -- Null once the acting account is gone; the entry stays in the event's history.
  actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
  -- Whose invitee row an invitee action concerned.
  invitee_id uuid REFERENCES users (id) ON DELETE SET NULL,
  action event_action NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(changes) = 'object'),
  -- API.md: 'this' for one-occurrence updates and cancellations, 'all' for series-wide ones, null
  -- otherwise (creation, invitee actions, and a split at an occurrence, which records occurrence_start).
  scope text CHECK (scope IN ('this', 'all')),
  occurrence_start timestamptz,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_history_event ON event_history (event_id, at DESC, seq DESC);
