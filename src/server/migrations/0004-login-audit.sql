-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- buurten-server schema, version 4: login throttling by counters, the
-- session cap's order, blob quotas, and an audit trail no one can forge
-- (issue 13, points 5 and 8).

-- ---- login throttling --------------------------------------------------------

-- login_failures kept one row per failed attempt with the username as
-- typed: a password typed into the username field stayed there. The
-- counters below replace it; they name a user only by the id of a user
-- that exists.
DROP TABLE login_failures;

-- One counter per key and window: (0, address) counts the attempts from
-- an address, (user, address) those against a user from one address and
-- (user, '') those against a user from anywhere. An attempt is counted
-- before its password is checked (one statement, so parallel attempts
-- cannot all pass the check) and uncounted again when the password was
-- right. A window starts with the first attempt after the last one
-- passed (buurten-api-session.c).
CREATE TABLE login_counters (
  user_id      bigint NOT NULL,
  address      text NOT NULL,
  window_start timestamptz NOT NULL,
  attempts     integer NOT NULL,
  PRIMARY KEY (user_id, address)
);
CREATE INDEX login_counters_window ON login_counters (window_start);

GRANT SELECT, INSERT, UPDATE, DELETE ON login_counters TO buurten_app;

-- The session cap revokes a user's oldest sessions first.
CREATE INDEX sessions_user ON sessions (user_id, created_at);

-- ---- blob quotas ---------------------------------------------------------------

-- The size of each blob, for the quota of the wijk it is stored for.
ALTER TABLE blobs ADD COLUMN size bigint GENERATED ALWAYS AS (octet_length (data)) STORED;
CREATE INDEX blob_refs_wijk ON blob_refs (wijk, sha256) WHERE wijk IS NOT NULL;
CREATE INDEX blob_refs_own ON blob_refs (user_id, sha256) WHERE wijk IS NULL;

-- ---- the audit chain -------------------------------------------------------------

-- Each row carries the hash of the row before it and its own:
--   hash = sha256 (prev_hash || utf8 (buurten_audit_text (row)))
-- The first row ever has 32 zero bytes as prev_hash. When the DBA removes
-- the oldest rows (docs/deploy.md), the oldest remaining row keeps the
-- prev_hash it was written with and `buurten-server audit verify` starts
-- from it. audit_chain holds the newest row's id and hash, so that
-- removing the newest rows is noticed too.
ALTER TABLE audit ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

CREATE TABLE audit_chain (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id   bigint,
  last_hash bytea NOT NULL
);

-- The canonical text of a row: a version, the id, the time in
-- microseconds since 1970 (UTC) and each text field as its length in
-- UTF-8 bytes, a colon and the text, or "-" for NULL, one per line. The
-- lengths keep a newline inside a field from shifting the fields.
-- buurten-admin.c (audit verify) builds the same text.
CREATE FUNCTION buurten_audit_field (value text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN '-'
              ELSE octet_length (convert_to (value, 'UTF8')) || ':' || value END
$$;

CREATE FUNCTION buurten_audit_text (id bigint, at timestamptz, actor text, action text,
                                    object text, result text, origin text) RETURNS text
  LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT 'buurten-audit-1' || E'\n' || id || E'\n'
         || trunc (extract (epoch FROM at) * 1000000)::bigint || E'\n'
         || buurten_audit_field (actor) || E'\n' || buurten_audit_field (action) || E'\n'
         || buurten_audit_field (object) || E'\n' || buurten_audit_field (result) || E'\n'
         || buurten_audit_field (origin)
$$;

-- Existing rows: the usernames of failed and throttled logins were stored
-- as typed (a password typed into the username field among them); only
-- those of users that exist stay. Then the rows are chained in id order.
ALTER TABLE audit DISABLE TRIGGER audit_no_update_delete;

UPDATE audit SET actor = NULL
  WHERE action = 'login' AND actor IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM users u WHERE u.username = audit.actor);

DO $$
DECLARE
  r record;
  prev bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
  h bytea;
  last bigint := NULL;
BEGIN
  FOR r IN SELECT * FROM audit ORDER BY id LOOP
    h := sha256 (prev || convert_to (buurten_audit_text (r.id, r.at, r.actor, r.action,
                                                         r.object, r.result, r.origin), 'UTF8'));
    UPDATE audit SET prev_hash = prev, hash = h WHERE id = r.id;
    prev := h;
    last := r.id;
  END LOOP;
  INSERT INTO audit_chain (last_id, last_hash) VALUES (last, prev);
END
$$;

ALTER TABLE audit ENABLE TRIGGER audit_no_update_delete;
ALTER TABLE audit ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;

-- The one way to write an audit row. It runs with its owner's rights; the
-- row lock on audit_chain is held until the caller's transaction ends, so
-- rows are chained one after the other in the order they commit, and a
-- rolled-back row takes its link with it.
CREATE FUNCTION buurten_audit (p_actor text, p_action text, p_object text, p_result text,
                               p_origin text) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  prev bytea;
  row_id bigint;
  row_at timestamptz := now ();
  h bytea;
BEGIN
  SELECT last_hash INTO STRICT prev FROM audit_chain FOR UPDATE;
  row_id := nextval ('audit_id_seq');
  h := sha256 (prev || convert_to (buurten_audit_text (row_id, row_at, p_actor, p_action,
                                                       p_object, p_result, p_origin), 'UTF8'));
  INSERT INTO audit (id, at, actor, action, object, result, origin, prev_hash, hash)
    VALUES (row_id, row_at, p_actor, p_action, p_object, p_result, p_origin, prev, h);
  UPDATE audit_chain SET last_id = row_id, last_hash = h;
  RETURN row_id;
END
$$;

-- The server's role reads the audit log and appends through the function
-- only; nobody else may call it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit FROM buurten_app;
REVOKE ALL ON audit_chain FROM PUBLIC;
REVOKE ALL ON SEQUENCE audit_id_seq FROM buurten_app;
REVOKE ALL ON FUNCTION buurten_audit (text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION buurten_audit (text, text, text, text, text) TO buurten_app;
