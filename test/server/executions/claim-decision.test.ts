import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UnknownFunction } from '../../../server/errors.js';
import {
  decideClaim,
  startPath,
  type ClaimContext,
  type ClaimDecision,
  type ClaimView,
} from '../../../server/executions/claim-decision.js';

const NOW = 1_000_000;
const TTL = 30_000;

function row(overrides: Partial<ClaimView> = {}): ClaimView {
  return {
    status: 'created',
    functionName: 'lookup',
    workerId: null,
    heartbeatAt: null,
    nextRunAt: null,
    attempts: 0,
    waitKind: null,
    ...overrides,
  };
}

function context(overrides: Partial<ClaimContext> = {}): ClaimContext {
  return {
    now: NOW,
    workerId: 'w1',
    ttlMs: TTL,
    runsHere: false,
    fn: { validates: false, retries: 0 },
    ...overrides,
  };
}

/** A running row whose worker (w0) stopped heart-beating. */
const abandoned = (attempts: number) =>
  row({ status: 'running', workerId: 'w0', heartbeatAt: NOW - TTL - 1, attempts });

describe('decideClaim', () => {
  const cases: Array<[string, ClaimView, Partial<ClaimContext>, ClaimDecision['kind']]> = [
    ['an ended execution is done', row({ status: 'done' }), {}, 'done'],
    ['an errored one too, even when running here', row({ status: 'errored' }), { runsHere: true }, 'done'],
    [
      'a cancelled one too, even with its function gone',
      row({ status: 'cancelled' }),
      { fn: undefined },
      'done',
    ],
    [
      'one running in this process is not claimed',
      row({ status: 'running', workerId: 'w1', heartbeatAt: NOW }),
      { runsHere: true },
      'not-claimed',
    ],
    [
      'a fresh heartbeat of another worker holds it',
      row({ status: 'running', workerId: 'w0', heartbeatAt: NOW - 1000 }),
      {},
      'not-claimed',
    ],
    [
      'a heartbeat exactly ttl old still holds it',
      row({ status: 'running', workerId: 'w0', heartbeatAt: NOW - TTL }),
      {},
      'not-claimed',
    ],
    [
      'a heartbeat older than ttl frees it',
      row({ status: 'running', workerId: 'w0', heartbeatAt: NOW - TTL - 1 }),
      {},
      'take-over',
    ],
    [
      'a holder without heartbeat frees it',
      row({ status: 'running', workerId: 'w0', heartbeatAt: null }),
      {},
      'take-over',
    ],
    [
      'its own worker id frees it (reused after a crash)',
      row({ status: 'running', workerId: 'w1', heartbeatAt: NOW }),
      {},
      'take-over',
    ],
    [
      'a waiting one not due yet is not claimed',
      row({ status: 'waiting', nextRunAt: NOW + 1, waitKind: 'poll' }),
      {},
      'not-claimed',
    ],
    [
      'a waiting one due now is resumed',
      row({ status: 'waiting', nextRunAt: NOW, waitKind: 'poll' }),
      {},
      'resume',
    ],
    ['a created one is started', row(), {}, 'start'],
    [
      'a held row is not claimed, whatever its function',
      row({ workerId: 'w0', heartbeatAt: NOW }),
      { fn: undefined },
      'not-claimed',
    ],
    ['a free one whose function is gone is given up', row(), { fn: undefined }, 'give-up'],
  ];
  for (const [name, view, overrides, kind] of cases) {
    it(name, () => assert.equal(decideClaim(view, context(overrides)).kind, kind));
  }

  it('starts a created execution straight to running, or to started when it validates, counting an attempt', () => {
    assert.deepEqual(decideClaim(row(), context()), {
      kind: 'start',
      path: ['started', 'validated', 'running'],
      attempts: 1,
    });
    assert.deepEqual(decideClaim(row(), context({ fn: { validates: true, retries: 0 } })), {
      kind: 'start',
      path: ['started'],
      attempts: 1,
    });
    assert.deepEqual(startPath(true), ['started']);
    assert.deepEqual(startPath(false), ['started', 'validated', 'running']);
  });

  it('counts an attempt when resuming a retry, not when resuming a poll or a call', () => {
    for (const [waitKind, attempts] of [
      ['retry', 3],
      ['poll', 2],
      ['call', 2],
    ] as const) {
      assert.deepEqual(
        decideClaim(row({ status: 'waiting', attempts: 2, waitKind, nextRunAt: NOW - 5 }), context()),
        { kind: 'resume', attempts },
        waitKind,
      );
    }
  });

  it('takes over a run whose worker died, counting an attempt, for started and validated runs too', () => {
    for (const status of ['started', 'validated', 'running'] as const) {
      assert.deepEqual(
        decideClaim({ ...abandoned(1), status }, context()),
        { kind: 'take-over', attempts: 2, previousWorkerId: 'w0' },
        status,
      );
    }
  });

  it('allows one takeover beyond retries + 1 attempts, then gives up with WorkerLost', () => {
    for (const [retries, lastTakeover] of [
      [0, 1],
      [2, 3],
    ] as const) {
      assert.equal(
        decideClaim(abandoned(lastTakeover), context({ fn: { validates: false, retries } })).kind,
        'take-over',
      );
      const decision = decideClaim(
        abandoned(lastTakeover + 1),
        context({ fn: { validates: false, retries } }),
      );
      assert.equal(decision.kind, 'give-up');
      assert.ok(decision.kind === 'give-up');
      assert.equal(decision.reason, 'worker-lost');
      assert.equal(decision.error.name, 'WorkerLost');
      assert.equal(
        decision.error.message,
        `The worker running this execution stopped (attempt ${lastTakeover + 1} of ${retries + 1})`,
      );
    }
  });

  it('gives up an execution whose function is not registered with UnknownFunction', () => {
    const decision = decideClaim(
      row({ status: 'waiting', functionName: 'gone', waitKind: 'call' }),
      context({ fn: undefined }),
    );
    assert.ok(decision.kind === 'give-up');
    assert.equal(decision.reason, 'unknown-function');
    assert.ok(decision.error instanceof UnknownFunction);
    assert.match(decision.error.message, /gone/);
  });
});
