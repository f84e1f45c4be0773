/**
 * One signed POST per Standard Webhooks (https://www.standardwebhooks.com/): `webhook-id` (the
 * delivery's id, the same on every attempt, so a receiver can drop repeats), `webhook-timestamp`
 * (seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`), made by the `standardwebhooks`
 * package. Never throws: a refused connection or a timeout is an outcome like a status code.
 */
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import type { AttemptOutcome } from './knex-delivery-store.js';

/** What {@link sendWebhook} posts. */
export interface WebhookMessage {
  /** The `webhook-id`. */
  id: string;
  url: string;
  /** The JSON text sent and signed. */
  body: string;
}

/** Posts `message` signed with `signer`; resolves with the status code, or the error when none came. */
export async function sendWebhook(
  signer: Webhook,
  message: WebhookMessage,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const sentAt = new Date();
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const response = await fetch(message.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'turtle-shell-webhooks',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signer.sign(message.id, sentAt, message.body),
      },
      body: message.body,
      // A redirect is not a delivery: the receiver answers 2xx itself, or the attempt failed.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body means nothing here; drop it so the connection is freed.
    await response.body?.cancel().catch(() => {});
    return { at: sentAt.getTime(), durationMs: elapsed(), statusCode: response.status, error: null };
  } catch (err) {
    return { at: sentAt.getTime(), durationMs: elapsed(), statusCode: null, error: describe(err, timeoutMs) };
  }
}

/** A short reason for a failed POST: `ECONNREFUSED …`, `timed out after 10000 ms`. */
function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `timed out after ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.message)
    return cause.code && !cause.message.includes(cause.code)
      ? `${cause.code} ${cause.message}`
      : cause.message;
  return err instanceof Error ? err.message : String(err);
}
