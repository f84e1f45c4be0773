/**
 * Completion webhooks on the wire: the deliveries of an execution's end to the configured
 * receivers, as `GET /api/executions/:id` sends them in `deliveries`. Browser-safe types only.
 */

/** Where a delivery is: `pending` (waiting for its next attempt), `delivered` (a 2xx), or `failed` (out of attempts). */
export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

/** One POST to a receiver (or the try to send one). */
export interface WebhookAttempt {
  /** 1-based. */
  attempt: number;
  /** When it was sent (ISO). */
  at: string;
  /** How long until the answer (or the failure), in ms. */
  durationMs: number;
  /** The receiver's HTTP status; null when no answer came (see `error`). */
  statusCode: number | null;
  /** Why no answer came (refused, timed out, …); null when one did. */
  error: string | null;
}

/** The notice of one execution's end to one receiver, with every attempt so far. */
export interface WebhookDelivery {
  /** Also the `webhook-id` header of every attempt, so a receiver can drop repeats. */
  id: string;
  /** The receiver's origin (`https://hooks.example.com`); the rest of the URL may hold a secret and is not sent. */
  target: string;
  /** The status the execution ended in, which this delivery reports. */
  event: 'done' | 'errored' | 'cancelled';
  state: WebhookDeliveryState;
  createdAt: string;
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: string | null;
  /** Oldest first. */
  attempts: WebhookAttempt[];
}
