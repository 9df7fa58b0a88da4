import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../src/storage/open-store.js';
import { runCli, tempDirectory } from './run-cli.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) {
    await step();
  }
  cleanup = [];
});

it('refuses a second owner of a SQLite database, naming the one that owns it', async () => {
  const dir = await tempDirectory();
  cleanup.push(dir.remove);
  const db = `sqlite:${dir.path}/journeys.db`;
  const owner = await openStore(db, { owner: true });
  cleanup.push(() => owner.close());

  const second = await runCli(['serve', '--db', db]);
  expect(second.exitCode).toBe(69);
  expect(second.err).toContain('another process owns it');
  expect(second.err).toContain(`pid ${process.pid}`);

  // Other commands still work beside the owner (WAL allows them), and the owner can restart.
  expect((await runCli(['migrate', '--db', db])).exitCode).toBe(0);
  await owner.close();
  const again = await openStore(db, { owner: true });
  await again.close();
});

it('rejects bad serve options with the option named', async () => {
  const bad = await runCli(['serve', '--retention', 'soon', '--db', 'sqlite:/tmp/never.db']);
  expect(bad.exitCode).toBe(64);
  expect(bad.err).toContain('--retention');
  const playbook = await runCli(['serve', '--playbook', 'test/fixtures/playbooks/bad.yaml']);
  expect(playbook.exitCode).toBe(64);
  expect(playbook.err).toContain('--playbook test/fixtures/playbooks/bad.yaml');
});
