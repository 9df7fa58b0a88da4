#!/usr/bin/env node
import { CommanderError } from 'commander';
import type { StoreOpener } from './db-option.js';
import { buildProgram } from './program.js';

// The composition root of the command line: the only place the CLI meets the storage adapters.
// They are loaded by the commands that open a store, not by every `journey` call.
const openStore: StoreOpener = async (url, options) => {
  const storage = await import('../storage/open-store.js');
  return storage.openStore(url, options);
};

try {
  await buildProgram({ openStore }).parseAsync(process.argv);
} catch (error) {
  // Commands that throw commander's errors (see arguments.ts) already printed their message.
  if (!(error instanceof CommanderError)) {
    throw error;
  }
  process.exitCode = error.exitCode;
}
