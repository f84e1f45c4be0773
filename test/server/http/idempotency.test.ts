/**
 * `Idempotency-Key` over HTTP on SQLite and MariaDB: the same request again gets the first answer;
 * another function or another input under a used key is 422 `IdempotencyKeyReused` (IETF
 * draft-ietf-httpapi-idempotency-key-header) and changes nothing; a retry of a sync request that
 * arrives while the first still runs waits for its final answer, in this process or another one.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createExecutions } from '../../../server/executions/index.js';
import { EventBus } from '../../../server/executions/lifecycle/event-bus.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { gates, inputFunctions, resetGates } from './support/input-functions.js';

/** Resolves when an executions service is next subscribed to: a retry subscribes once it has found the first run still going. */
function nextSubscription(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back, and called with its `this`
  const original = EventBus.prototype.subscribe;
  return new Promise((resolve) => {
    EventBus.prototype.subscribe = function subscribe(this: EventBus, listener) {
      EventBus.prototype.subscribe = original;
      resolve();
      return original.call(this, listener);
    };
  });
}

for (const kind of DATABASE_KINDS) {
  describe(`Idempotency-Key on ${kind}`, () => {
    let api: ApiHarness;
    let keys = 0;
    before(async () => {
      api = await startApi(kind, {}, inputFunctions());
    });
    after(() => api.close());
    beforeEach(() => resetGates());

    const post = (fn: string, input: unknown, key: string) =>
      api.request(`/api/functions/${fn}/executions`, {
        method: 'POST',
        json: input,
        headers: { 'Idempotency-Key': key },
      });
    const stored = async () =>
      api.db
        .knex(EXECUTIONS_TABLE)
        .select('id', 'func_name', 'input_json', 'output_json', 'status')
        .orderBy('id');
    const newKey = () => `key-${kind}-${++keys}`;

    test('the same function and input (in any key order) again is the first execution', async () => {
      const key = newKey();
      const first = await post('echo', { value: { a: 1, b: [1, 2] } }, key);
      assert.equal(first.status, 201);
      const again = await post('echo', { value: { b: [1, 2], a: 1 } }, key);
      assert.equal(again.status, 201);
      assert.deepEqual(again.body, first.body);
    });

    test('another input or another function under a used key is 422 IdempotencyKeyReused; the first is intact', async () => {
      const key = newKey();
      const first = await post('echo', { value: 'first' }, key);
      const before = await stored();
      for (const [fn, input] of [
        ['echo', { value: 'second' }],
        ['echo', { value: ['first'] }],
        ['lone', { where: 'fine' }],
      ] as const) {
        const res = await post(fn, input, key);
        assert.equal(res.status, 422, `${fn} ${JSON.stringify(input)}`);
        assert.equal(res.body.error.type, 'IdempotencyKeyReused');
        assert.deepEqual(res.body.error.details, {
          idempotencyKey: key,
          executionId: first.body.id,
          functionName: 'echo',
        });
      }
      assert.deepEqual(await stored(), before, 'nothing was stored or changed');
      const get = await api.request(`/api/executions/${first.body.id}`);
      assert.deepEqual(get.body.output, { value: 'first' });
    });

    test(
      'a retry of a sync request while the first runs waits for its final answer',
      { timeout: 20_000 },
      async () => {
        const key = newKey();
        const first = post('gated', { n: 1 }, key);
        await gates.started.promise;
        const waiting = nextSubscription();
        const retry = post('gated', { n: 1 }, key);
        await waiting;
        // While it waits, another input under the key is refused at once.
        const other = await post('gated', { n: 2 }, key);
        assert.equal(other.status, 422);
        gates.release.open();
        const [a, b] = await Promise.all([first, retry]);
        assert.equal(a.status, 201);
        assert.equal(a.body.status, 'done');
        assert.equal(a.body.output, 2);
        assert.deepEqual(b.body, a.body);
        assert.equal(b.status, 201);
        assert.equal(gates.calls, 1, 'the function ran once');
      },
    );

    test('a retry in another process waits too, reading the store', { timeout: 20_000 }, async () => {
      const key = newKey();
      const first = post('gated', { n: 5 }, key);
      await gates.started.promise;
      // Another process: its own service over the same database, which hears nothing of this one's runs.
      const other = createExecutions({ knex: api.db.knex, functions: api.functions });
      const waiting = nextSubscription();
      const retry = other.runSync('gated', { n: 5 }, { idempotencyKey: key });
      await waiting;
      gates.release.open();
      const [a, b] = await Promise.all([first, retry]);
      assert.equal(a.body.status, 'done');
      assert.equal(b.id, a.body.id);
      assert.equal(b.status, 'done');
      assert.equal(b.output, 6);
      assert.equal(b.finishedAt, a.body.finishedAt);
      assert.equal(gates.calls, 1);
    });
  });
}
