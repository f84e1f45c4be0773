/**
 * Schema versions per run: every execution records the version (a content hash of its function's
 * manifest entry) it was created with, and `turtle_function_versions` keeps each entry the server has
 * bound, so an old run is shown with the parameters it ran with. Runs stored before this migration
 * have no version (NULL).
 */
import type { Knex } from 'knex';
import type { DatabaseKind } from '../database.js';
import { EXECUTIONS_TABLE, FUNCTION_VERSIONS_TABLE } from '../tables.js';

export const name = '004-function-versions';

export async function up(knex: Knex, kind: DatabaseKind): Promise<void> {
  await knex.schema.createTable(FUNCTION_VERSIONS_TABLE, (t) => {
    t.string('func_name', 191).notNullable();
    // The SHA-256 of the entry as canonical JSON, in hex.
    t.string('version', 64).notNullable();
    // As in 001: native json on MySQL/MariaDB, text elsewhere (kept exactly as written).
    if (kind === 'mysql') t.json('entry_json').notNullable();
    else t.text('entry_json').notNullable();
    if (kind === 'mysql') t.datetime('first_seen_at', { precision: 3 }).notNullable();
    else if (kind === 'postgres') t.timestamp('first_seen_at', { useTz: true, precision: 3 }).notNullable();
    else t.bigInteger('first_seen_at').notNullable();
    // One row per version: processes starting at once insert it once (the others' inserts do nothing).
    t.primary(['func_name', 'version'], `${FUNCTION_VERSIONS_TABLE}_pkey`);
  });
  await knex.schema.alterTable(EXECUTIONS_TABLE, (t) => {
    t.string('function_version', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable(EXECUTIONS_TABLE, (t) => {
    t.dropColumn('function_version');
  });
  await knex.schema.dropTableIfExists(FUNCTION_VERSIONS_TABLE);
}
