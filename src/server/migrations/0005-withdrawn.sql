-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- buurten-server schema, version 5: a partner loses a request or an action
-- that is reassigned away from it, or deleted.
--
-- A change row is read by a partner when the object is theirs (audience).
-- When a change takes it away from them (another assignee or owner, or a
-- deletion), the row also names the partner it was taken from: their pulls
-- deliver that row as a deletion, so the partner's laptops drop the object,
-- and a pull from nothing ends with it gone too.
ALTER TABLE changes ADD COLUMN withdrawn_from text;
CREATE INDEX changes_withdrawn_from ON changes (scope, withdrawn_from, seq)
  WHERE withdrawn_from IS NOT NULL;
