/**
 * `awaitAnswer`: a retry's wait for the first run's answer ends on the in-process feed, on a read of
 * the store, or after the function's timeout with the execution as it stands; a failed read fails it.
 * `checkSameRequest`: the same function and JSON input, or `IdempotencyKeyReused`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Execution } from '../../../api/execution.js';
import { IdempotencyKeyReused } from '../../../server/errors.js';
import type { ExecutionListener } from '../../../server/executions/index.js';
import { awaitAnswer, checkSameRequest } from '../../../server/executions/idempotent-retry.js';
import { gate } from '../../support/executions.js';

const execution = (status: string): Execution =>
  ({ id: 'e1', functionName: 'f', status, input: {} }) as unknown as Execution;

/** A feed the test publishes to by hand. */
function feed() {
  const listeners = new Set<ExecutionListener>();
  return {
    listeners,
    subscribe: (listener: ExecutionListener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    publish: (changed: Execution) => {
      for (const l of listeners)
        l({ id: 1, executionId: changed.id, functionName: 'f', at: '', kind: 'status' } as never, changed);
    },
  };
}

describe('awaitAnswer', () => {
  test('an execution that has answered is returned at once, unread', async () => {
    let reads = 0;
    const done = execution('done');
    assert.equal(
      await awaitAnswer(done, {
        read: async () => {
          reads++;
          return done;
        },
        subscribe: feed().subscribe,
        timeoutMs: 1000,
      }),
      done,
    );
    assert.equal(reads, 0);
  });

  test('the in-process feed ends the wait, and the listener is removed', async () => {
    const changes = feed();
    const finished = execution('errored');
    const firstRead = gate();
    const wait = awaitAnswer(execution('running'), {
      read: async () => {
        firstRead.open();
        return execution('running');
      },
      subscribe: changes.subscribe,
      timeoutMs: 60_000,
      pollMs: 60_000,
    });
    await firstRead.promise;
    changes.publish({ ...execution('running'), id: 'other' });
    changes.publish(finished);
    assert.equal(await wait, finished);
    assert.equal(changes.listeners.size, 0);
  });

  test('a read of the store ends the wait (the first run is in another process)', async () => {
    const states = ['running', 'running', 'waiting'];
    const answer = await awaitAnswer(execution('started'), {
      read: async () => execution(states.shift()!),
      subscribe: feed().subscribe,
      timeoutMs: 60_000,
      pollMs: 1,
    });
    assert.equal(answer.status, 'waiting');
    assert.equal(states.length, 0);
  });

  test('past the timeout (plus a grace) the execution is returned as it stands', async () => {
    const changes = feed();
    const answer = await awaitAnswer(execution('running'), {
      read: async () => execution('running'),
      subscribe: changes.subscribe,
      timeoutMs: 0,
      pollMs: 50,
    });
    assert.equal(answer.status, 'running');
    assert.equal(changes.listeners.size, 0);
  });

  test('a failed read fails the wait', async () => {
    await assert.rejects(
      awaitAnswer(execution('running'), {
        read: async () => {
          throw new Error('database down');
        },
        subscribe: feed().subscribe,
        timeoutMs: 1000,
      }),
      /database down/,
    );
  });
});

describe('checkSameRequest', () => {
  const stored = { id: 'e1', functionName: 'f', input: { a: 1, b: { c: [1, 2] } } };
  test('the same function and JSON input passes, whatever the key order', () => {
    checkSameRequest(stored, 'f', { b: { c: [1, 2] }, a: 1 }, 'k');
    checkSameRequest({ ...stored, input: { a: 0 } }, 'f', { a: -0, gone: undefined }, 'k');
  });
  test('another function or input is IdempotencyKeyReused naming the stored execution', () => {
    for (const [fn, input] of [
      ['g', stored.input],
      ['f', { a: 1, b: { c: [2, 1] } }],
      ['f', { a: '1', b: { c: [1, 2] } }],
      ['f', { ...stored.input, d: null }],
    ] as const) {
      assert.throws(
        () => checkSameRequest(stored, fn, input, 'k'),
        (err: unknown) => {
          assert.ok(err instanceof IdempotencyKeyReused);
          assert.deepEqual(err.details, { idempotencyKey: 'k', executionId: 'e1', functionName: 'f' });
          return true;
        },
      );
    }
  });
});
