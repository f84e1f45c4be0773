/**
 * `timelineLines`: status changes with the time spent in the status they leave, notable events
 * marked, and each run of progress and checkpoint events folded into one line naming the latest.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionEvent, ExecutionStatus } from '../../../api/index.js';
import { formatDuration, timelineLines } from '../../../elements/internal/timeline.js';

let id = 0;
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const event = (ms: number, fields: Partial<ExecutionEvent>): ExecutionEvent => ({
  id: ++id,
  executionId: 'e',
  functionName: 'f',
  at: at(ms),
  kind: 'status',
  ...fields,
});
const status = (ms: number, from: ExecutionStatus | undefined, to: ExecutionStatus) =>
  event(ms, { kind: 'status', ...(from && { from }), to });
const progress = (ms: number, fraction: number, message: string) =>
  event(ms, { kind: 'progress', data: { fraction, message } });

describe('timelineLines', () => {
  it('folds fourteen progress updates into one line naming the latest, and times each status', () => {
    const events = [
      status(0, undefined, 'created'),
      status(200, 'created', 'running'),
      ...Array.from({ length: 14 }, (_, i) => progress(300 + i * 100, (i + 1) / 14, `sample ${i + 1}`)),
      event(1800, { kind: 'checkpoint', data: { state: { done: 14 } } }),
      status(4400, 'running', 'done'),
    ];
    const lines = timelineLines(events);
    assert.equal(lines.length, 4);
    assert.match(lines[0]!.text, /— created$/);
    assert.match(lines[1]!.text, /created → running \(200 ms created\)$/);
    assert.match(lines[2]!.text, /— checkpoint \(latest of 15 updates\)$/);
    assert.equal(lines[2]!.folded.length, 15);
    assert.match(lines[2]!.folded[13]!, /progress 100%: sample 14$/);
    assert.match(lines[3]!.text, /running → done \(4\.2 s running\)$/);
    assert.deepEqual(
      lines.map((line) => line.notable),
      [false, false, false, false],
    );
  });

  it('keeps a lone update as it is, and marks retries and takeovers', () => {
    const lines = timelineLines([
      status(0, undefined, 'created'),
      progress(10, 0.5, 'half'),
      event(20, { kind: 'retry', data: { attempt: 1 } }),
      event(30, { kind: 'takeover', data: { workerId: 'w2' } }),
    ]);
    assert.deepEqual(
      lines.map((line) => [line.text.split(' — ')[1], line.notable, line.folded.length]),
      [
        ['created', false, 0],
        ['progress 50%: half', false, 0],
        ['retry', true, 0],
        ['takeover', true, 0],
      ],
    );
  });
});

describe('formatDuration', () => {
  it('says a span as a person reads it', () => {
    assert.deepEqual([350, 4_200, 185_000, 7_800_000, -1].map(formatDuration), [
      '350 ms',
      '4.2 s',
      '3 min 5 s',
      '2 h 10 min',
      '?',
    ]);
  });
});
