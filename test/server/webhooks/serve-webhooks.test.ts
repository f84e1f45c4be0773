/**
 * `turtle serve` as a real process with TURTLE_WEBHOOK_URLS and TURTLE_WEBHOOK_SECRET (SQLite only:
 * this is about the wiring from settings to the in-process worker): a run posts its signed end to
 * the receiver, and `GET /api/executions/:id` shows the delivery.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import type { ExecutionWithEvents } from '../../../api/execution.js';
import { FIXTURE_MODULE } from '../../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { spawnServe, type ServeProcess } from '../../support/serve-process.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

describe('turtle serve with completion webhooks', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;
  let serve: ServeProcess;
  let url: string;

  before(async () => {
    db = await createTestDatabase('sqlite', 'serve_webhooks');
    receiver = new WebhookReceiver(SECRET);
    await receiver.up();
    serve = spawnServe(['serve', ...FIXTURE_MODULE, '--port', '0'], {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      TURTLE_WEBHOOK_URLS: `${receiver.url}/serve`,
      TURTLE_WEBHOOK_SECRET: SECRET,
    });
    for (;;) {
      const match = /turtle-shell listening on (http:\/\/\S+)/.exec(serve.output);
      if (match) {
        url = match[1]!;
        break;
      }
      if (serve.child.exitCode !== null) throw new Error(`exited:\n${serve.output}`);
      await Promise.race([once(serve.child.stdout!, 'data'), serve.exited]);
    }
  });
  after(async () => {
    await serve?.kill();
    await receiver?.down();
    await db?.destroy();
  });

  test('posts the end of a run, signed, and shows the delivery on the execution', async () => {
    const response = await fetch(`${url}/api/functions/slowSync/executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 0 }),
    });
    const run = (await response.json()) as ExecutionWithEvents;
    assert.equal(run.status, 'done');
    const [received] = await receiver.requests(1);
    assert.equal(received!.verified, true);
    assert.equal(received!.path, '/serve');
    assert.equal(received!.body.id, run.id);
    assert.equal(received!.body.output, 'slept');
    // The attempt is recorded once the receiver's answer is in: read until it is.
    for (;;) {
      const shown = (await (await fetch(`${url}/api/executions/${run.id}`)).json()) as ExecutionWithEvents;
      const [delivery] = shown.deliveries ?? [];
      assert.equal(delivery?.id, received!.id);
      assert.equal(delivery.target, receiver.url);
      if (delivery.state === 'pending') continue;
      assert.equal(delivery.state, 'delivered');
      assert.deepEqual(
        delivery.attempts.map((a) => a.statusCode),
        [200],
      );
      break;
    }
  });
});
