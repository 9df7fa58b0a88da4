import type { Migration } from '../migration.js';

/**
 * SQLite schema, forward-only. Instants are ISO-8601 UTC text (they sort as text), JSON is text,
 * booleans are 0/1. Event positions are given by the store under the write lock: above both the
 * highest position in the table and `log_floor`, which a prune raises before deleting. So a
 * position is never handed out twice, without AUTOINCREMENT's extra page write on every commit.
 * Work-item ids use AUTOINCREMENT: the newest item is deleted whenever it completes, and a
 * reused id could be completed by a stale lease holder.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: '0001_event_store',
    sql: `
      CREATE TABLE events (
        position    INTEGER PRIMARY KEY,
        event_id    TEXT NOT NULL,
        stream_id   TEXT NOT NULL,
        stream_type TEXT NOT NULL,
        version     INTEGER NOT NULL,
        journey_id  TEXT NOT NULL,
        type        TEXT NOT NULL,
        data        TEXT NOT NULL,
        metadata    TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (stream_id, version)
      );
      -- The highest position ever handed out before a prune: new positions start above it.
      CREATE TABLE log_floor (position INTEGER NOT NULL);
      INSERT INTO log_floor (position) VALUES (0);
    `,
  },
  {
    version: 2,
    name: '0002_read_models',
    sql: `
      CREATE TABLE journeys (
        journey_id       TEXT PRIMARY KEY,
        client_id        TEXT NOT NULL,
        stage            TEXT NOT NULL,
        status           TEXT NOT NULL,
        active           INTEGER NOT NULL,
        playbook_name    TEXT NOT NULL,
        playbook_version INTEGER NOT NULL,
        started_at       TEXT NOT NULL,
        stage_entered_at TEXT NOT NULL,
        ended_at         TEXT,
        updated_at       TEXT NOT NULL,
        version          INTEGER NOT NULL,
        state            TEXT NOT NULL
      );
      CREATE UNIQUE INDEX journeys_one_active_per_client ON journeys (client_id) WHERE active = 1;
      CREATE INDEX journeys_client ON journeys (client_id, started_at);
      CREATE INDEX journeys_order ON journeys (started_at, journey_id);
      CREATE INDEX journeys_stage ON journeys (stage, started_at, journey_id);
      CREATE INDEX journeys_ended ON journeys (ended_at) WHERE active = 0;
      CREATE TABLE units_of_work (
        work_id    TEXT PRIMARY KEY,
        journey_id TEXT NOT NULL,
        client_id  TEXT NOT NULL,
        stage      TEXT NOT NULL,
        purpose    TEXT NOT NULL,
        status     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version    INTEGER NOT NULL,
        state      TEXT NOT NULL
      );
      CREATE INDEX units_of_work_client_stage ON units_of_work (client_id, stage, created_at);
      CREATE INDEX units_of_work_journey ON units_of_work (journey_id);
    `,
  },
  {
    version: 3,
    name: '0003_work_queue',
    sql: `
      CREATE TABLE work_items (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        kind             TEXT NOT NULL,
        key              TEXT UNIQUE,
        journey_id       TEXT,
        payload          TEXT NOT NULL,
        due_at           TEXT NOT NULL,
        available_at     TEXT NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        lease_owner      TEXT,
        lease_expires_at TEXT,
        last_error       TEXT,
        created_at       TEXT NOT NULL
      );
      CREATE INDEX work_items_available ON work_items (available_at, id);
      CREATE INDEX work_items_journey ON work_items (journey_id);
    `,
  },
  {
    version: 4,
    name: '0004_outlets',
    // The event relay (src/relay/): each outlet's place in the log with the lease of the one
    // process delivering to it, and the events it gave up on (kept whole, so a replay needs
    // nothing else). Positions are the store's opaque text.
    sql: `
      CREATE TABLE outlet_checkpoints (
        outlet           TEXT PRIMARY KEY,
        position         TEXT NOT NULL,
        lease_owner      TEXT,
        lease_expires_at TEXT,
        delivered        INTEGER NOT NULL DEFAULT 0,
        updated_at       TEXT NOT NULL
      );
      CREATE TABLE outlet_dead_letters (
        outlet              TEXT NOT NULL,
        event_id            TEXT NOT NULL,
        journey_id          TEXT NOT NULL,
        type                TEXT NOT NULL,
        position            TEXT NOT NULL,
        envelope            TEXT NOT NULL,
        attempts            INTEGER NOT NULL,
        last_error          TEXT NOT NULL,
        dead_at             TEXT NOT NULL,
        replay_requested_at TEXT,
        PRIMARY KEY (outlet, event_id)
      );
      CREATE INDEX outlet_dead_letters_journey ON outlet_dead_letters (journey_id);
    `,
  },
  {
    version: 5,
    name: '0005_idempotency_keys',
    // Idempotency-Key on POSTs: the first answer to a caller's key, kept to be returned again.
    // status is NULL while the first request is still being answered.
    sql: `
      CREATE TABLE idempotency_keys (
        actor         TEXT NOT NULL,
        key           TEXT NOT NULL,
        method        TEXT NOT NULL,
        path          TEXT NOT NULL,
        request_hash  TEXT NOT NULL,
        status        INTEGER,
        response      TEXT,
        created_at    TEXT NOT NULL,
        completed_at  TEXT,
        PRIMARY KEY (actor, key)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
    `,
  },
  {
    version: 6,
    name: '0006_sign_off_links',
    // Client sign-off links (docs/evidence.md): each issued link with its scope; used_at makes
    // it single-use. The approval itself is an event; this holds only the link's state.
    sql: `
      CREATE TABLE sign_off_links (
        link_id          TEXT PRIMARY KEY,
        journey_id       TEXT NOT NULL,
        client_id        TEXT NOT NULL,
        stage            TEXT NOT NULL,
        stage_entered_at TEXT NOT NULL,
        criterion_id     TEXT NOT NULL,
        approver_name    TEXT,
        note             TEXT,
        issued_by        TEXT NOT NULL,
        issued_at        TEXT NOT NULL,
        expires_at       TEXT NOT NULL,
        used_at          TEXT,
        decision         TEXT
      );
      CREATE INDEX sign_off_links_journey ON sign_off_links (journey_id);
    `,
  },
  {
    version: 7,
    name: '0007_fleet_controls',
    // Fleet controls (docs/controls.md): the promotion stop (one row at most: its presence is
    // the stop), fleet-wide freeze windows, and every change of either with who, when and why.
    sql: `
      CREATE TABLE promotion_stop (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        stopped_by TEXT NOT NULL,
        reason     TEXT NOT NULL,
        stopped_at TEXT NOT NULL
      );
      CREATE TABLE global_freezes (
        freeze_id  TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        created_by TEXT NOT NULL,
        reason     TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE control_changes (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        action  TEXT NOT NULL,
        subject TEXT,
        actor   TEXT NOT NULL,
        reason  TEXT,
        at      TEXT NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: '0008_sign_off_revocation_freeze_documents',
    // Sign-off links an operator revoked: who, when and why, kept in the row for audit.
    // Global freezes: `definition` holds the freeze as written (the playbook `freezes:` keys,
    // re-validated on every read) instead of the window resolved when it was added. Rows of
    // the previous format are rewritten; the instants of a one-off window are kept as UTC
    // instants (with their offset, they read the same in any time zone), a recurring window's
    // duration becomes text in the largest unit that divides it. A row this cannot convert is
    // left as it is and reported invalid (and held in force) on read.
    sql: `
      ALTER TABLE sign_off_links ADD COLUMN revoked_at TEXT;
      ALTER TABLE sign_off_links ADD COLUMN revoked_by TEXT;
      ALTER TABLE sign_off_links ADD COLUMN revoke_reason TEXT;
      UPDATE global_freezes
         SET definition = json_patch('{}', json_object(
               'id', freeze_id,
               'description', json_extract(definition, '$.description'),
               'from', json_extract(definition, '$.from'),
               'to', json_extract(definition, '$.to'),
               'schedule', json_extract(definition, '$.schedule'),
               'duration', CASE
                 WHEN json_type(definition, '$.duration') IS NOT 'integer' THEN NULL
                 WHEN json_extract(definition, '$.duration') % 86400000 = 0
                   THEN (json_extract(definition, '$.duration') / 86400000) || 'd'
                 WHEN json_extract(definition, '$.duration') % 3600000 = 0
                   THEN (json_extract(definition, '$.duration') / 3600000) || 'h'
                 WHEN json_extract(definition, '$.duration') % 60000 = 0
                   THEN (json_extract(definition, '$.duration') / 60000) || 'm'
                 WHEN json_extract(definition, '$.duration') % 1000 = 0
                   THEN (json_extract(definition, '$.duration') / 1000) || 's'
                 ELSE json_extract(definition, '$.duration') || 'ms'
               END,
               'timezone', json_extract(definition, '$.timezone')))
       WHERE json_valid(definition)
         AND ((json_extract(definition, '$.kind') = 'once'
               AND json_type(definition, '$.from') = 'text'
               AND json_type(definition, '$.to') = 'text')
           OR (json_extract(definition, '$.kind') = 'recurring'
               AND json_type(definition, '$.schedule') = 'text'
               AND json_type(definition, '$.duration') = 'integer'));
    `,
  },
];
