/**
 * Deliveries as rows of `turtle_webhook_deliveries` and `turtle_webhook_attempts`, and back. Pure:
 * the executions store writes new deliveries with an execution's end, `KnexDeliveryStore` the rest.
 */
import type { Columns } from '../storage/columns.js';
import type { WebhookAttempt, WebhookDelivery, WebhookDeliveryState } from '../../api/webhooks.js';

/** A delivery to store with an execution's end: due at once. */
export interface DeliveryDraft {
  /** A UUID; also the `webhook-id` of every attempt. */
  id: string;
  executionId: string;
  url: string;
  event: WebhookDelivery['event'];
  /** When the end was written (epoch ms). */
  at: number;
}

/** A delivery as stored, with its whole URL (never answered). */
export interface StoredDelivery {
  id: string;
  executionId: string;
  url: string;
  event: WebhookDelivery['event'];
  state: WebhookDeliveryState;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
}

/** The row of a new delivery. */
export function deliveryRow(columns: Columns, draft: DeliveryDraft): Record<string, unknown> {
  return {
    id: draft.id,
    execution_id: draft.executionId,
    url: draft.url,
    event: draft.event,
    state: 'pending',
    attempts: 0,
    created_at: columns.time(draft.at),
    next_attempt_at: columns.time(draft.at),
  };
}

/** A delivery row as stored. */
export function storedDelivery(columns: Columns, row: Record<string, unknown>): StoredDelivery {
  return {
    id: String(row.id),
    executionId: String(row.execution_id),
    url: String(row.url),
    event: row.event as StoredDelivery['event'],
    state: row.state as WebhookDeliveryState,
    attempts: Number(row.attempts),
    createdAt: columns.readTime(row.created_at)!,
    nextAttemptAt: columns.readTime(row.next_attempt_at),
  };
}

/** A delivery as answered: only the receiver's origin, which says where without giving a token away. */
export function wireDelivery(stored: StoredDelivery, attempts: WebhookAttempt[]): WebhookDelivery {
  return {
    id: stored.id,
    target: new URL(stored.url).origin,
    event: stored.event,
    state: stored.state,
    createdAt: new Date(stored.createdAt).toISOString(),
    nextAttemptAt: stored.nextAttemptAt === null ? null : new Date(stored.nextAttemptAt).toISOString(),
    attempts,
  };
}

/** An attempt row as answered. */
export function wireAttempt(columns: Columns, row: Record<string, unknown>): WebhookAttempt {
  return {
    attempt: Number(row.attempt),
    at: new Date(columns.readTime(row.at)!).toISOString(),
    durationMs: Number(row.duration_ms),
    statusCode: row.status_code === null || row.status_code === undefined ? null : Number(row.status_code),
    error: typeof row.error === 'string' ? row.error : null,
  };
}
