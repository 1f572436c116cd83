-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- buurten-server schema, version 2: who may read a blob, retention of
-- stored mutation results, and an index for the mandate's sums.

-- Who stored a blob, and for which wijk: one row per upload (the same
-- bytes stored again by someone else, or for another wijk, add a row).
-- A blob may be read by the users who stored it and by the staff of every
-- wijk it was stored for (docs/api.md).
CREATE TABLE blob_refs (
  sha256  text NOT NULL REFERENCES blobs (sha256) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  wijk    text REFERENCES wijken (id),
  at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX blob_refs_unique ON blob_refs (sha256, user_id, coalesce (wijk, ''));

-- Blobs stored before: their uploader, without a wijk.
INSERT INTO blob_refs (sha256, user_id)
  SELECT sha256, created_by FROM blobs WHERE created_by IS NOT NULL
  ON CONFLICT DO NOTHING;

-- When a mutation's result was stored: results older than the retention
-- period are purged, except each client's last one (buurten-server purge).
-- Existing results count from now.
ALTER TABLE mutation_results ADD COLUMN at timestamptz NOT NULL DEFAULT now();
CREATE INDEX mutation_results_at ON mutation_results (at);

-- commitment.create sums what one wijk (or the wijkkansen pot) has
-- committed in a year, under the budget lock: this index finds those rows
-- without reading the rest of the year.
CREATE INDEX objects_commitment_account
  ON objects ((data ->> 'year'), (data ->> 'funding'), (data ->> 'wijk'))
  WHERE type = 'commitment' AND NOT deleted;

GRANT SELECT, INSERT, UPDATE, DELETE ON blob_refs TO buurten_app;
