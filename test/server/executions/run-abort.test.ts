import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunAbort } from '../../../server/executions/run-abort.js';

test('a signal asked for after the abort is already aborted, with the first reason', () => {
  const abort = new RunAbort();
  assert.equal(abort.aborted, false);
  abort.abort(new Error('first'));
  abort.abort(new Error('second'));
  assert.equal(abort.signal.aborted, true);
  assert.equal((abort.signal.reason as Error).message, 'first');
  assert.equal((abort.reason as Error).message, 'first');
});

test('a signal asked for before the abort fires its listeners', () => {
  const abort = new RunAbort();
  const { signal } = abort;
  let heard: unknown;
  signal.addEventListener('abort', () => {
    heard = signal.reason;
  });
  abort.abort('stop');
  assert.equal(heard, 'stop');
});

test('race settles as the promise does, or rejects with the reason as soon as aborted', async () => {
  const abort = new RunAbort();
  assert.equal(await abort.race(Promise.resolve(1)), 1);
  await assert.rejects(abort.race(Promise.reject(new Error('own'))), /own/);
  const never = abort.race(new Promise(() => {}));
  abort.abort(new Error('timed out'));
  await assert.rejects(never, /timed out/);
  await assert.rejects(abort.race(Promise.resolve(2)), /timed out/, 'already aborted');
});
