import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDriver } from '../../src/storage/sqlite/sqlite-driver.js';

/**
 * Group commit on SQLite (SqliteDriver.write): writes queued together share one transaction,
 * each in its own savepoint, so each still succeeds or fails alone, and none is acknowledged
 * before the transaction committed.
 */
describe('sqlite group commit', () => {
  let dir: string;
  let driver: SqliteDriver;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'journey-group-'));
    driver = SqliteDriver.open(join(dir, 'group.db'), { synchronous: 'full', busyTimeout: 1000 });
    await driver.exec(`
      CREATE TABLE rows (name TEXT PRIMARY KEY);
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
    `);
  });

  afterEach(async () => {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string) => () =>
    driver.write((writer) => writer.statement('INSERT INTO rows (name) VALUES (?)').run(name));

  async function names(): Promise<string[]> {
    const rows = await driver.all<{ name: string }>('SELECT name FROM rows ORDER BY name');
    return rows.map((row) => row.name);
  }

  it('writes queued together run in order in one transaction and are all acknowledged', async () => {
    const seen = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        driver.write((writer) => {
          writer.statement('INSERT INTO rows (name) VALUES (?)').run(name);
          // Each sees the ones before it: one connection, one transaction, in queue order.
          return (writer.statement('SELECT COUNT(*) AS n FROM rows').get() as { n: number }).n;
        }),
      ),
    );
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(await names()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rolls a failing write back to its savepoint and rejects it alone', async () => {
    const failing = driver.write((writer) => {
      writer.statement('INSERT INTO rows (name) VALUES (?)').run('b');
      throw new Error('refused after writing');
    });
    const duplicate = insert('a');
    const outcomes = await Promise.allSettled([insert('a')(), failing, duplicate(), insert('c')()]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(outcomes[1]).toMatchObject({ reason: { message: 'refused after writing' } });
    expect(outcomes[2]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } });
    expect(await names()).toEqual(['a', 'c']);
  });

  it('writes again the writes before one that made SQLite roll the whole transaction back', async () => {
    const outcomes = await Promise.allSettled([
      insert('a')(),
      driver.write((writer) => {
        writer.statement('INSERT INTO rows (name) VALUES (?)').run('b');
        // What SQLite does by itself on an I/O error or a full disk: the whole transaction goes.
        writer.statement('ROLLBACK').run();
        throw new Error('disk full');
      }),
      insert('c')(),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await names()).toEqual(['a', 'c']);
  });

  it('acknowledges none of the writes of a group whose commit fails, and keeps none', async () => {
    const outcomes = await Promise.allSettled([
      insert('a')(),
      driver.write((writer) => writer.statement('INSERT INTO child (parent_id) VALUES (42)').run()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(outcomes[0]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } });
    expect(await names()).toEqual([]);
    // The connection is usable again.
    await insert('b')();
    expect(await names()).toEqual(['b']);
  });

  it('finishes the writes queued before a close', async () => {
    const writes = [insert('a')(), insert('b')()];
    const closed = driver.close();
    await Promise.all(writes);
    await closed;
    driver = SqliteDriver.open(join(dir, 'group.db'), { synchronous: 'full', busyTimeout: 1000 });
    expect(await names()).toEqual(['a', 'b']);
  });
});
