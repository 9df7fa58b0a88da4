#!/usr/bin/env node
import { CommanderError } from 'commander';
import { openStore } from '../storage/open-store.js';
import { buildProgram } from './program.js';

// The composition root of the command line: the only place the CLI meets the storage adapters.
try {
  await buildProgram({ openStore }).parseAsync(process.argv);
} catch (error) {
  // Commands that throw commander's errors (see arguments.ts) already printed their message.
  if (!(error instanceof CommanderError)) {
    throw error;
  }
  process.exitCode = error.exitCode;
}
