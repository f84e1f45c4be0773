/**
 * One attempt of one delivery: the finished execution as `GET /api/executions/:id` answers it (through
 * the same presenter: secrets masked, tracebacks made safe; without `deliveries`, which change while
 * delivering: `get` reads them only when asked), signed and posted; the outcome recorded with the delivery's next state. A 2xx ends
 * it; any other answer or none waits `backoff(attempt)` and tries again, up to `maxAttempts`.
 */
import { Webhook } from 'standardwebhooks';
import { ExecutionNotFound } from '../errors.js';
import { backoffDelay } from '../executions/backoff.js';
import type { Executions } from '../executions/executions-service.js';
import type { ExecutionPresenter } from '../presentation/execution-presenter.js';
import type { Backoff } from '../registry/function-options.js';
import type { KnexDeliveryStore, AttemptOutcome, DeliveryNext } from './knex-delivery-store.js';
import { sendWebhook } from './send-webhook.js';
import {
  DEFAULT_WEBHOOK_ATTEMPTS,
  DEFAULT_WEBHOOK_BACKOFF,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type WebhookSettings,
} from './webhook-settings.js';

/** What an attempt needs. */
export interface DelivererOptions {
  deliveries: KnexDeliveryStore;
  executions: Pick<Executions, 'get'>;
  present: ExecutionPresenter;
  settings: WebhookSettings & { secret: string };
}

/** What {@link Deliverer.attempt} did. */
export interface AttemptResult {
  /** When the delivery's next attempt is due; null when it is over (delivered, failed, or gone). */
  nextAttemptAt: Date | null;
}

/** Makes attempts of deliveries. */
export class Deliverer {
  readonly #o: DelivererOptions;
  readonly #signer: Webhook;
  readonly #maxAttempts: number;
  readonly #backoff: Backoff;
  readonly #timeoutMs: number;

  constructor(options: DelivererOptions) {
    this.#o = options;
    this.#signer = new Webhook(options.settings.secret);
    this.#maxAttempts = Math.max(1, options.settings.maxAttempts ?? DEFAULT_WEBHOOK_ATTEMPTS);
    this.#backoff = options.settings.backoff ?? DEFAULT_WEBHOOK_BACKOFF;
    this.#timeoutMs = options.settings.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  }

  /** Makes the next attempt of delivery `id` when it is pending and due (else does nothing). */
  async attempt(id: string): Promise<AttemptResult> {
    const delivery = await this.#o.deliveries.get(id);
    if (!delivery || delivery.state !== 'pending') return { nextAttemptAt: null };
    // Woken early (a sweep, a duplicate job): wait for the time the last attempt chose.
    if (delivery.nextAttemptAt !== null && delivery.nextAttemptAt > Date.now())
      return { nextAttemptAt: new Date(delivery.nextAttemptAt) };
    const body = await this.#body(delivery.executionId);
    const outcome: AttemptOutcome =
      body === undefined
        ? { at: Date.now(), durationMs: 0, statusCode: null, error: 'the execution no longer exists' }
        : await sendWebhook(this.#signer, { id, url: delivery.url, body }, this.#timeoutMs);
    const next = this.#next(delivery.attempts + 1, outcome, body !== undefined);
    // Lost to another worker's record of the same attempt: its record decides what follows.
    if (!(await this.#o.deliveries.record(delivery, outcome, next))) {
      const now = await this.#o.deliveries.get(id);
      return {
        nextAttemptAt:
          now?.state === 'pending' && now.nextAttemptAt !== null ? new Date(now.nextAttemptAt) : null,
      };
    }
    return { nextAttemptAt: next.nextAttemptAt === null ? null : new Date(next.nextAttemptAt) };
  }

  /** Where attempt `attempt` with `outcome` leaves the delivery. */
  #next(attempt: number, outcome: AttemptOutcome, exists: boolean): DeliveryNext {
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    if (ok) return { state: 'delivered', nextAttemptAt: null };
    if (!exists || attempt >= this.#maxAttempts) return { state: 'failed', nextAttemptAt: null };
    return { state: 'pending', nextAttemptAt: Date.now() + backoffDelay(this.#backoff, attempt) };
  }

  /** The JSON posted for `executionId`, or undefined when it was deleted (retention). */
  async #body(executionId: string): Promise<string | undefined> {
    try {
      const execution = await this.#o.executions.get(executionId);
      return JSON.stringify(this.#o.present.execution(execution));
    } catch (err) {
      if (err instanceof ExecutionNotFound) return undefined;
      throw err;
    }
  }
}
