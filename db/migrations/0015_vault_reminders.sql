-- Vault reminders (API-VAULT.md "Vault reminders"). The reminders of date fields are computed
-- from item_field_values (its date index, 0013), never stored; this migration holds what cannot
-- be computed: reminders people add to an item, and dismissals.

-- Custom reminders on an item. A dismissal is the remind_on it was made for: changing remind_on
-- brings the reminder back, as a change of an item's date brings its computed reminders back.
CREATE TABLE item_reminders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  household_id uuid NOT NULL,
  item_id uuid NOT NULL,
  remind_on date NOT NULL,
  note text CHECK (length(note) <= 1000),
  dismissed_for date,
  dismissed_by uuid REFERENCES users (id) ON DELETE SET NULL,
  dismissed_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE
);
CREATE TRIGGER item_reminders_bump_version BEFORE UPDATE ON item_reminders FOR EACH ROW EXECUTE FUNCTION bump_version();
-- The household's reminders of a window, in remind_on order; an item's own list.
CREATE INDEX item_reminders_household ON item_reminders (household_id, remind_on, item_id);
CREATE INDEX item_reminders_item ON item_reminders (item_id, remind_on, id);

-- Dismissals of computed reminders, shared by the household. A computed reminder is
-- (item, field, remind_on); the row also keeps the field's date it was made for, so a dismissal
-- holds only while the field still has that date (a new date's reminder on the same day is new).
CREATE TABLE item_reminder_dismissals (
  household_id uuid NOT NULL,
  item_id uuid NOT NULL,
  field_key text NOT NULL CHECK (field_key ~ '^[a-z][a-z0-9_]{0,49}$'),
  date date NOT NULL,
  remind_on date NOT NULL,
  dismissed_by uuid REFERENCES users (id) ON DELETE SET NULL,
  dismissed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, field_key, remind_on, date),
  FOREIGN KEY (item_id, household_id) REFERENCES items (id, household_id) ON DELETE CASCADE
);
