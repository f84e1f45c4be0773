import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../../server/executions/backoff.js';
import {
  decideOutcome,
  POLL_EVERY_MS,
  type OutcomePolicy,
  type StepOutcome,
  type StepView,
} from '../../../server/executions/outcome-decision.js';
import type { ExecutionError } from '../../../api/execution.js';

const NOW = 1_000_000;
const ERROR: ExecutionError = { type: 'Boom', message: 'it failed', details: {} };
const running = (attempts: number): StepView => ({ status: 'running', attempts });
const failed = (retryable = true): StepOutcome => ({ kind: 'failed', error: ERROR, retryable });
const policy = (overrides: Partial<OutcomePolicy> = {}): OutcomePolicy => ({ hasPoll: false, ...overrides });

describe('decideOutcome', () => {
  it('ends a returned result as done', () => {
    assert.deepEqual(decideOutcome({ kind: 'returned' }, running(1), policy({ retries: 3 }), NOW), {
      to: 'done',
    });
  });

  describe('pending()', () => {
    const cases: Array<[string, number | undefined, Partial<OutcomePolicy>, 'poll' | 'call', number]> = [
      [
        'waits `after` and polls next when the function has poll',
        250,
        { hasPoll: true, pollEvery: 9000 },
        'poll',
        250,
      ],
      ['waits `after` and calls again without poll', 0, {}, 'call', 0],
      ['without after: waits pollEvery', undefined, { pollEvery: 700 }, 'call', 700],
      [
        'without after nor pollEvery: waits the default 5 s',
        undefined,
        { hasPoll: true },
        'poll',
        POLL_EVERY_MS,
      ],
    ];
    for (const [name, after, overrides, waitKind, waited] of cases) {
      it(name, () => {
        assert.deepEqual(decideOutcome({ kind: 'pending', after }, running(1), policy(overrides), NOW), {
          to: 'waiting',
          waitKind,
          after: waited,
          nextRunAt: NOW + waited,
        });
      });
    }
    it('defaults to 5000 ms', () => assert.equal(POLL_EVERY_MS, 5000));
  });

  describe('a failure', () => {
    it('is retried while attempts remain (attempts < retries + 1), after the backoff of the failed attempt', () => {
      for (const attempt of [1, 2, 3]) {
        const after = 1000 * 2 ** (attempt - 1);
        assert.deepEqual(
          decideOutcome(failed(), running(attempt), policy({ retries: 3 }), NOW),
          { to: 'waiting', waitKind: 'retry', after, nextRunAt: NOW + after, attempt, error: ERROR },
          `attempt ${attempt}`,
        );
      }
    });

    const errored: Array<[string, StepOutcome, StepView, Partial<OutcomePolicy>]> = [
      ['errors once retries + 1 attempts were made', failed(), running(4), { retries: 3 }],
      ['errors at once with no retries (default 0)', failed(), running(1), {}],
      [
        'errors at once when not retryable (a run in the request, an unstorable result)',
        failed(false),
        running(1),
        { retries: 3 },
      ],
      [
        'errors at once when validate rejected the input (not running yet)',
        failed(),
        { status: 'started', attempts: 1 },
        { retries: 3 },
      ],
    ];
    for (const [name, outcome, step, overrides] of errored) {
      it(name, () =>
        assert.deepEqual(decideOutcome(outcome, step, policy(overrides), NOW), {
          to: 'errored',
          error: ERROR,
        }),
      );
    }

    it('waits what a function backoff returns', () => {
      const seen: number[] = [];
      const end = decideOutcome(
        failed(),
        running(2),
        policy({
          retries: 5,
          backoff: (attempt) => {
            seen.push(attempt);
            return 42;
          },
        }),
        NOW,
      );
      assert.deepEqual(seen, [2]);
      assert.deepEqual(end, {
        to: 'waiting',
        waitKind: 'retry',
        after: 42,
        nextRunAt: NOW + 42,
        attempt: 2,
        error: ERROR,
      });
    });
  });
});

describe('backoffDelay', () => {
  const cases: Array<[string, Parameters<typeof backoffDelay>[0], number, number]> = [
    ['defaults: 1 s for the first retry', undefined, 1, 1000],
    ['defaults: doubling', undefined, 4, 8000],
    ['defaults: at most 5 minutes', undefined, 20, 300_000],
    ['delay alone keeps the default factor', { delay: 10 }, 3, 40],
    ['delay and factor', { delay: 100, factor: 3 }, 3, 900],
    ['factor 1 is a fixed delay', { delay: 250, factor: 1 }, 7, 250],
    ['max caps it', { delay: 100, factor: 10, max: 5000 }, 3, 5000],
    ['under max it is not capped', { delay: 100, factor: 10, max: 5000 }, 2, 1000],
    ['a function gets the failed attempt', (attempt: number) => attempt * 7, 3, 21],
    ['a function returning a negative number waits 0', () => -5, 1, 0],
    ['a function returning NaN waits 0', () => Number.NaN, 1, 0],
    [
      'a function returning a numeric string waits that many ms',
      (() => '30') as unknown as (attempt: number) => number,
      1,
      30,
    ],
  ];
  for (const [name, backoff, attempt, expected] of cases) {
    it(name, () => assert.equal(backoffDelay(backoff, attempt), expected));
  }
});
