import { forEachBackend } from '../support/backends.js';
import { storeContract } from './store.contract.js';

/** The Store contract on PostgreSQL: a schema of its own in database `test`. */
forEachBackend(storeContract, { only: ['postgres'] });
