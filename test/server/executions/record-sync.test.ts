import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../server/registry/registry.js';
import { ExecutionNotFound, Timeout } from '../../../server/errors.js';
import { currentExecution, type Executions, type ExecutionEvent } from '../../../server/executions/index.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';
import { aborted, gate, nextEvent, type Gate } from '../../support/executions.js';

const statusPath = (events: ExecutionEvent[]) => events.filter((e) => e.kind === 'status').map((e) => e.to).join(' ');

/**
 * A run in the request is written once, when it ends, unless it outlasts `recordSyncAfterMs`, reports
 * progress, or carries an idempotency key: then it is on record while it runs.
 */
for (const kind of DATABASE_KINDS) {
  describe(`recording runs in the request on ${kind}`, () => {
    let db: TestDatabase;
    const registry = createRegistry();
    /** Opened by the function once it runs; the test opens `release` to let it finish. */
    let entered: Gate;
    let release: Gate;
    /** What `seesItself` found when it looked itself up while running. */
    let selfLookup: unknown;
    let lookup: Executions;

    registry.addSync(async function waits() {
      entered.open();
      await release.promise;
      return 'finished';
    });
    registry.addSync(async function reports() {
      currentExecution().progress(0.5, 'half way');
      entered.open();
      await release.promise;
      return 'reported';
    });
    registry.addSync(async function seesItself() {
      try {
        selfLookup = (await lookup.get(currentExecution().id)).status;
      } catch (err) {
        selfLookup = err;
      }
      return 'looked';
    });
    registry.addSync(function breaks() { throw new Error('broken'); });
    registry.addSync(async function overruns() {
      await aborted(currentExecution().signal, 10_000);
      return 'too late';
    }, { timeout: 30 });

    const open = (recordSyncAfterMs: number) => executionsFor(db, registry, {}, { recordSyncAfterMs });
    const rowsOf = async (functionName: string) => db.knex(EXECUTIONS_TABLE).where({ func_name: functionName });
    const eventsOf = async (id: string) => db.knex(EVENTS_TABLE).where({ execution_id: id }).orderBy('id');

    before(async () => { db = await createTestDatabase(kind, 'record_sync'); });
    after(async () => { await db.destroy(); });

    it('writes a quick run once, with every status change at its own time', async () => {
      const executions = await open(60_000);
      entered = gate();
      release = gate();
      const run = executions.runSync('waits', {});
      await entered.promise;
      assert.deepEqual(await rowsOf('waits'), [], 'not on record while it runs');
      assert.equal((await executions.list({ functionName: 'waits' })).items.length, 0);
      release.open();
      const done = await run;
      assert.equal(done.status, 'done');
      const stored = await executions.get(done.id);
      assert.deepEqual({ ...stored, events: undefined }, { ...done, events: undefined }, 'the answer is what was stored');
      assert.equal(statusPath(stored.events), 'created started validated running done');
      const times = stored.events.map((e) => Date.parse(e.at));
      assert.deepEqual([...times].sort((a, b) => a - b), times, 'events in time order');
      assert.equal(times[0], Date.parse(stored.createdAt));
      assert.equal(times.at(-1), Date.parse(stored.finishedAt!));
      const ids = stored.events.map((e) => e.id);
      assert.deepEqual([...ids].sort((a, b) => a - b), ids);
      assert.equal(new Set(ids).size, ids.length);
    });

    it('puts a run on record as running once it outlasts recordSyncAfterMs, then finishes it there', async () => {
      const executions = await open(20);
      entered = gate();
      release = gate();
      const onRecord = nextEvent(executions, (event) => event.functionName === 'waits' && event.to === 'running');
      const run = executions.runSync('waits', {});
      const { event, execution } = await onRecord;
      assert.equal(execution.status, 'running');
      const running = await executions.get(event.executionId);
      assert.equal(running.status, 'running');
      assert.equal(statusPath(running.events), 'created started validated running');
      assert.ok((await executions.list({ functionName: 'waits', status: 'running' })).items.some((e) => e.id === running.id));
      release.open();
      const done = await run;
      assert.equal(done.id, running.id);
      const stored = await executions.get(done.id);
      assert.equal(stored.status, 'done');
      assert.equal(statusPath(stored.events), 'created started validated running done');
      assert.equal((await eventsOf(done.id)).length, 5, 'nothing recorded twice');
    });

    it('puts a run on record as soon as it reports progress', async () => {
      const executions = await open(60_000);
      entered = gate();
      release = gate();
      const progressed = nextEvent(executions, (event) => event.functionName === 'reports' && event.kind === 'progress');
      const run = executions.runSync('reports', {});
      const { event } = await progressed;
      const running = await executions.get(event.executionId);
      assert.equal(running.status, 'running');
      assert.deepEqual(running.progress, { fraction: 0.5, message: 'half way' });
      release.open();
      const done = await run;
      assert.equal(statusPath((await executions.get(done.id)).events), 'created started validated running done');
      assert.deepEqual((await executions.get(done.id)).events.map((e) => e.kind === 'status' ? e.to : e.kind),
        ['created', 'started', 'validated', 'running', 'progress', 'done']);
    });

    it('writes the run before it starts when it carries an idempotency key, or when recordSyncAfterMs is 0', async () => {
      lookup = await open(60_000);
      await lookup.runSync('seesItself', {});
      assert.ok(selfLookup instanceof ExecutionNotFound, 'held: not yet on record while it runs');
      const keyed = await lookup.runSync('seesItself', {}, { idempotencyKey: 'once' });
      assert.equal(selfLookup, 'running', 'with a key it is on record (and claimed) before the function runs');
      assert.equal((await lookup.runSync('seesItself', {}, { idempotencyKey: 'once' })).id, keyed.id);
      lookup = await open(0);
      await lookup.runSync('seesItself', {});
      assert.equal(selfLookup, 'running');
    });

    it('writes concurrent runs together, each with its own events, and tells subscribers the stored ids', async () => {
      const executions = await open(60_000);
      const heard = new Map<string, number[]>();
      const stop = executions.subscribe((event) => {
        if (event.functionName === 'breaks' || event.functionName === 'seesItself') heard.set(event.executionId, [...(heard.get(event.executionId) ?? []), event.id]);
      });
      lookup = executions;
      // Two functions, ending alike or not, all in the same turn: one batch, several statements.
      const runs = await Promise.all(Array.from({ length: 30 }, (_, i) => executions.runSync(i % 3 ? 'seesItself' : 'breaks', {})));
      stop();
      assert.equal(new Set(runs.map((r) => r.id)).size, runs.length);
      for (const run of runs) {
        const stored = await executions.get(run.id);
        assert.equal(stored.status, run.status);
        assert.equal(statusPath(stored.events), `created started validated running ${run.functionName === 'breaks' ? 'errored' : 'done'}`);
        assert.ok(stored.events.every((e) => e.executionId === run.id));
        assert.deepEqual(heard.get(run.id), stored.events.map((e) => e.id), 'subscribers got the ids that were stored');
      }
    });

    it('records failures and timeouts of a held run with their events', async () => {
      const executions = await open(60_000);
      const broken = await executions.runSync('breaks', {});
      assert.equal(broken.status, 'errored');
      const stored = await executions.get(broken.id);
      assert.equal(statusPath(stored.events), 'created started validated running errored');
      assert.equal(stored.error?.message, 'broken');
      const late = await executions.runSync('overruns', {});
      assert.equal(late.status, 'errored');
      assert.equal(late.error?.type, new Timeout(30).type);
      assert.equal((await executions.get(late.id)).status, 'errored');
    });
  });
}
