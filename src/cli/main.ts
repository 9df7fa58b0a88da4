#!/usr/bin/env node
import { openStore } from '../storage/open-store.js';
import { buildProgram } from './program.js';

// The composition root of the command line: the only place the CLI meets the storage adapters.
await buildProgram({ openStore }).parseAsync(process.argv);
