/**
 * Completion webhooks for the browser tests' API: a receiver in the API's process that answers 503
 * to the first attempt of each delivery and 204 to the next, and a stand-in for the worker's
 * delivery job that makes the attempts as soon as an execution ends (no backoff), so that
 * `<turtle-execution>` has deliveries with attempts to show.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { isTerminal } from '../../../api/execution.js';
import type { Executions } from '../../../server/executions/index.js';
import { boundManifest, createExecutionPresenter } from '../../../server/presentation/execution-presenter.js';
import type { BoundRegistry } from '../../../server/registry/index.js';
import { Deliverer } from '../../../server/webhooks/deliver-webhook.js';
import { KnexDeliveryStore } from '../../../server/webhooks/knex-delivery-store.js';

/** The receiver; `url` goes into `createExecutions({ webhookUrls })`. */
export async function startReceiver(): Promise<{ url: string; close(): void }> {
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    req.resume();
    const id = String(req.headers['webhook-id']);
    res.writeHead(seen.has(id) ? 204 : 503).end();
    seen.add(id);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/turtle`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Attempts every delivery of each execution that ends, until it is over. */
export function deliverAtOnce(knex: Knex, executions: Executions, functions: BoundRegistry): void {
  const deliveries = new KnexDeliveryStore(knex);
  const deliverer = new Deliverer({
    deliveries,
    executions,
    present: createExecutionPresenter(boundManifest(functions)),
    settings: { secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`, backoff: () => 0, maxAttempts: 3 },
  });
  executions.subscribe((event, execution) => {
    if (event.kind !== 'status' || !event.to || !isTerminal(event.to)) return;
    void (async () => {
      for (const { id } of await deliveries.pending(10, execution.id))
        while ((await deliverer.attempt(id)).nextAttemptAt !== null);
    })();
  });
}
