/**
 * `npm run bench -- <name> [options]`: runs one benchmark. Benchmarks measure speed, which tests
 * never assert; each prints a human table and, as its last line, one JSON object.
 */
const BENCHMARKS: Readonly<
  Record<string, () => Promise<{ main: (args: string[]) => Promise<void> }>>
> = {
  store: () => import('./store.js'),
  engine: () => import('./engine.js'),
  events: () => import('./events.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : BENCHMARKS[name];
if (load === undefined) {
  process.stderr.write(
    `usage: npm run bench -- <name> [options]\nbenchmarks: ${Object.keys(BENCHMARKS).join(', ')}\n`,
  );
  process.exitCode = 64;
} else {
  const { main } = await load();
  await main(args);
}
