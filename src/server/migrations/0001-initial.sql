-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- buurten-server schema, version 1. Applied by `buurten-server migrate` in
-- one transaction; see docs/deploy.md for the roles.

-- The role the server runs as (it does SET ROLE buurten_app after
-- connecting). It may read and write the working tables but only append to
-- the audit log. Roles are per cluster, so another database on the same
-- cluster may have created it already.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'buurten_app') THEN
    CREATE ROLE buurten_app NOLOGIN;
  END IF;
END
$$;

-- The municipality file as imported (import-municipality), and its wijken.
CREATE TABLE municipality (
  id          text PRIMARY KEY,
  data        text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wijken (
  id      text PRIMARY KEY,
  name    text NOT NULL,
  cluster text NOT NULL
);

CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- wijk NULL: the role holds for every wijk (wethouder_buurten,
-- teammanager_samenleving, admin).
CREATE TABLE user_roles (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role    text NOT NULL,
  wijk    text REFERENCES wijken (id)
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, coalesce (wijk, ''));

-- Tokens are stored only as their SHA-256.
CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_failures (
  id       bigserial PRIMARY KEY,
  username text NOT NULL,
  address  text NOT NULL,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- Sync clients: last_mid moves in the same transaction as the effects.
CREATE TABLE clients (
  client_id  uuid PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  last_mid   bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE mutation_results (
  client_id uuid NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  mid       bigint NOT NULL,
  result    text NOT NULL,
  PRIMARY KEY (client_id, mid)
);

-- One change clock per scope: a wijk id, "cluster:<id>" or "city". A write
-- transaction locks its scope's row (SELECT ... FOR UPDATE) and takes the
-- next seq, so seq follows commit order. purged_seq: tombstones up to here
-- are gone; an older cursor gets a reset.
CREATE TABLE change_clocks (
  scope      text PRIMARY KEY,
  seq        bigint NOT NULL DEFAULT 0,
  purged_seq bigint NOT NULL DEFAULT 0
);

-- Rows locked to serialise money decisions that span scopes (the
-- wijkkansen pot of a year).
CREATE TABLE budget_locks (
  key text PRIMARY KEY
);

-- The current state of every entity, as the core's JSON (personal fields
-- included). versions: field -> the object version that last set it.
CREATE TABLE objects (
  id         uuid PRIMARY KEY,
  type       text NOT NULL,
  scope      text NOT NULL REFERENCES change_clocks (scope),
  seq        bigint NOT NULL,
  version    bigint NOT NULL,
  data       jsonb NOT NULL,
  versions   jsonb NOT NULL,
  meta       jsonb,
  deleted    boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX objects_type_year ON objects (type, ((data ->> 'year')));
CREATE INDEX objects_commitment ON objects ((data ->> 'commitment_id')) WHERE type IN ('signature', 'payment');
CREATE INDEX objects_deleted ON objects (deleted_at) WHERE deleted;

-- The change log pulled by clients: one row per object per transaction,
-- with the object as it was then. A transaction's rows share one seq.
CREATE TABLE changes (
  scope     text NOT NULL REFERENCES change_clocks (scope),
  seq       bigint NOT NULL,
  type_rank integer NOT NULL,
  object_id uuid NOT NULL,
  type      text NOT NULL,
  op        text NOT NULL CHECK (op IN ('put', 'del')),
  version   bigint NOT NULL,
  data      jsonb,
  versions  jsonb,
  meta      jsonb,
  audience  text,
  at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, seq, type_rank, object_id)
);
CREATE INDEX changes_object ON changes (object_id);

-- Merge conflicts, delivered to the user who lost a field.
CREATE TABLE conflicts (
  id          uuid PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  scope       text NOT NULL,
  seq         bigint NOT NULL,
  object_type text NOT NULL,
  object_id   uuid NOT NULL,
  field       text NOT NULL,
  theirs      jsonb,
  yours       jsonb,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conflicts_user ON conflicts (user_id, scope, seq);

-- Photos and attachments, addressed by their SHA-256.
CREATE TABLE blobs (
  sha256       text PRIMARY KEY,
  content_type text NOT NULL,
  data         bytea NOT NULL,
  created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Append-only audit log: no secrets, no residents' personal data.
CREATE TABLE audit (
  id     bigserial PRIMARY KEY,
  at     timestamptz NOT NULL DEFAULT now(),
  actor  text,
  action text NOT NULL,
  object text,
  result text NOT NULL,
  origin text
);

-- Belt and braces: even a role with the privilege cannot change history.
CREATE FUNCTION audit_append_only () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only ();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only ();

INSERT INTO change_clocks (scope) VALUES ('city');

-- Privileges of the runtime role.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO buurten_app;
GRANT SELECT ON municipality, wijken, users, user_roles, schema_migrations TO buurten_app;
GRANT SELECT, INSERT, UPDATE, DELETE
  ON sessions, login_failures, clients, mutation_results, change_clocks, budget_locks,
     objects, changes, conflicts, blobs
  TO buurten_app;
GRANT SELECT, INSERT ON audit TO buurten_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM buurten_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO buurten_app;
