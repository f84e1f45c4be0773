/**
 * Reading and advancing webhook deliveries on Knex (SQLite, MySQL/MariaDB, PostgreSQL). New
 * deliveries are written by the executions store, in the commit of the execution's end; here each
 * attempt is recorded with the delivery's new state in one commit, conditional on the attempt count
 * read, so two workers that both tried the same attempt record it once.
 */
import type { Knex } from 'knex';
import { atomically } from '../storage/atomic.js';
import { columnsFor, type Columns } from '../storage/columns.js';
import { WEBHOOK_ATTEMPTS_TABLE, WEBHOOK_DELIVERIES_TABLE } from '../storage/tables.js';
import type { WebhookDelivery, WebhookDeliveryState } from '../../api/webhooks.js';
import { storedDelivery, wireAttempt, wireDelivery, type StoredDelivery } from './delivery-rows.js';

/** One attempt's outcome, as recorded. */
export interface AttemptOutcome {
  /** When it was sent (epoch ms). */
  at: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

/** Where an attempt leaves its delivery. */
export interface DeliveryNext {
  state: WebhookDeliveryState;
  /** When the next attempt is due (epoch ms); null unless `pending`. */
  nextAttemptAt: number | null;
}

/** The error column's size: longer messages are cut. */
const ERROR_LENGTH = 500;

/** The deliveries of completion webhooks on Knex; see the module comment. */
export class KnexDeliveryStore {
  readonly #knex: Knex;
  readonly #columns: Columns;

  constructor(knex: Knex) {
    this.#knex = knex;
    this.#columns = columnsFor(knex);
  }

  /** The delivery, or undefined. */
  async get(id: string): Promise<StoredDelivery | undefined> {
    const row = (await this.#knex(WEBHOOK_DELIVERIES_TABLE).where({ id }).first()) as
      Record<string, unknown> | undefined;
    return row && storedDelivery(this.#columns, row);
  }

  /** The deliveries of an execution with their attempts, oldest first, as answered. */
  async of(executionId: string): Promise<WebhookDelivery[]> {
    const rows = (await this.#knex(WEBHOOK_DELIVERIES_TABLE)
      .where({ execution_id: executionId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])) as Record<string, unknown>[];
    if (rows.length === 0) return [];
    const attempts = (await this.#knex(WEBHOOK_ATTEMPTS_TABLE)
      .whereIn(
        'delivery_id',
        rows.map((r) => String(r.id)),
      )
      .orderBy('id')) as Record<string, unknown>[];
    return rows.map((row) => {
      const stored = storedDelivery(this.#columns, row);
      const own = attempts.filter((a) => a.delivery_id === stored.id);
      return wireDelivery(
        stored,
        own.map((a) => wireAttempt(this.#columns, a)),
      );
    });
  }

  /** Pending deliveries (of `executionId`, or all), soonest due first, at most `limit`. */
  async pending(limit: number, executionId?: string): Promise<StoredDelivery[]> {
    const query = this.#knex(WEBHOOK_DELIVERIES_TABLE).where({ state: 'pending' });
    if (executionId !== undefined) query.andWhere({ execution_id: executionId });
    const rows = (await query.orderBy('next_attempt_at').limit(limit)) as Record<string, unknown>[];
    return rows.map((row) => storedDelivery(this.#columns, row));
  }

  /**
   * Records attempt `delivery.attempts + 1` and moves the delivery to `next`, in one commit, only if
   * nobody recorded that attempt meanwhile. False when someone did (nothing written).
   */
  async record(delivery: StoredDelivery, outcome: AttemptOutcome, next: DeliveryNext): Promise<boolean> {
    const attempt = delivery.attempts + 1;
    const results = await atomically(this.#knex, [
      {
        update: WEBHOOK_DELIVERIES_TABLE,
        set: {
          state: next.state,
          attempts: attempt,
          next_attempt_at: next.nextAttemptAt === null ? null : this.#columns.time(next.nextAttemptAt),
        },
        where: { id: delivery.id, state: 'pending', attempts: delivery.attempts },
        expect: 1,
      },
      {
        insert: WEBHOOK_ATTEMPTS_TABLE,
        rows: [
          {
            delivery_id: delivery.id,
            attempt,
            at: this.#columns.time(outcome.at),
            duration_ms: Math.max(0, Math.round(outcome.durationMs)),
            status_code: outcome.statusCode,
            error: outcome.error === null ? null : outcome.error.slice(0, ERROR_LENGTH),
          },
        ],
      },
    ]);
    return results !== null;
  }
}

/** Deletes the deliveries of `executionIds` with their attempts (retention, in its transaction). */
export async function deleteDeliveriesOf(trx: Knex, executionIds: readonly string[]): Promise<void> {
  const deliveries = trx(WEBHOOK_DELIVERIES_TABLE).whereIn('execution_id', executionIds);
  await trx(WEBHOOK_ATTEMPTS_TABLE).whereIn('delivery_id', deliveries.clone().select('id')).delete();
  await deliveries.delete();
}
