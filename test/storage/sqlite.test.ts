import { forEachBackend } from '../support/backends.js';
import { storeContract } from './store.contract.js';

/** The Store contract on SQLite: a real WAL file in a fresh temp directory. */
forEachBackend(storeContract, { only: ['sqlite'] });
