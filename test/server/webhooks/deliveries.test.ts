/**
 * Completion webhooks end to end, on every database: a real receiver on 127.0.0.1 that checks each
 * signature with standardwebhooks fails the first attempts, goes down and comes back; the delivery
 * waits and retries until its 2xx, every attempt is recorded and shown on the execution, and nothing
 * is lost, also when the process that wrote the end died before enqueueing (the sweep sends it).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { REDACTED } from '../../../api/execution.js';
import type { WebhookDelivery } from '../../../api/webhooks.js';
import { createExecutions } from '../../../server/executions/create-executions.js';
import type { Executions } from '../../../server/executions/index.js';
import type { BoundRegistry } from '../../../server/registry/bound-registry.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { createScheduler, type Scheduler, type Worker } from '../../../server/scheduler/index.js';
import { WEBHOOK_JOB } from '../../../server/scheduler/webhook-jobs.js';
import { migrate } from '../../../server/storage/migrate.js';
import { WEBHOOK_ATTEMPTS_TABLE, WEBHOOK_DELIVERIES_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { manifestForRegistry } from '../../support/manifests.js';
import { WebhookReceiver } from './support/webhook-receiver.js';
import { boundManifest, createExecutionPresenter } from '../../../server/presentation/execution-presenter.js';
import { Deliverer } from '../../../server/webhooks/deliver-webhook.js';
import { KnexDeliveryStore } from '../../../server/webhooks/knex-delivery-store.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

for (const kind of DATABASE_KINDS) {
  describe(`completion webhooks on ${kind}`, { timeout: 60_000 }, () => {
    let db: TestDatabase;
    let receiver: WebhookReceiver;
    let functions: BoundRegistry;
    let executions: Executions;
    let scheduler: Scheduler;
    let worker: Worker;

    before(async () => {
      receiver = new WebhookReceiver(SECRET);
      await receiver.up();
      const registry = createRegistry();
      registry.add(function login(user: string, password: string) {
        return password ? user : null;
      });
      registry.add(
        function fails() {
          throw new Error('no');
        },
        { notify: { url: `${receiver.url}/errors`, on: ['errored'] } },
      );
      registry.addSync(function ping() {
        return 'pong';
      });
      db = await createTestDatabase(kind, 'webhooks');
      await migrate(db.knex);
      await createScheduler.migrate(db.knex);
      const manifest = manifestForRegistry(registry, {
        login: {
          properties: { user: { type: 'string' }, password: { type: 'string', writeOnly: true } },
          required: ['user', 'password'],
        },
      });
      functions = registry.bind(manifest, { manifestDir: process.cwd() });
      executions = createExecutions({
        knex: db.knex,
        functions,
        webhookUrls: [`${receiver.url}/all`],
        scheduler: { enqueue: (execution) => scheduler.enqueue(execution) },
      });
      scheduler = createScheduler({ knex: db.knex, executions });
      worker = await scheduler.startWorker({
        functions,
        processEvery: 50,
        sweepEvery: 200,
        // Short locks: Agenda keeps a timer of half a job's lock lifetime after each run.
        heartbeatTtlMs: 2000,
        webhooks: {
          secret: SECRET,
          urls: [`${receiver.url}/all`],
          backoff: { delay: 20, factor: 2, max: 100 },
          maxAttempts: 50,
          timeoutMs: 500,
        },
      });
    });
    after(async () => {
      await scheduler?.stop(0);
      await receiver?.down();
      await db?.destroy();
    });

    /** The deliveries of `id` once `done(deliveries)` holds, looked at after each delivery job ran. */
    async function deliveriesWhen(
      id: string,
      done: (deliveries: WebhookDelivery[]) => boolean,
    ): Promise<WebhookDelivery[]> {
      for (;;) {
        const { deliveries = [] } = await executions.get(id, { deliveries: true });
        if (done(deliveries)) return deliveries;
        await once(worker.agenda, `complete:${WEBHOOK_JOB}`);
      }
    }
    /**
     * The delivery jobs left once none of them is still finishing. The 2xx is recorded before its job
     * removes itself, and a sweep that read the delivery as pending just before may enqueue one more
     * job, which removes itself when it runs: each of those ends with a `complete` event.
     */
    async function deliveryJobsOnceSettled(): Promise<number> {
      const signal = AbortSignal.timeout(10_000);
      for (;;) {
        // Listening before the look, so that a job finishing meanwhile is not missed.
        const completed = once(worker.agenda, `complete:${WEBHOOK_JOB}`, { signal }).then(
          () => true,
          () => false,
        );
        const jobs = await db.knex('turtle_agenda_jobs').where({ name: WEBHOOK_JOB });
        if (jobs.length === 0 || !(await completed)) return jobs.length;
      }
    }
    const allDelivered = (n: number) => (d: WebhookDelivery[]) =>
      d.length === n && d.every((x) => x.state === 'delivered');

    it('waits through 500s and a receiver that is down, and stops at its 2xx', async () => {
      receiver.answers = [500, 500];
      // Down right after the second 500: the next attempts find the port closed.
      receiver.afterAnswer = () => {
        if (receiver.received.length === 2) void receiver.down();
      };
      const { id } = await executions.submit('login', { user: 'ann', password: 'hunter2' });
      await receiver.requests(2);
      const refused = (d: WebhookDelivery[]) =>
        (d[0]?.attempts.filter((a) => a.statusCode === null).length ?? 0) >= 2;
      await deliveriesWhen(id, refused);
      receiver.afterAnswer = undefined;
      await receiver.up();
      const [delivery] = await deliveriesWhen(id, allDelivered(1));

      const received = receiver.received.filter((r) => r.body.id === id);
      assert.equal(received.length, 3, 'two 500s and the 200: nothing reached a closed port');
      assert.ok(
        received.every((r) => r.verified),
        'every signature verifies',
      );
      assert.ok(
        received.every((r) => r.id === delivery!.id && r.path === '/all'),
        'one webhook-id',
      );
      const body = received[2]!.body;
      assert.equal(body.status, 'done');
      assert.equal(body.output, 'ann');
      assert.deepEqual(body.input, { user: 'ann', password: REDACTED }, 'the secret never leaves');
      assert.deepEqual(body.redactedInputs, ['/password']);
      assert.ok(Array.isArray(body.events) && !('deliveries' in body), 'the detail JSON, without deliveries');

      assert.equal(delivery!.target, receiver.url);
      assert.equal(delivery!.event, 'done');
      assert.equal(delivery!.nextAttemptAt, null);
      const codes = delivery!.attempts.map((a) => a.statusCode);
      assert.deepEqual(codes.slice(0, 2), [500, 500]);
      assert.equal(codes.at(-1), 200);
      assert.ok(codes.slice(2, -1).length >= 2 && codes.slice(2, -1).every((c) => c === null), String(codes));
      assert.deepEqual(
        delivery!.attempts.map((a) => a.attempt),
        codes.map((_, i) => i + 1),
      );
      for (const attempt of delivery!.attempts) {
        assert.equal(attempt.error === null, attempt.statusCode !== null, JSON.stringify(attempt));
        assert.ok(attempt.durationMs >= 0 && !Number.isNaN(Date.parse(attempt.at)));
      }
      assert.equal(await deliveryJobsOnceSettled(), 0, 'a 2xx ends the delivery: no job left');
    });

    it("sends an errored run to its function's own receiver too", async () => {
      const { id } = await executions.submit('fails', {});
      const deliveries = await deliveriesWhen(id, allDelivered(2));
      assert.deepEqual(deliveries.map((d) => d.event).sort(), ['errored', 'errored']);
      const paths = receiver.received.filter((r) => r.body.id === id).map((r) => r.path);
      assert.deepEqual(paths.sort(), ['/all', '/errors']);
    });

    it('sends the deliveries of an end whose process died before enqueueing (the sweep)', async () => {
      // Another process's service: it stores the end (and its delivery) and enqueues nothing.
      const elsewhere = createExecutions({ knex: db.knex, functions, webhookUrls: [`${receiver.url}/all`] });
      const { id } = await elsewhere.runSync('ping', {});
      const [stored] = (await executions.get(id, { deliveries: true })).deliveries!;
      assert.equal(stored?.state, 'pending');
      const deliveries = await deliveriesWhen(id, allDelivered(1));
      assert.equal(deliveries[0]!.attempts.length, 1);
      assert.equal(receiver.received.filter((r) => r.body.id === id).length, 1);
    });

    it('retention deletes the deliveries and attempts of the executions it deletes', async () => {
      assert.ok((await db.knex(WEBHOOK_ATTEMPTS_TABLE).count({ n: '*' }))[0]!.n);
      const report = await executions.prune({ defaultMs: 1, now: Date.now() + 60_000 });
      assert.ok(report.total >= 3, JSON.stringify(report));
      for (const table of [WEBHOOK_DELIVERIES_TABLE, WEBHOOK_ATTEMPTS_TABLE])
        assert.equal(Number((await db.knex(table).count({ n: '*' }))[0]!.n), 0, table);
    });
  });
}

