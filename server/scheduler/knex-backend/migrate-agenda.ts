/**
 * The Knex backend's own migration: creates the Agenda tables when missing. Idempotent and safe
 * when several processes start at once (every statement is create-if-missing).
 */
import type { Knex } from 'knex';
import { databaseKind } from '../../storage/database.js';
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
  const statements = [...jobsTableDdl(kind, names.jobs), ...(logs ? logsTableDdl(kind, names.logs) : [])];
  for (const sql of statements) await knex.raw(sql);
}
