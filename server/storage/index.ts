export { openDatabase, databaseKind, DEFAULT_DATABASE_URL, DatabaseUrlError, type DatabaseKind } from './database.js';
export { migrate, MIGRATIONS, type MigrateOptions } from './migrate.js';
export { EXECUTIONS_TABLE, EVENTS_TABLE, MIGRATIONS_TABLE } from './tables.js';
