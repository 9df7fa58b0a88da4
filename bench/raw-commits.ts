import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import pg from 'pg';
import { runFor, type Sample } from './measure.js';

/**
 * The raw commit rate of a driver on a database: a plain one-row UPDATE per transaction, nothing
 * else. It is the ceiling an event store on that driver and database can approach, since each of
 * its appends is one durable commit too.
 */
export interface RawCommits {
  /** Runs `writers` connections, each committing updates of its own row, for `millis`. */
  run(writers: number, millis: number): Promise<Sample>;
  close(): Promise<void>;
}

const TABLE = 'bench_raw_commits';
/** The most connections a measurement uses (one row each, so they never wait on a row lock). */
const MAX_WRITERS = 8;

/**
 * better-sqlite3 on a separate table in the store's own file, with the store's pragmas. One
 * connection runs on this thread (like the store's); more run one per worker thread, because
 * better-sqlite3 is synchronous and connections on one thread would simply take turns.
 */
export function sqliteRawCommits(file: string): RawCommits {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)`);
  const insert = db.prepare(`INSERT OR IGNORE INTO ${TABLE} (id, n) VALUES (?, 0)`);
  for (let id = 0; id < MAX_WRITERS; id += 1) {
    insert.run(id);
  }
  const update = db.prepare(`UPDATE ${TABLE} SET n = n + 1 WHERE id = ?`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workers = Array.from(
    { length: MAX_WRITERS },
    (_, id) =>
      new Worker(SQLITE_WORKER, { eval: true, workerData: { driver, file, id, table: TABLE } }),
  );
  return {
    run(writers, millis) {
      if (writers === 1) {
        return Promise.resolve(syncRunFor(millis, () => update.run(0)));
      }
      const started = performance.now();
      return Promise.all(
        workers.slice(0, writers).map(
          (worker) =>
            new Promise<number>((resolve, reject) => {
              worker.once('message', (count: number) => resolve(count));
              worker.once('error', reject);
              worker.postMessage(millis);
            }),
        ),
      ).then((counts) => ({
        operations: counts.reduce((sum, count) => sum + count, 0),
        seconds: (performance.now() - started) / 1000,
      }));
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
      db.close();
    },
  };
}

function syncRunFor(millis: number, operation: () => void): Sample {
  const started = performance.now();
  const deadline = started + millis;
  let operations = 0;
  while (performance.now() < deadline) {
    operation();
    operations += 1;
  }
  return { operations, seconds: (performance.now() - started) / 1000 };
}

/** A worker holding one connection; each message is how long to commit updates for. */
const SQLITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const update = db.prepare('UPDATE ' + workerData.table + ' SET n = n + 1 WHERE id = ?');
parentPort.on('message', (millis) => {
  const deadline = performance.now() + millis;
  let count = 0;
  while (performance.now() < deadline) {
    update.run(workerData.id);
    count += 1;
  }
  parentPort.postMessage(count);
});
`;

/** node-postgres with a pool of 8 on the store's schema; each writer holds one connection. */
export async function postgresRawCommits(
  connectionString: string,
  schema: string,
): Promise<RawCommits> {
  const pool = new pg.Pool({ connectionString, max: MAX_WRITERS });
  const table = `"${schema}".${TABLE}`;
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (id int PRIMARY KEY, n bigint NOT NULL)`);
  await pool.query(
    `INSERT INTO ${table} (id, n) SELECT g, 0 FROM generate_series(0, ${MAX_WRITERS - 1}) g ON CONFLICT DO NOTHING`,
  );
  const sql = `UPDATE ${table} SET n = n + 1 WHERE id = $1`;
  return {
    async run(writers, millis) {
      const clients = await Promise.all(Array.from({ length: writers }, () => pool.connect()));
      try {
        return await runFor(millis, writers, async (writer) => {
          await clients[writer]?.query(sql, [writer]);
        });
      } finally {
        for (const client of clients) {
          client.release();
        }
      }
    },
    close: () => pool.end(),
  };
}
