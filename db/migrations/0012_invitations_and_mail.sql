-- Household invitations by email, and the outbox mails leave the service through.

-- 'expired' is what a pending invitation past expires_at reads as; it is stored only when a new
-- invitation to the same email replaces such a one (so the one-pending index below can hold).
CREATE TYPE household_invitation_status AS ENUM ('pending', 'accepted', 'declined', 'revoked', 'expired');

CREATE TABLE household_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  -- As typed by the inviter; compared case-insensitively (lower()) everywhere.
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role household_role NOT NULL CHECK (role <> 'owner'),
  status household_invitation_status NOT NULL DEFAULT 'pending',
  -- SHA-256 of the emailed token. The token itself is derived from the id with a server secret
  -- when the mail is sent, and is stored nowhere.
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- When it was accepted, declined or revoked, and by whom.
  responded_at timestamptz,
  responded_by uuid REFERENCES users (id) ON DELETE SET NULL,
  CHECK (expires_at > created_at),
  CHECK ((status IN ('pending', 'expired')) = (responded_at IS NULL))
);
-- At most one pending invitation per household and email.
CREATE UNIQUE INDEX household_invitations_one_pending ON household_invitations (household_id, lower(email)) WHERE status = 'pending';
-- The household's list, newest first.
CREATE INDEX household_invitations_household ON household_invitations (household_id, created_at DESC);
-- The invitee's inbox: pending invitations to an email.
CREATE INDEX household_invitations_inbox ON household_invitations (lower(email)) WHERE status = 'pending';

-- The transactional outbox: a mail is a row written in the same transaction as the change that
-- causes it; a background job delivers it over SMTP and marks it sent. The row, not the job,
-- says whether a mail went out, so a job that runs twice never sends twice.
CREATE TYPE mail_status AS ENUM ('pending', 'sending', 'sent', 'failed');

CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
  -- The name of a template the code defines, and its parameters: display data and ids only, never
  -- a token or a secret (a template derives what it needs when it renders).
  template text NOT NULL CHECK (template ~ '^[a-z][a-z0-9_.-]*$'),
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  status mail_status NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text,
  -- Sent with every attempt: a retry after a crash between "accepted by the SMTP server" and
  -- "marked sent" carries the same Message-ID, which receiving systems use to drop duplicates.
  message_id text NOT NULL UNIQUE,
  -- A sender holds the row while it talks to the SMTP server; past this instant another may take it.
  claimed_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK ((status = 'sending') = (claimed_until IS NOT NULL))
);
-- What is still to send (the start-up resume and the "not sent" warning count these).
CREATE INDEX mail_outbox_unsent ON mail_outbox (created_at) WHERE status IN ('pending', 'sending');
