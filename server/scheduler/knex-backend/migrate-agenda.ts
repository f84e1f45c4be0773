/**
 * The Knex backend's own migration: creates the Agenda tables when missing. Idempotent and safe
 * when several processes start at once (every statement is create-if-missing).
 */
import type { Knex } from 'knex';
import { databaseKind, type DatabaseKind } from '../../storage/database.js';
import { DEFAULT_TABLE_NAMES, jobsTableDdl, logsTableDdl, type AgendaTableNames } from './schema.js';

/**
 * Creates the jobs table (and, with `logs: true`, the job log table) if they do not exist.
 * @param names table names; default {@link DEFAULT_TABLE_NAMES}
 */
export async function migrateAgendaTables(
  knex: Knex,
  { names = DEFAULT_TABLE_NAMES, logs = true }: { names?: AgendaTableNames; logs?: boolean } = {},
): Promise<void> {
  const kind = databaseKind(knex);
  await runDdl(knex, kind, [
    ...jobsTableDdl(kind, names.jobs),
    ...(logs ? logsTableDdl(kind, names.logs) : []),
  ]);
}

/** Any 64-bit number naming the lock that serialises the Agenda DDL of every process on one PostgreSQL database. */
const POSTGRES_DDL_LOCK = 0x7475_7274_6c65;

/**
 * Runs create-if-missing `statements`. On PostgreSQL, two sessions running `CREATE … IF NOT EXISTS`
 * for the same table at once may both go ahead and one fail on the catalog's unique index, so there
 * they run in one transaction holding an advisory lock (DDL is transactional there).
 */
export async function runDdl(knex: Knex, kind: DatabaseKind, statements: readonly string[]): Promise<void> {
  if (kind !== 'postgres') {
    for (const sql of statements) await knex.raw(sql);
    return;
  }
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [POSTGRES_DDL_LOCK]);
    for (const sql of statements) await trx.raw(sql);
  });
}
