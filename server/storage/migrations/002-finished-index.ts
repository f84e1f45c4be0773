/**
 * Retention deletes finished executions by age: an index on `finished_at` (NULL while pending) finds
 * the oldest finished ones without scanning the table.
 */
import type { Knex } from 'knex';
import { EXECUTIONS_TABLE } from '../tables.js';

export const name = '002-finished-index';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable(EXECUTIONS_TABLE, (t) => {
    t.index(['finished_at', 'id'], `${EXECUTIONS_TABLE}_finished_idx`);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable(EXECUTIONS_TABLE, (t) => {
    t.dropIndex(['finished_at', 'id'], `${EXECUTIONS_TABLE}_finished_idx`);
  });
}
