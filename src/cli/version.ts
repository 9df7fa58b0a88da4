import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package's version, read from package.json so the two never disagree. */
export const version = (require('../../package.json') as { version: string }).version;
