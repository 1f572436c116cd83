-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- buurten-server schema, version 6: payments and the verantwoording.
--
-- An initiative has at most one verantwoording: two laptops recording one
-- at the same time cannot both succeed (the mutation also checks, under
-- the initiative's scope lock, and refuses with rule verantwoording.exists).
-- Recording it releases what was approved and not paid: the commitment's
-- released_cents, which the ledger counts as free again; the
-- verantwoording row says how much, when and by whom.
CREATE UNIQUE INDEX objects_one_verantwoording ON objects ((data ->> 'initiative_id'))
  WHERE type = 'verantwoording' AND NOT deleted;
-- The initiative's children are found by its id (budget lines, the
-- verantwoording, commitments) when it is accounted for or closed.
CREATE INDEX objects_initiative_children ON objects (type, (data ->> 'initiative_id'))
  WHERE NOT deleted;
