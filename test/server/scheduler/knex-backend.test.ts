/** The Knex Agenda backend's contract suite on SQLite and on MariaDB. */
import { DATABASE_KINDS } from '../../support/databases.js';
import { knexBackendContract } from './knex-backend-contract.js';

for (const kind of DATABASE_KINDS) knexBackendContract(kind);
