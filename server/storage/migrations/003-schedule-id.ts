/**
 * Executions fired by a schedule record its id (`schedule_id`, NULL otherwise), so that a schedule's
 * runs are listed like any filter: (schedule_id, created_at, id) serves their keyset pages.
 */
import type { Knex } from 'knex';
import { EXECUTIONS_TABLE } from '../tables.js';

export const name = '003-schedule-id';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable(EXECUTIONS_TABLE, (t) => {
    t.string('schedule_id', 200).nullable();
    t.index(['schedule_id', 'created_at', 'id'], `${EXECUTIONS_TABLE}_schedule_created_idx`);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable(EXECUTIONS_TABLE, (t) => {
    t.dropIndex(['schedule_id', 'created_at', 'id'], `${EXECUTIONS_TABLE}_schedule_created_idx`);
    t.dropColumn('schedule_id');
  });
}
