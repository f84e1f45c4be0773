import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyStreamEvent } from '../../../elements/internal/live-execution.js';
import type { Execution, ExecutionEvent } from '../../../api/index.js';

const running: Execution = {
  id: 'e1',
  functionName: 'countUp',
  mode: 'async',
  status: 'running',
  input: {},
  output: null,
  error: null,
  progress: null,
  user: null,
  attempts: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  rerunOf: null,
  scheduleId: null,
  traceback: null,
  state: null,
  nextRunAt: null,
  functionVersion: null,
  events: [],
};
const event = (id: number, kind: ExecutionEvent['kind'], rest: Partial<ExecutionEvent>): ExecutionEvent => ({
  id,
  executionId: 'e1',
  functionName: 'countUp',
  at: '2026-01-01T00:00:01.000Z',
  kind,
  ...rest,
});

describe('applyStreamEvent', () => {
  it('patches progress in at once', () => {
    const { execution, reload } = applyStreamEvent(
      running,
      event(1, 'progress', { data: { fraction: 0.5, message: 'half' } }),
    );
    assert.deepEqual(execution.progress, { fraction: 0.5, message: 'half' });
    assert.equal(execution.events!.length, 1);
    assert.equal(reload, false);
  });

  it('moves the status and asks for a reload when the execution ended', () => {
    const waiting = applyStreamEvent(running, event(2, 'status', { from: 'running', to: 'waiting' }));
    assert.equal(waiting.execution.status, 'waiting');
    assert.equal(waiting.execution.updatedAt, '2026-01-01T00:00:01.000Z');
    assert.equal(waiting.reload, false);
    const done = applyStreamEvent(running, event(3, 'status', { from: 'running', to: 'done' }));
    assert.equal(done.execution.status, 'done');
    assert.equal(done.reload, true);
  });

  it('ignores messages about other executions and events already seen', () => {
    assert.equal(
      applyStreamEvent(running, { ...event(4, 'progress', {}), executionId: 'other' }).execution,
      running,
    );
    const once = applyStreamEvent(running, event(5, 'checkpoint', {})).execution;
    assert.equal(applyStreamEvent(once, event(5, 'checkpoint', {})).execution.events!.length, 1);
  });
});
