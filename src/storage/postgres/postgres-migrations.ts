import type { Migration } from '../migration.js';

/**
 * PostgreSQL schema, forward-only; the same tables as SQLite with native types. `events.tx`
 * records the writing transaction so the global log can be read in commit order without
 * skipping (docs/storage.md, "Reading the log in order"). Identity columns are never reused.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: '0001_event_store',
    sql: `
      CREATE TABLE events (
        position    bigint GENERATED ALWAYS AS IDENTITY,
        tx          xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id    text NOT NULL,
        stream_id   text NOT NULL,
        stream_type text NOT NULL,
        version     integer NOT NULL,
        journey_id  text NOT NULL,
        type        text NOT NULL,
        data        jsonb NOT NULL,
        metadata    jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (stream_id, version)
      );
      CREATE INDEX events_commit_order ON events (tx, position);
    `,
  },
  {
    version: 2,
    name: '0002_read_models',
    sql: `
      CREATE TABLE journeys (
        journey_id       text PRIMARY KEY,
        client_id        text NOT NULL,
        stage            text NOT NULL,
        status           text NOT NULL,
        active           boolean NOT NULL,
        playbook_name    text NOT NULL,
        playbook_version integer NOT NULL,
        started_at       timestamptz NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        ended_at         timestamptz,
        updated_at       timestamptz NOT NULL,
        version          integer NOT NULL,
        state            jsonb NOT NULL
      ) WITH (fillfactor = 80);
      CREATE UNIQUE INDEX journeys_one_active_per_client ON journeys (client_id) WHERE active;
      CREATE INDEX journeys_client ON journeys (client_id, started_at);
      CREATE INDEX journeys_order ON journeys (started_at, journey_id);
      CREATE INDEX journeys_stage ON journeys (stage, started_at, journey_id);
      CREATE INDEX journeys_ended ON journeys (ended_at) WHERE NOT active;
      CREATE TABLE units_of_work (
        work_id    text PRIMARY KEY,
        journey_id text NOT NULL,
        client_id  text NOT NULL,
        stage      text NOT NULL,
        purpose    text NOT NULL,
        status     text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version    integer NOT NULL,
        state      jsonb NOT NULL
      ) WITH (fillfactor = 80);
      CREATE INDEX units_of_work_client_stage ON units_of_work (client_id, stage, created_at);
      CREATE INDEX units_of_work_journey ON units_of_work (journey_id);
      -- The state is rewritten on every append: lz4 compresses it at a fraction of pglz's CPU.
      -- A server built without lz4 keeps the default.
      DO $$ BEGIN
        ALTER TABLE journeys ALTER COLUMN state SET COMPRESSION lz4;
        ALTER TABLE units_of_work ALTER COLUMN state SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN NULL;
      END $$;
    `,
  },
  {
    version: 3,
    name: '0003_work_queue',
    sql: `
      CREATE TABLE work_items (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind             text NOT NULL,
        key              text UNIQUE,
        journey_id       text,
        payload          jsonb NOT NULL,
        due_at           timestamptz NOT NULL,
        available_at     timestamptz NOT NULL,
        attempts         integer NOT NULL DEFAULT 0,
        lease_owner      text,
        lease_expires_at timestamptz,
        last_error       text,
        created_at       timestamptz NOT NULL
      );
      CREATE INDEX work_items_available ON work_items (available_at, id);
      CREATE INDEX work_items_journey ON work_items (journey_id);
    `,
  },
  {
    version: 4,
    name: '0004_commit_function',
    // One call writes a whole commit, so a commit costs one network round trip instead of one
    // per statement (docs/storage.md, "Appending"). The plan (rows, folded read models) is
    // computed by the application; this function only checks versions and leases and writes.
    sql: `
      CREATE FUNCTION journey_commit(p_appends jsonb, p_enqueue jsonb, p_complete jsonb)
      RETURNS TABLE (stream_id text, version integer, "position" bigint, tx xid8)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        a jsonb;
        r jsonb;
        expected integer;
      BEGIN
        IF p_complete IS NOT NULL THEN
          DELETE FROM work_items w
           WHERE w.id = (p_complete->>'itemId')::bigint AND w.lease_owner = p_complete->>'leaseOwner';
          IF NOT FOUND THEN
            RAISE EXCEPTION 'work item % is no longer leased by %', p_complete->>'itemId', p_complete->>'leaseOwner'
              USING ERRCODE = 'JO002';
          END IF;
        END IF;
        FOR a IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
          r := a->'row';
          expected := (a->>'expectedVersion')::integer;
          IF a->>'table' = 'journeys' THEN
            IF expected = 0 THEN
              INSERT INTO journeys (journey_id, client_id, stage, status, active, playbook_name, playbook_version,
                                    started_at, stage_entered_at, ended_at, updated_at, version, state)
              VALUES (r->>'journey_id', r->>'client_id', r->>'stage', r->>'status', (r->>'active')::boolean,
                      r->>'playbook_name', (r->>'playbook_version')::integer, (r->>'started_at')::timestamptz,
                      (r->>'stage_entered_at')::timestamptz, (r->>'ended_at')::timestamptz,
                      (r->>'updated_at')::timestamptz, (r->>'version')::integer, r->'state')
              ON CONFLICT (journey_id) DO NOTHING;
            ELSE
              UPDATE journeys j
                 SET stage = r->>'stage', status = r->>'status', active = (r->>'active')::boolean,
                     stage_entered_at = (r->>'stage_entered_at')::timestamptz,
                     ended_at = (r->>'ended_at')::timestamptz, updated_at = (r->>'updated_at')::timestamptz,
                     version = (r->>'version')::integer, state = r->'state'
               WHERE j.journey_id = r->>'journey_id' AND j.version = expected;
            END IF;
          ELSE
            IF expected = 0 THEN
              INSERT INTO units_of_work (work_id, journey_id, client_id, stage, purpose, status, created_at,
                                         updated_at, version, state)
              VALUES (r->>'work_id', r->>'journey_id', r->>'client_id', r->>'stage', r->>'purpose', r->>'status',
                      (r->>'created_at')::timestamptz, (r->>'updated_at')::timestamptz,
                      (r->>'version')::integer, r->'state')
              ON CONFLICT (work_id) DO NOTHING;
            ELSE
              UPDATE units_of_work u
                 SET status = r->>'status', updated_at = (r->>'updated_at')::timestamptz,
                     version = (r->>'version')::integer, state = r->'state'
               WHERE u.work_id = r->>'work_id' AND u.version = expected;
            END IF;
          END IF;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'stream % is not at version %', a->>'streamId', expected
              USING ERRCODE = 'JO001', DETAIL = a->>'streamId';
          END IF;
          RETURN QUERY
            INSERT INTO events AS e (event_id, stream_id, stream_type, version, journey_id, type, data, metadata,
                                     occurred_at, recorded_at)
            SELECT x.event_id, x.stream_id, x.stream_type, x.version, x.journey_id, x.type, x.data,
                   x.metadata, x.occurred_at, x.recorded_at
              FROM jsonb_to_recordset(a->'events') AS x(event_id text, stream_id text, stream_type text,
                   version integer, journey_id text, type text, data jsonb, metadata jsonb,
                   occurred_at timestamptz, recorded_at timestamptz)
            RETURNING e.stream_id, e.version, e.position, e.tx;
        END LOOP;
        INSERT INTO work_items (kind, key, journey_id, payload, due_at, available_at, created_at)
        SELECT x.kind, x.key, x.journey_id, x.payload, x.due_at, x.due_at, x.created_at
          FROM jsonb_to_recordset(p_enqueue) AS x(kind text, key text, journey_id text, payload jsonb,
               due_at timestamptz, created_at timestamptz)
        ON CONFLICT (key) DO NOTHING;
      END
      $fn$;
    `,
  },
  {
    version: 5,
    name: '0005_commit_locks_streams_first',
    // Stream heads are locked before the queue is touched. Two commits on one unit of work (two
    // tasks ending at once) each finish their own item and queue the other's task key: with the
    // queue first, each waited on the other's item while holding a lock the other needed (a
    // deadlock). With heads first, the second waits on the head, then fails its version check.
    sql: `
      CREATE OR REPLACE FUNCTION journey_commit(p_appends jsonb, p_enqueue jsonb, p_complete jsonb)
      RETURNS TABLE (stream_id text, version integer, "position" bigint, tx xid8)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        a jsonb;
        r jsonb;
        expected integer;
      BEGIN
        FOR a IN SELECT value FROM jsonb_array_elements(p_appends) LOOP
          r := a->'row';
          expected := (a->>'expectedVersion')::integer;
          IF a->>'table' = 'journeys' THEN
            IF expected = 0 THEN
              INSERT INTO journeys (journey_id, client_id, stage, status, active, playbook_name, playbook_version,
                                    started_at, stage_entered_at, ended_at, updated_at, version, state)
              VALUES (r->>'journey_id', r->>'client_id', r->>'stage', r->>'status', (r->>'active')::boolean,
                      r->>'playbook_name', (r->>'playbook_version')::integer, (r->>'started_at')::timestamptz,
                      (r->>'stage_entered_at')::timestamptz, (r->>'ended_at')::timestamptz,
                      (r->>'updated_at')::timestamptz, (r->>'version')::integer, r->'state')
              ON CONFLICT (journey_id) DO NOTHING;
            ELSE
              UPDATE journeys j
                 SET stage = r->>'stage', status = r->>'status', active = (r->>'active')::boolean,
                     stage_entered_at = (r->>'stage_entered_at')::timestamptz,
                     ended_at = (r->>'ended_at')::timestamptz, updated_at = (r->>'updated_at')::timestamptz,
                     version = (r->>'version')::integer, state = r->'state'
               WHERE j.journey_id = r->>'journey_id' AND j.version = expected;
            END IF;
          ELSE
            IF expected = 0 THEN
              INSERT INTO units_of_work (work_id, journey_id, client_id, stage, purpose, status, created_at,
                                         updated_at, version, state)
              VALUES (r->>'work_id', r->>'journey_id', r->>'client_id', r->>'stage', r->>'purpose', r->>'status',
                      (r->>'created_at')::timestamptz, (r->>'updated_at')::timestamptz,
                      (r->>'version')::integer, r->'state')
              ON CONFLICT (work_id) DO NOTHING;
            ELSE
              UPDATE units_of_work u
                 SET status = r->>'status', updated_at = (r->>'updated_at')::timestamptz,
                     version = (r->>'version')::integer, state = r->'state'
               WHERE u.work_id = r->>'work_id' AND u.version = expected;
            END IF;
          END IF;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'stream % is not at version %', a->>'streamId', expected
              USING ERRCODE = 'JO001', DETAIL = a->>'streamId';
          END IF;
          RETURN QUERY
            INSERT INTO events AS e (event_id, stream_id, stream_type, version, journey_id, type, data, metadata,
                                     occurred_at, recorded_at)
            SELECT x.event_id, x.stream_id, x.stream_type, x.version, x.journey_id, x.type, x.data,
                   x.metadata, x.occurred_at, x.recorded_at
              FROM jsonb_to_recordset(a->'events') AS x(event_id text, stream_id text, stream_type text,
                   version integer, journey_id text, type text, data jsonb, metadata jsonb,
                   occurred_at timestamptz, recorded_at timestamptz)
            RETURNING e.stream_id, e.version, e.position, e.tx;
        END LOOP;
        -- After the stream heads: see migration 0005.
        IF p_complete IS NOT NULL THEN
          DELETE FROM work_items w
           WHERE w.id = (p_complete->>'itemId')::bigint AND w.lease_owner = p_complete->>'leaseOwner';
          IF NOT FOUND THEN
            RAISE EXCEPTION 'work item % is no longer leased by %', p_complete->>'itemId', p_complete->>'leaseOwner'
              USING ERRCODE = 'JO002';
          END IF;
        END IF;
        INSERT INTO work_items (kind, key, journey_id, payload, due_at, available_at, created_at)
        SELECT x.kind, x.key, x.journey_id, x.payload, x.due_at, x.due_at, x.created_at
          FROM jsonb_to_recordset(p_enqueue) AS x(kind text, key text, journey_id text, payload jsonb,
               due_at timestamptz, created_at timestamptz)
        ON CONFLICT (key) DO NOTHING;
      END
      $fn$;
    `,
  },
  {
    version: 6,
    name: '0006_single_append_statement',
    // The common commit (one stream appended to) is one plain-SQL statement
    // (postgres-commit.ts); plain SQL cannot raise an error of its own, so it calls this only to
    // refuse, with the SQLSTATEs journey_commit uses. VOLATILE (the default): never folded early.
    sql: `
      CREATE FUNCTION journey_refuse(p_code text, p_detail text, p_message text) RETURNS boolean
      LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = p_message, DETAIL = p_detail;
      END
      $fn$;
    `,
  },
  {
    version: 7,
    name: '0007_outlets',
    // The event relay (src/relay/): each outlet's place in the log with the lease of the one
    // process delivering to it, and the events it gave up on (kept whole, so a replay needs
    // nothing else). Positions are the store's opaque text.
    sql: `
      CREATE TABLE outlet_checkpoints (
        outlet           text PRIMARY KEY,
        position         text NOT NULL,
        lease_owner      text,
        lease_expires_at timestamptz,
        delivered        bigint NOT NULL DEFAULT 0,
        updated_at       timestamptz NOT NULL
      );
      CREATE TABLE outlet_dead_letters (
        outlet              text NOT NULL,
        event_id            text NOT NULL,
        journey_id          text NOT NULL,
        type                text NOT NULL,
        position            text NOT NULL,
        envelope            jsonb NOT NULL,
        attempts            integer NOT NULL,
        last_error          text NOT NULL,
        dead_at             timestamptz NOT NULL,
        replay_requested_at timestamptz,
        PRIMARY KEY (outlet, event_id)
      );
      CREATE INDEX outlet_dead_letters_journey ON outlet_dead_letters (journey_id);
    `,
  },
  {
    version: 8,
    name: '0008_idempotency_keys',
    // Idempotency-Key on POSTs: the first answer to a caller's key, kept to be returned again.
    // status is NULL while the first request is still being answered.
    sql: `
      CREATE TABLE idempotency_keys (
        actor         text NOT NULL,
        key           text NOT NULL,
        method        text NOT NULL,
        path          text NOT NULL,
        request_hash  text NOT NULL,
        status        integer,
        response      jsonb,
        created_at    timestamptz NOT NULL,
        completed_at  timestamptz,
        PRIMARY KEY (actor, key)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
    `,
  },
  {
    version: 9,
    name: '0009_sign_off_links',
    // Client sign-off links (docs/evidence.md): each issued link with its scope; used_at makes
    // it single-use. The approval itself is an event; this holds only the link's state.
    sql: `
      CREATE TABLE sign_off_links (
        link_id          text PRIMARY KEY,
        journey_id       text NOT NULL,
        client_id        text NOT NULL,
        stage            text NOT NULL,
        stage_entered_at timestamptz NOT NULL,
        criterion_id     text NOT NULL,
        approver_name    text,
        note             text,
        issued_by        text NOT NULL,
        issued_at        timestamptz NOT NULL,
        expires_at       timestamptz NOT NULL,
        used_at          timestamptz,
        decision         text
      );
      CREATE INDEX sign_off_links_journey ON sign_off_links (journey_id);
    `,
  },
  {
    version: 10,
    name: '0010_fleet_controls',
    // Fleet controls (docs/controls.md): the promotion stop (one row at most: its presence is
    // the stop), fleet-wide freeze windows, and every change of either with who, when and why.
    sql: `
      CREATE TABLE promotion_stop (
        id         integer PRIMARY KEY CHECK (id = 1),
        stopped_by text NOT NULL,
        reason     text NOT NULL,
        stopped_at timestamptz NOT NULL
      );
      CREATE TABLE global_freezes (
        freeze_id  text PRIMARY KEY,
        definition jsonb NOT NULL,
        created_by text NOT NULL,
        reason     text,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE control_changes (
        id      bigserial PRIMARY KEY,
        action  text NOT NULL,
        subject text,
        actor   text NOT NULL,
        reason  text,
        at      timestamptz NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: '0011_sign_off_revocation_freeze_documents',
    // Sign-off links an operator revoked: who, when and why, kept in the row for audit.
    // Global freezes: `definition` holds the freeze as written (the playbook `freezes:` keys,
    // re-validated on every read) instead of the window resolved when it was added. Rows of
    // the previous format are rewritten; the instants of a one-off window are kept as UTC
    // instants (with their offset, they read the same in any time zone), a recurring window's
    // duration becomes text in the largest unit that divides it. A row this cannot convert is
    // left as it is and reported invalid (and held in force) on read.
    sql: `
      ALTER TABLE sign_off_links
        ADD COLUMN revoked_at    timestamptz,
        ADD COLUMN revoked_by    text,
        ADD COLUMN revoke_reason text;
      UPDATE global_freezes AS g
         SET definition = jsonb_strip_nulls(jsonb_build_object(
               'id', g.freeze_id,
               'description', g.definition -> 'description',
               'from', g.definition -> 'from',
               'to', g.definition -> 'to',
               'schedule', g.definition -> 'schedule',
               'duration', CASE
                 WHEN d.ms IS NULL THEN NULL
                 WHEN d.ms % 86400000 = 0 THEN (d.ms / 86400000) || 'd'
                 WHEN d.ms % 3600000 = 0 THEN (d.ms / 3600000) || 'h'
                 WHEN d.ms % 60000 = 0 THEN (d.ms / 60000) || 'm'
                 WHEN d.ms % 1000 = 0 THEN (d.ms / 1000) || 's'
                 ELSE d.ms || 'ms'
               END,
               'timezone', g.definition -> 'timezone'))
        FROM (SELECT freeze_id,
                     CASE WHEN definition ->> 'duration' ~ '^[0-9]{1,15}$'
                          THEN (definition ->> 'duration')::bigint END AS ms
                FROM global_freezes) AS d
       WHERE d.freeze_id = g.freeze_id
         AND ((g.definition ->> 'kind' = 'once'
               AND jsonb_typeof(g.definition -> 'from') = 'string'
               AND jsonb_typeof(g.definition -> 'to') = 'string')
           OR (g.definition ->> 'kind' = 'recurring'
               AND jsonb_typeof(g.definition -> 'schedule') = 'string'
               AND d.ms IS NOT NULL));
    `,
  },
];
