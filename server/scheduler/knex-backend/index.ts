export { KnexBackend, type KnexBackendOptions } from './knex-backend.js';
export {
  KnexJobRepository,
  JobNotFoundError,
  type KnexJobRepositoryOptions,
  type WriteErrorContext,
} from './knex-job-repository.js';
export { KnexJobLogger, type KnexJobLoggerOptions } from './knex-job-logger.js';
export { migrateAgendaTables } from './migrate-agenda.js';
export {
  DEFAULT_TABLE_NAMES,
  jobsTableDdl,
  logsTableDdl,
  dropTablesDdl,
  type AgendaTableNames,
} from './schema.js';
