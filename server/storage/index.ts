export {
  openDatabase,
  databaseKind,
  databaseTimeoutMs,
  DEFAULT_DATABASE_URL,
  DEFAULT_DATABASE_TIMEOUT_MS,
  DatabaseUrlError,
  UnknownKnexError,
  type DatabaseKind,
  type OpenDatabaseOptions,
} from './database.js';
export { DatabaseUnavailable, isDatabaseUnavailable, asDatabaseUnavailable } from './database-errors.js';
export { migrate, MIGRATIONS, type MigrateOptions } from './migrate.js';
export { EXECUTIONS_TABLE, EVENTS_TABLE, MIGRATIONS_TABLE } from './tables.js';