describe('a delivery out of attempts (SQLite: the same writes as above, only the count differs)', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('sqlite', 'webhooks_failed');
    await migrate(db.knex);
  });
  after(async () => {
    await db?.destroy();
  });

  it('is failed after maxAttempts and never tried again', async () => {
    const receiver = new WebhookReceiver(SECRET);
    await receiver.up();
    await receiver.down(); // a port nobody listens on
    const registry = createRegistry();
    registry.addSync(function ping() {
      return 'pong';
    });
    const functions = registry.bind(manifestForRegistry(registry), { manifestDir: process.cwd() });
    const executions = createExecutions({ knex: db.knex, functions, webhookUrls: [`${receiver.url}/x`] });
    const { id } = await executions.runSync('ping', {});
    const deliveries = new KnexDeliveryStore(db.knex);
    const deliverer = new Deliverer({
      deliveries,
      executions,
      present: createExecutionPresenter(boundManifest(functions)),
      settings: { secret: SECRET, maxAttempts: 2, backoff: () => 0 },
    });
    const [pending] = await deliveries.pending(10, id);
    assert.notEqual((await deliverer.attempt(pending!.id)).nextAttemptAt, null, 'first failure: tried again');
    assert.equal((await deliverer.attempt(pending!.id)).nextAttemptAt, null, 'second failure: over');
    assert.equal((await deliverer.attempt(pending!.id)).nextAttemptAt, null, 'a late job does nothing');
    const [delivery] = (await executions.get(id, { deliveries: true })).deliveries!;
    assert.equal(delivery!.state, 'failed');
    assert.equal(delivery!.nextAttemptAt, null);
    assert.deepEqual(
      delivery!.attempts.map((a) => [a.attempt, a.statusCode, typeof a.error]),
      [
        [1, null, 'string'],
        [2, null, 'string'],
      ],
    );
  });
});
