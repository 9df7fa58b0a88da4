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
      CREATE TABLE streams (
        stream_id   text PRIMARY KEY,
        stream_type text NOT NULL,
        journey_id  text NOT NULL,
        version     integer NOT NULL,
        created_at  timestamptz NOT NULL,
        updated_at  timestamptz NOT NULL
      );
      CREATE INDEX streams_journey ON streams (journey_id);
      CREATE TABLE events (
        position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tx          xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id    text NOT NULL UNIQUE,
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
      CREATE INDEX events_journey ON events (journey_id);
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
      );
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
];
