-- Task positions are any 32-bit integer (API.md: `position` is an integer), so a client can move a
-- task before the first one (position 0 - 1 = -1) without renumbering the others.
ALTER TABLE tasks DROP CONSTRAINT tasks_position_check;
