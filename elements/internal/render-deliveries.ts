import { html, nothing, type TemplateResult } from 'lit';
import type { WebhookAttempt, WebhookDelivery } from '../../api/index.js';
import { formatTime } from './format-date.js';

/**
 * The completion webhooks of an execution (part `deliveries`): one line per receiver with its state,
 * and its attempts (status code or error, time, duration) folded under it. Nothing when there are none.
 */
export function renderDeliveries(
  deliveries: readonly WebhookDelivery[] | undefined,
): TemplateResult | typeof nothing {
  if (!deliveries?.length) return nothing;
  return html`<section aria-labelledby="deliveries-title">
    <h3 id="deliveries-title">Webhooks</h3>
    <ul part="deliveries" class="deliveries">
      ${deliveries.map(
        (d) =>
          html`<li data-state=${d.state}>
            ${d.target} — ${d.event}: <strong>${d.state}</strong>${summary(d)}
            ${
              d.attempts.length
                ? html`<details>
                    <summary>${d.attempts.length} attempt${d.attempts.length === 1 ? '' : 's'}</summary>
                    <ol>
                      ${d.attempts.map((a) => html`<li>${describeAttempt(a)}</li>`)}
                    </ol>
                  </details>`
                : nothing
            }
          </li>`,
      )}
    </ul>
  </section>`;
}

function summary(d: WebhookDelivery): string {
  if (d.state === 'pending' && d.nextAttemptAt) return ` (next attempt ${formatTime(d.nextAttemptAt)})`;
  return '';
}

/** `12:00:01 — 503 in 35 ms`, or `— ECONNREFUSED … in 2 ms`. */
function describeAttempt(a: WebhookAttempt): string {
  const outcome = a.statusCode === null ? (a.error ?? 'no answer') : `HTTP ${a.statusCode}`;
  return `${formatTime(a.at)} — ${outcome} in ${a.durationMs} ms`;
}
