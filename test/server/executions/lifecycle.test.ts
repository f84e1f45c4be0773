import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../server/registry/registry.js';
import {
  Cancelled,
  IdempotencyKeyReused,
  IllegalTransition,
  Timeout,
  UnknownFunction,
  ValidationError,
  ExecutionNotFound,
} from '../../../server/errors.js';
import {
  currentExecution,
  pending,
  type Executions,
  type ExecutionEvent,
} from '../../../server/executions/index.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { columnsFor } from '../../../server/storage/columns.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';
import { aborted, gate, nextEvent, type Gate } from '../../support/executions.js';

class QuotaExceeded extends Error {
  override name = 'QuotaExceeded';
  details = { quota: 10 };
}

const statusPath = (events: ExecutionEvent[]) =>
  events
    .filter((e) => e.kind === 'status')
    .map((e) => e.to)
    .join(' ');

for (const kind of DATABASE_KINDS) {
  describe(`the lifecycle on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();
    const gates = new Map<string, Gate>();
    const seen: Record<string, unknown> = {};

    registry.addSync(function add(a: number, b: number) {
      return a + b;
    });
    registry.addSync(function fails() {
      throw new QuotaExceeded('over quota');
    });
    registry.addSync(
      function failsShaped() {
        throw new QuotaExceeded('raw message');
      },
      {
        onError: (error) => ({
          type: 'Friendly',
          message: `shaped: ${(error as Error).message}`,
          details: { hint: 'wait a day' },
        }),
      },
    );
    registry.addSync(function returnsMap() {
      return { ok: new Map([['a', 1]]) };
    });
    registry.addSync(function returnsBigint() {
      return 10n;
    });
    registry.addSync(function returnsNothing() {});
    registry.addSync(
      async function hangs() {
        const { signal } = currentExecution();
        seen.hangsReason = await aborted(signal, 10_000);
        return 'too late';
      },
      { timeout: 150 },
    );
    registry.addSync(
      function checked(n: number) {
        return n;
      },
      {
        validate(input) {
          if ((input.n as number) % 2)
            throw new ValidationError([
              { path: '/n', message: 'must be even', keyword: 'validate', params: {} },
            ]);
        },
      },
    );
    registry.addSync(
      function brokenValidate() {
        return 1;
      },
      {
        validate() {
          throw new Error('validator crashed');
        },
      },
    );
    registry.add(
      async function blocked(key: string) {
        const current = currentExecution<{ step: number }>();
        current.checkpoint({ step: 1 });
        for (let i = 1; i <= 20; i++) current.progress(i / 20, `step ${i}`);
        await gates.get(key)!.promise;
        current.signal.throwIfAborted();
        return { key, state: current.state };
      },
      {
        cancel(state, context) {
          seen.cancelHook = { state, id: context.id, aborted: context.signal.aborted };
        },
      },
    );
    registry.add(
      async function flaky(failures: number) {
        const current = currentExecution<{ tries: number }>();
        const tries = (current.state?.tries ?? 0) + 1;
        current.checkpoint({ tries });
        if (tries <= failures) throw new Error(`failure ${tries}`);
        return { tries, attempt: current.attempt };
      },
      { retries: 2, backoff: () => 0 },
    );
    registry.add(
      async function submit(job: string) {
        return pending({ job, polls: 0 }, { after: 0 });
      },
      {
        poll(state: { job: string; polls: number }) {
          const polls = state.polls + 1;
          return polls < 2 ? pending({ ...state, polls }, { after: 0 }) : { job: state.job, polls };
        },
        pollEvery: 60_000,
      },
    );
    registry.add(
      async function later() {
        return pending({ n: 1 });
      },
      { pollEvery: 60_000 },
    );
    registry.add(
      function cancelFails() {
        return pending(null);
      },
      {
        cancel() {
          throw new Error('remote cancel failed');
        },
      },
    );
    registry.add(function plain(x: number) {
      return x * 2;
    });
    registry.add(
      function watched() {
        return pending({ ticket: 7 }, { after: 0 });
      },
      {
        poll(state: { ticket: number }) {
          throw new QuotaExceeded(`ticket ${state.ticket} lost`);
        },
      },
    );

    before(async () => {
      db = await createTestDatabase(kind, 'lifecycle');
      executions = await executionsFor(db, registry, {
        add: { properties: { a: { type: 'number' }, b: { type: 'number', default: 10 } }, required: ['a'] },
        checked: { properties: { n: { type: 'integer' } }, required: ['n'] },
        blocked: { properties: { key: { type: 'string' } } },
        flaky: { properties: { failures: { type: 'integer' } } },
        submit: { properties: { job: { type: 'string' } } },
        plain: { properties: { x: { type: 'number' } } },
      });
    });
    after(async () => {
      await db.destroy();
    });

    describe('create', () => {
      it('validates inputs, applies defaults, stores the execution as created with its user', async () => {
        const created = await executions.create('add', { a: 1 }, { user: 'ana' });
        assert.equal(created.status, 'created');
        assert.deepEqual(created.input, { a: 1, b: 10 });
        assert.equal(created.user, 'ana');
        assert.equal(created.mode, 'sync');
        const stored = await executions.get(created.id);
        assert.deepEqual({ ...stored, events: undefined }, { ...created, events: undefined });
        assert.equal(statusPath(stored.events), 'created');
      });

      it('stores nothing for bad input or an unknown function', async () => {
        const before = await db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first();
        await assert.rejects(executions.create('add', { a: 'one' }), ValidationError);
        await assert.rejects(executions.runSync('add', {}), ValidationError);
        await assert.rejects(executions.create('nope', {}), UnknownFunction);
        const after = await db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first();
        assert.equal(Number(after?.n), Number(before?.n));
      });

      it('returns the first execution for a repeated idempotency key of the same user and request', async () => {
        const first = await executions.create('plain', { x: 1 }, { user: 'ana', idempotencyKey: 'k1' });
        const again = await executions.create('plain', { x: 1 }, { user: 'ana', idempotencyKey: 'k1' });
        assert.equal(again.id, first.id);
        await assert.rejects(
          executions.create('plain', { x: 999 }, { user: 'ana', idempotencyKey: 'k1' }),
          IdempotencyKeyReused,
        );
        assert.deepEqual((await executions.get(first.id)).input, { x: 1 }, 'unchanged');
        const otherUser = await executions.create('plain', { x: 1 }, { user: 'bo', idempotencyKey: 'k1' });
        assert.notEqual(otherUser.id, first.id);
        const concurrent = await Promise.all(
          [1, 2, 3].map(() => executions.create('plain', { x: 2 }, { idempotencyKey: 'k2' })),
        );
        assert.equal(
          new Set(concurrent.map((e) => e.id)).size,
          1,
          'concurrent creates with one key make one execution',
        );
        await assert.rejects(
          executions.create('plain', { x: 1 }, { idempotencyKey: 'x'.repeat(201) }),
          ValidationError,
        );
      });
    });

    describe('runSync', () => {
      it('runs create → started → validated → running → done in one call', async () => {
        const run = await executions.runSync('add', { a: 2, b: 3 });
        assert.equal(run.status, 'done');
        assert.equal(run.output, 5);
        assert.equal(run.attempts, 1);
        assert.ok(run.startedAt && run.finishedAt);
        const stored = await executions.get(run.id);
        assert.equal(statusPath(stored.events), 'created started validated running done');
        assert.equal(stored.output, 5);
      });

      it('stores a void result as null', async () => {
        const run = await executions.runSync('returnsNothing', {});
        assert.equal(run.status, 'done');
        assert.equal((await executions.get(run.id)).output, null);
      });

      it('stores an error from the function with its own type, details and traceback', async () => {
        const run = await executions.runSync('fails', {});
        assert.equal(run.status, 'errored');
        assert.deepEqual(run.error, { type: 'QuotaExceeded', message: 'over quota', details: { quota: 10 } });
        assert.match(run.traceback!, /fails/);
        const stored = await executions.get(run.id);
        assert.deepEqual(stored.error, run.error);
        assert.equal(statusPath(stored.events), 'created started validated running errored');
        assert.deepEqual(stored.events.at(-1)!.data, { error: run.error });
      });

      it('lets onError shape the stored error', async () => {
        const run = await executions.runSync('failsShaped', {});
        assert.deepEqual(run.error, {
          type: 'Friendly',
          message: 'shaped: raw message',
          details: { hint: 'wait a day' },
        });
      });

      it('errors with OutputNotSerializable and keeps a string form when the result does not survive JSON', async () => {
        const map = await executions.runSync('returnsMap', {});
        assert.equal(map.status, 'errored');
        assert.equal(map.error?.type, 'OutputNotSerializable');
        assert.equal(map.error?.details.path, '/ok');
        assert.match(String(map.error?.details.value), /Map\(1\) \{ 'a' => 1 \}/);
        assert.equal(map.output, null);
        const big = await executions.runSync('returnsBigint', {});
        assert.equal(big.error?.type, 'OutputNotSerializable');
        assert.equal(big.error?.details.value, '10n');
      });

      it('times out: aborts the signal with Timeout and returns the execution errored', async () => {
        // `hangs` waits for its signal: only its timeout aborts it (else it ends after 10 s, not with Timeout).
        const run = await executions.runSync('hangs', {});
        assert.equal(run.status, 'errored');
        assert.equal(run.error?.type, 'Timeout');
        assert.equal(run.error?.details.timeoutMs, 150);
        assert.ok(seen.hangsReason instanceof Timeout, 'the function saw its signal abort with a Timeout');
        assert.equal((await executions.get(run.id)).status, 'errored');
      });

      it('runs the validate hook between started and validated', async () => {
        const even = await executions.runSync('checked', { n: 2 });
        assert.equal(even.status, 'done');
        assert.equal(
          statusPath((await executions.get(even.id)).events),
          'created started validated running done',
        );
        const odd = await executions.runSync('checked', { n: 3 });
        assert.equal(odd.status, 'errored');
        assert.equal(odd.error?.type, 'ValidationError');
        assert.deepEqual(odd.error?.details.errors, [
          { path: '/n', message: 'must be even', keyword: 'validate', params: {} },
        ]);
        assert.equal(statusPath((await executions.get(odd.id)).events), 'created started errored');
        const broken = await executions.runSync('brokenValidate', {});
        assert.deepEqual(
          [broken.status, broken.error?.type, broken.error?.message],
          ['errored', 'Error', 'validator crashed'],
        );
      });
    });

    describe('advance', () => {
      it('runs a created background execution to done, storing progress and checkpoints', async () => {
        const key = 'progress';
        gates.set(key, gate());
        const created = await executions.create('blocked', { key });
        const progressSeen: ExecutionEvent[] = [];
        const stop = executions.subscribe((event) => {
          if (event.executionId === created.id && event.kind === 'progress') progressSeen.push(event);
        });
        const lastProgress = nextEvent(
          executions,
          (e) =>
            e.executionId === created.id &&
            e.kind === 'progress' &&
            (e.data as { fraction: number }).fraction === 1,
        );
        const advancing = executions.advance(created.id, { workerId: 'w1' });
        await lastProgress;
        // While the function still runs, readers see the stored progress and checkpoint.
        const midway = await executions.get(created.id);
        assert.equal(midway.status, 'running');
        assert.deepEqual(midway.progress, { fraction: 1, message: 'step 20' });
        assert.deepEqual(midway.state, { step: 1 });
        assert.ok(midway.events.some((e) => e.kind === 'checkpoint'));
        gates.get(key)!.open();
        const { execution, next } = await advancing;
        stop();
        assert.equal(next, 'done');
        assert.equal(execution.status, 'done');
        assert.deepEqual(execution.output, { key, state: { step: 1 } });
        const stored = await executions.get(created.id);
        const progress = stored.events.filter((e) => e.kind === 'progress');
        assert.ok(
          progress.length >= 1 && progress.length <= 3,
          `20 reports are throttled into a few writes, got ${progress.length}`,
        );
        assert.deepEqual(
          progress.map((e) => e.id),
          progressSeen.map((e) => e.id),
          'subscribers got exactly what was stored',
        );
        assert.equal(statusPath(stored.events), 'created started validated running done');
      });

      it('moves to waiting on pending(), then polls until a result', async () => {
        const created = await executions.create('submit', { job: 'j1' });
        const first = await executions.advance(created.id, { workerId: 'w1' });
        assert.equal(first.next, 'wait');
        assert.equal(first.execution.status, 'waiting');
        assert.deepEqual(first.execution.state, { job: 'j1', polls: 0 });
        assert.ok(first.execution.nextRunAt);
        assert.ok(
          (await executions.pending({ limit: 10_000 })).some((e) => e.id === created.id),
          'a due waiting execution is pending',
        );
        const second = await executions.advance(created.id, { workerId: 'w2' });
        assert.equal(second.next, 'wait');
        assert.deepEqual(second.execution.state, { job: 'j1', polls: 1 });
        const third = await executions.advance(created.id, { workerId: 'w1' });
        assert.equal(third.next, 'done');
        assert.deepEqual(third.execution.output, { job: 'j1', polls: 2 });
        assert.equal(
          statusPath((await executions.get(created.id)).events),
          'created started validated running waiting running waiting running done',
        );
      });

      it('errors when the poll hook throws', async () => {
        const created = await executions.create('watched', {});
        assert.equal((await executions.advance(created.id, { workerId: 'w1' })).next, 'wait');
        const { execution, next } = await executions.advance(created.id, { workerId: 'w1' });
        assert.equal(next, 'done');
        assert.equal(execution.status, 'errored');
        assert.deepEqual(execution.error, {
          type: 'QuotaExceeded',
          message: 'ticket 7 lost',
          details: { quota: 10 },
        });
        assert.deepEqual(execution.state, { ticket: 7 }, 'the last state is kept');
      });

      it('waits pollEvery when pending() gives no `after`, and is not claimed before then', async () => {
        const created = await executions.create('later', {});
        const before = Date.now();
        const first = await executions.advance(created.id, { workerId: 'w1' });
        assert.equal(first.next, 'wait');
        const due = Date.parse(first.execution.nextRunAt!);
        assert.ok(due >= before + 60_000 && due <= Date.now() + 60_000);
        const again = await executions.advance(created.id, { workerId: 'w1' });
        assert.equal(again.next, 'not-claimed');
        assert.ok(
          !(await executions.pending({ limit: 10_000 })).some((e) => e.id === created.id),
          'not pending before it is due',
        );
      });

      it('retries with backoff, resuming from the checkpoint, then succeeds', async () => {
        const created = await executions.create('flaky', { failures: 2 });
        const results = [];
        for (let i = 0; i < 3; i++) results.push(await executions.advance(created.id, { workerId: 'w1' }));
        assert.deepEqual(
          results.map((r) => r.next),
          ['retry', 'retry', 'done'],
        );
        assert.equal(results[0]!.execution.status, 'waiting');
        assert.equal(results[0]!.execution.error?.message, 'failure 1');
        const done = results[2]!.execution;
        assert.deepEqual(done.output, { tries: 3, attempt: 3 });
        assert.equal(done.attempts, 3);
        assert.equal(done.error, null);
        const stored = await executions.get(created.id);
        assert.deepEqual(
          stored.events.filter((e) => e.kind === 'retry').map((e) => (e.data as { attempt: number }).attempt),
          [1, 2],
        );
      });

      it('errors after the last attempt', async () => {
        const created = await executions.create('flaky', { failures: 5 });
        const nexts = [];
        for (let i = 0; i < 3; i++)
          nexts.push((await executions.advance(created.id, { workerId: 'w1' })).next);
        assert.deepEqual(nexts, ['retry', 'retry', 'done']);
        const stored = await executions.get(created.id);
        assert.equal(stored.status, 'errored');
        assert.equal(stored.error?.message, 'failure 3');
        assert.equal(stored.attempts, 3);
      });

      it('does not claim an execution another live worker holds; takes over one whose worker stopped', async () => {
        const created = await executions.create('plain', { x: 21 });
        const columns = columnsFor(db.knex);
        // A worker claimed it and crashed mid-run: its heartbeat is now old.
        await db
          .knex(EXECUTIONS_TABLE)
          .where({ id: created.id })
          .update({
            status: 'running',
            worker_id: 'dead-worker',
            heartbeat_at: columns.time(Date.now() - 5_000),
            attempts: 1,
            state_json: JSON.stringify({ resumed: true }),
          });
        const live = await executions.advance(created.id, { workerId: 'w2', heartbeatTtlMs: 60_000 });
        assert.equal(live.next, 'not-claimed', 'a 5 s old heartbeat is alive under a 60 s ttl');
        assert.equal(await executions.heartbeat(created.id, 'w2'), false, "not w2's");
        assert.equal(await executions.heartbeat(created.id, 'dead-worker'), true);
        await db
          .knex(EXECUTIONS_TABLE)
          .where({ id: created.id })
          .update({ heartbeat_at: columns.time(Date.now() - 5_000) });
        const taken = await executions.advance(created.id, { workerId: 'w2', heartbeatTtlMs: 1_000 });
        assert.equal(taken.next, 'done');
        assert.equal(taken.execution.output, 42);
        assert.equal(taken.execution.attempts, 2);
        const takeover = (await executions.get(created.id)).events.find((e) => e.kind === 'takeover');
        assert.deepEqual(takeover?.data, { workerId: 'w2', previousWorkerId: 'dead-worker' });
      });

      it('returns a finished execution as done, and raises ExecutionNotFound for an unknown id', async () => {
        const run = await executions.runSync('add', { a: 1 });
        assert.equal((await executions.advance(run.id, { workerId: 'w1' })).next, 'done');
        await assert.rejects(
          executions.advance('00000000-0000-0000-0000-000000000000', { workerId: 'w1' }),
          ExecutionNotFound,
        );
      });
    });

    describe('cancel', () => {
      it('cancels a created execution, and refuses to cancel a finished one', async () => {
        const created = await executions.create('plain', { x: 1 });
        const cancelled = await executions.cancel(created.id, { user: 'ana' });
        assert.equal(cancelled.status, 'cancelled');
        assert.ok(cancelled.finishedAt);
        const stored = await executions.get(created.id);
        assert.deepEqual(stored.events.at(-1)?.data, { user: 'ana' });
        await assert.rejects(
          executions.cancel(created.id),
          (err: unknown) => err instanceof IllegalTransition && err.details.current === 'cancelled',
        );
        const done = await executions.runSync('add', { a: 1 });
        await assert.rejects(
          executions.cancel(done.id),
          (err: unknown) => err instanceof IllegalTransition && err.details.from === 'done',
        );
        const after = await executions.get(done.id);
        assert.equal(after.status, 'done');
        assert.equal(after.output, 11);
        assert.equal(
          (await executions.advance(created.id, { workerId: 'w1' })).next,
          'done',
          'a cancelled execution is never run',
        );
      });

      it('aborts a running function with Cancelled and calls the cancel hook with its state', async () => {
        const key = 'cancel';
        gates.set(key, gate());
        const created = await executions.create('blocked', { key });
        const checkpointed = nextEvent(
          executions,
          (e) => e.executionId === created.id && e.kind === 'checkpoint',
        );
        const advancing = executions.advance(created.id, { workerId: 'w1' });
        await checkpointed;
        const cancelled = await executions.cancel(created.id);
        assert.equal(cancelled.status, 'cancelled');
        const { execution, next } = await advancing;
        assert.equal(next, 'done');
        assert.equal(execution.status, 'cancelled');
        assert.equal(execution.output, null);
        assert.deepEqual(seen.cancelHook, { state: { step: 1 }, id: created.id, aborted: true });
        gates.get(key)!.open();
        const stored = await executions.get(created.id);
        assert.equal(stored.status, 'cancelled');
        assert.equal(statusPath(stored.events), 'created started validated running cancelled');
      });

      it('records a failing cancel hook as an event', async () => {
        const created = await executions.create('cancelFails', {});
        await executions.advance(created.id, { workerId: 'w1' });
        await executions.cancel(created.id);
        const stored = await executions.get(created.id);
        assert.equal(stored.status, 'cancelled');
        const failed = stored.events.find((e) => e.kind === 'cancel-hook-failed');
        assert.equal((failed?.data as { error: { message: string } }).error.message, 'remote cancel failed');
      });
    });

    it('reruns with the same inputs and rerunOf set (sync functions run at once)', async () => {
      const original = await executions.create('plain', { x: 4 }, { user: 'ana' });
      const rerun = await executions.rerun(original.id, { user: 'bo' });
      assert.notEqual(rerun.id, original.id);
      assert.deepEqual(rerun.input, original.input);
      assert.equal(rerun.rerunOf, original.id);
      assert.equal(rerun.user, 'bo');
      assert.equal(rerun.status, 'created');
      const sync = await executions.runSync('add', { a: 5 });
      const syncRerun = await executions.rerun(sync.id);
      assert.deepEqual([syncRerun.status, syncRerun.output, syncRerun.rerunOf], ['done', 15, sync.id]);
      await assert.rejects(executions.rerun('missing'), ExecutionNotFound);
    });

    it('lists pending executions: due and unclaimed, oldest first', async () => {
      const a = await executions.create('plain', { x: 1 });
      const b = await executions.create('plain', { x: 2 });
      const done = await executions.runSync('add', { a: 1 });
      const pendingNow = await executions.pending({ limit: 10_000 });
      const ids = pendingNow.map((e) => e.id);
      assert.ok(ids.includes(a.id) && ids.includes(b.id));
      const keys = pendingNow.map((e) => `${e.createdAt} ${e.id}`);
      assert.deepEqual(keys, [...keys].sort(), 'oldest first (ties by id)');
      assert.ok(!ids.includes(done.id));
    });

    it('tells subscribers every change at once and stops when asked', async () => {
      const events: Array<[string, string]> = [];
      const stop = executions.subscribe((event, execution) =>
        events.push([event.to ?? event.kind, execution.status]),
      );
      await executions.runSync('add', { a: 1 });
      stop();
      await executions.runSync('add', { a: 1 });
      // Creation and the claim of a run in the request are one unit: its events carry the state after it.
      assert.deepEqual(events, [
        ['created', 'running'],
        ['started', 'running'],
        ['validated', 'running'],
        ['running', 'running'],
        ['done', 'done'],
      ]);
    });

    it('refuses currentExecution() outside an execution', () => {
      assert.throws(() => currentExecution(), /only available while a function runs/);
      assert.ok(new Cancelled('x').toJSON().type === 'Cancelled');
    });
  });
}
