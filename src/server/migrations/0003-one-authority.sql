-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- buurten-server schema, version 3: one authority (issue 12).
--
-- The mandate is per initiative: commitment.create reads, under the
-- year's budget lock, every commitment of the initiative (all years).
-- This index finds them without reading the year.
CREATE INDEX objects_initiative_commitments
  ON objects ((data ->> 'initiative_id'))
  WHERE type = 'commitment' AND NOT deleted;
