/**
 * Completion webhooks as Agenda jobs: one job per delivery (named {@link WEBHOOK_JOB}, data
 * `{ deliveryId }`, unique on that id), due at the delivery's next attempt. The delivery row itself
 * is written in the commit of the execution's end, so nothing is lost between that end and the job:
 * this process enqueues the job as soon as it hears of the end, and the sweep enqueues any pending
 * delivery without a live job (the process died in between, or the job was lost).
 */
import { backoffStrategies, type Agenda } from 'agenda';
import type { Knex } from 'knex';
import { isTerminal } from '../../api/execution.js';
import type { Executions, Logger } from '../executions/index.js';
import { createExecutionPresenter, boundManifest } from '../presentation/execution-presenter.js';
import type { BoundRegistry } from '../registry/bound-registry.js';
import { Deliverer } from '../webhooks/deliver-webhook.js';
import { KnexDeliveryStore } from '../webhooks/knex-delivery-store.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, type WebhookSettings } from '../webhooks/webhook-settings.js';
import { uniqueKeyOf } from './knex-backend/job-row.js';
import { DEFAULT_TABLE_NAMES } from './knex-backend/schema.js';

/** The Agenda job name that makes the attempts of one delivery. */
export const WEBHOOK_JOB = 'turtle-shell.webhook';

/** Data of a {@link WEBHOOK_JOB} job. */
export interface WebhookJobData {
  deliveryId: string;
}

/** Deliveries one worker sends at once, besides its executions (they wait on the network, not the CPU). */
export const WEBHOOK_CONCURRENCY = 8;

/**
 * The `webhooks` option of a worker: the settings with their secret, and how answers are shown.
 * `urls` are the server-wide receivers, as given to `createExecutions({ webhookUrls })`.
 */
export type WorkerWebhooks = WebhookSettings & {
  secret: string;
  /** As `createApp`'s `exposeTracebacks`: `false` posts `traceback: null`. Default true. */
  exposeTracebacks?: boolean;
};

/** Options of {@link startWebhookDeliveries}. */
export interface WebhookDeliveriesOptions {
  agenda: Agenda;
  knex: Knex;
  executions: Executions;
  functions: Pick<BoundRegistry, 'manifest' | 'list'>;
  webhooks: WorkerWebhooks;
  logger?: Logger;
}

/** The deliveries side of a worker. */
export interface WebhookDeliveries {
  /** Enqueues pending deliveries that have no live job; returns how many. */
  sweep(): Promise<number>;
  /** Stops listening for ends. */
  stop(): void;
}

/** Makes sure delivery `id`'s job is due at `at` (now when undefined). */
export async function enqueueDelivery(agenda: Agenda, id: string, at?: Date): Promise<void> {
  await agenda
    .create<WebhookJobData>(WEBHOOK_JOB, { deliveryId: id })
    .unique({ 'data.deliveryId': id })
    .schedule(at ?? new Date())
    .save();
}

/**
 * Defines the delivery job on `agenda` and enqueues the deliveries of every end this process
 * writes. Call before `agenda.start()`.
 */
export function startWebhookDeliveries(options: WebhookDeliveriesOptions): WebhookDeliveries {
  const { agenda, knex, executions, webhooks, logger } = options;
  const deliveries = new KnexDeliveryStore(knex);
  const deliverer = new Deliverer({
    deliveries,
    executions,
    present: createExecutionPresenter(boundManifest(options.functions), {
      exposeTracebacks: webhooks.exposeTracebacks ?? true,
    }),
    settings: webhooks,
  });
  agenda.define<WebhookJobData>(
    WEBHOOK_JOB,
    async (job) => {
      const id = job.attrs.data.deliveryId;
      try {
        const { nextAttemptAt } = await deliverer.attempt(id);
        // Agenda saves nextRunAt after this returns: the same job makes the next attempt.
        job.attrs.nextRunAt = nextAttemptAt;
        if (nextAttemptAt === null) await agenda.db.removeJobs({ id: job.attrs._id });
      } catch (err) {
        // The database failed: Agenda tries the job again with its backoff; the sweep is the last resort.
        logger?.warn(
          { err, deliveryId: id },
          'turtle worker: could not attempt a webhook delivery; retrying later',
        );
        throw err;
      }
    },
    {
      concurrency: WEBHOOK_CONCURRENCY,
      lockLimit: WEBHOOK_CONCURRENCY,
      // Longer than an attempt takes (its POST is bounded by timeoutMs), so that no other worker
      // takes it over meanwhile; Agenda keeps a timer of half of it after each run.
      lockLifetime: 2 * (webhooks.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS) + 5000,
      backoff: backoffStrategies.exponential({ delay: 1000, maxRetries: 10, maxDelay: 60_000 }),
    },
  );
  // The quick way: enqueue as soon as an end is committed here (its deliveries were in that commit).
  // Ends of functions nobody hears of need no look at the deliveries table.
  const heard = (functionName: string) =>
    (webhooks.urls?.length ?? 0) > 0 ||
    options.functions.list().some((fn) => fn.name === functionName && fn.options.notify !== undefined);
  const unsubscribe = executions.subscribe((event, execution) => {
    if (event.kind !== 'status' || event.to === undefined || !isTerminal(event.to)) return;
    if (!heard(execution.functionName)) return;
    void deliveries
      .pending(100, execution.id)
      .then((found) => Promise.all(found.map((d) => enqueueDelivery(agenda, d.id))))
      .catch((err: unknown) =>
        logger?.warn(
          { err, executionId: execution.id },
          'could not enqueue webhook deliveries; the sweep will pick them up',
        ),
      );
  });
  return {
    sweep: () => sweepDeliveries(agenda, knex, deliveries),
    stop: unsubscribe,
  };
}

/** Enqueues every pending delivery (at most `limit`) whose job is missing or finished. */
async function sweepDeliveries(
  agenda: Agenda,
  knex: Knex,
  deliveries: KnexDeliveryStore,
  limit = 1000,
  jobsTable = DEFAULT_TABLE_NAMES.jobs,
): Promise<number> {
  const pending = await deliveries.pending(limit);
  let enqueued = 0;
  for (let i = 0; i < pending.length; i += 500) {
    const chunk = pending.slice(i, i + 500);
    const keyOf = new Map(chunk.map((d) => [uniqueKeyOf(WEBHOOK_JOB, { 'data.deliveryId': d.id }), d]));
    const rows: { unique_key: string; next_run_at: unknown; locked_at: unknown }[] = await knex(jobsTable)
      .whereIn('unique_key', [...keyOf.keys()])
      .select('unique_key', 'next_run_at', 'locked_at');
    const live = new Set(
      rows.filter((r) => r.next_run_at !== null || r.locked_at !== null).map((r) => r.unique_key),
    );
    for (const [key, delivery] of keyOf) {
      if (live.has(key)) continue;
      const at = delivery.nextAttemptAt === null ? undefined : new Date(delivery.nextAttemptAt);
      await enqueueDelivery(agenda, delivery.id, at);
      enqueued++;
    }
  }
  return enqueued;
}
