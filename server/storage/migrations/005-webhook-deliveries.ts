/**
 * Completion webhooks: `turtle_webhook_deliveries`, one row per (execution end, receiver), written in
 * the same commit as the end itself (so a crash right after loses no notice), and
 * `turtle_webhook_attempts`, one row per POST tried. Times are stored as in `001`.
 */
import type { Knex } from 'knex';
import type { DatabaseKind } from '../database.js';
import { WEBHOOK_ATTEMPTS_TABLE, WEBHOOK_DELIVERIES_TABLE } from '../tables.js';

export const name = '005-webhook-deliveries';

export async function up(knex: Knex, kind: DatabaseKind): Promise<void> {
  const time = (t: Knex.CreateTableBuilder, column: string) =>
    kind === 'mysql'
      ? t.datetime(column, { precision: 3 })
      : kind === 'postgres'
        ? t.timestamp(column, { useTz: true, precision: 3 })
        : t.bigInteger(column);

  await knex.schema.createTable(WEBHOOK_DELIVERIES_TABLE, (t) => {
    t.string('id', 36).primary();
    t.string('execution_id', 36).notNullable();
    // The whole URL: it may carry a token; only its origin is ever answered.
    t.text('url').notNullable();
    t.string('event', 16).notNullable();
    // 'pending' | 'delivered' | 'failed'
    t.string('state', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    time(t, 'created_at').notNullable();
    time(t, 'next_attempt_at').nullable();
    t.index(['execution_id'], `${WEBHOOK_DELIVERIES_TABLE}_execution_idx`);
    // The sweep reads the pending ones.
    t.index(['state', 'next_attempt_at'], `${WEBHOOK_DELIVERIES_TABLE}_state_idx`);
  });

  await knex.schema.createTable(WEBHOOK_ATTEMPTS_TABLE, (t) => {
    t.bigIncrements('id').primary();
    t.string('delivery_id', 36).notNullable();
    t.integer('attempt').notNullable();
    time(t, 'at').notNullable();
    t.integer('duration_ms').notNullable();
    t.integer('status_code').nullable();
    t.string('error', 500).nullable();
    t.index(['delivery_id', 'id'], `${WEBHOOK_ATTEMPTS_TABLE}_delivery_idx`);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(WEBHOOK_ATTEMPTS_TABLE);
  await knex.schema.dropTableIfExists(WEBHOOK_DELIVERIES_TABLE);
}
