import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { createRegistry } from '../../../server/registry/registry.js';
import { Timeout } from '../../../server/errors.js';
import {
  createExecutions,
  currentExecution,
  type Executions,
  type ExecutionEvent,
} from '../../../server/executions/index.js';
import { openDatabase } from '../../../server/storage/database.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, manifestForRegistry } from '../../support/manifests.js';
import { aborted, gate, type Gate } from '../../support/executions.js';

const PATH = ['created', 'started', 'validated', 'running', 'done'];
const statusPath = (events: ExecutionEvent[]) =>
  events
    .filter((e) => e.kind === 'status')
    .map((e) => e.to)
    .join(' ');

/**
 * Durable by default: a run in the request is stored, claimed by this process, before its function
 * starts, and every status change is stored with its event before subscribers hear of it. "Stored"
 * is checked through another executions service on its own connection to the same database, as
 * another process would see it.
 */
for (const kind of DATABASE_KINDS) {
  describe(`runs in the request are on record before they start, on ${kind}`, () => {
    let db: TestDatabase;
    /** A second connection pool on the same database: what another process reads. */
    let otherKnex: Knex;
    let other: Executions;
    let executions: Executions;
    const registry = createRegistry();
    /** What the function found when it looked itself up, before doing anything else. */
    let selfLookup: { status: string; path: string } | undefined;
    /** What `validate` found the same way. */
    let validateLookup: { status: string; path: string } | undefined;
    let entered: Gate;
    let release: Gate;
    let refusedRan = false;

    const lookUp = async () => {
      const stored = await other.get(currentExecution().id);
      return { status: stored.status, path: statusPath(stored.events) };
    };
    registry.addSync(async function seesItself() {
      selfLookup = await lookUp();
      return 'looked';
    });
    registry.addSync(
      async function validated() {
        selfLookup = await lookUp();
        return 'ok';
      },
      {
        async validate(_input, context) {
          const stored = await other.get(context.id);
          validateLookup = { status: stored.status, path: statusPath(stored.events) };
        },
      },
    );
    registry.addSync(async function waits() {
      currentExecution().progress(0.5, 'half way');
      entered.open();
      await release.promise;
      return 'finished';
    });
    registry.addSync(function refused() {
      refusedRan = true;
    });
    registry.addSync(function breaks() {
      throw new Error('broken');
    });
    registry.addSync(
      async function overruns() {
        await aborted(currentExecution().signal, 10_000);
        return 'too late';
      },
      { timeout: 30 },
    );

    before(async () => {
      db = await createTestDatabase(kind, 'record_sync');
      executions = await executionsFor(db, registry);
      otherKnex = openDatabase(db.url);
      other = createExecutions({
        knex: otherKnex,
        functions: registry.bind(manifestForRegistry(registry), { manifestDir: process.cwd() }),
      });
    });
    after(async () => {
      await otherKnex?.destroy();
      await db.destroy();
    });

    it('stores the run as running, with its events, before the function does anything', async () => {
      selfLookup = undefined;
      const run = await executions.runSync('seesItself', {});
      assert.deepEqual(selfLookup, { status: 'running', path: 'created started validated running' });
      const stored = await other.get(run.id);
      assert.equal(stored.status, 'done');
      assert.equal(statusPath(stored.events), 'created started validated running done');
      assert.deepEqual(
        { ...stored, events: undefined },
        { ...run, events: undefined },
        'the answer is what was stored',
      );
      const ids = stored.events.map((e) => e.id);
      assert.deepEqual(
        [...ids].sort((a, b) => a - b),
        ids,
      );
      assert.equal(new Set(ids).size, ids.length, 'nothing recorded twice');
    });

    it('stores the run as started before validate runs, and as running before the function runs', async () => {
      validateLookup = undefined;
      selfLookup = undefined;
      await executions.runSync('validated', {});
      assert.deepEqual(validateLookup, { status: 'started', path: 'created started' });
      assert.deepEqual(selfLookup, { status: 'running', path: 'created started validated running' });
    });

    it('does so with an idempotency key too, and a retry gets the same execution', async () => {
      selfLookup = undefined;
      const first = await executions.runSync('seesItself', {}, { idempotencyKey: 'once' });
      assert.deepEqual(selfLookup, { status: 'running', path: 'created started validated running' });
      assert.equal((await executions.runSync('seesItself', {}, { idempotencyKey: 'once' })).id, first.id);
    });

    it('does not start the function when the run cannot be stored', async () => {
      if (kind === 'sqlite') {
        await db.knex
          .raw(`CREATE TRIGGER refuse_run BEFORE INSERT ON ${EXECUTIONS_TABLE} WHEN NEW.func_name = 'refused'
          BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
      } else if (kind === 'postgres') {
        await db.knex.raw(`CREATE FUNCTION refuse_run() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.func_name = 'refused' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
        await db.knex.raw(
          `CREATE TRIGGER refuse_run BEFORE INSERT ON ${EXECUTIONS_TABLE} FOR EACH ROW EXECUTE FUNCTION refuse_run()`,
        );
      } else {
        await db.knex.raw(`CREATE TRIGGER refuse_run BEFORE INSERT ON ${EXECUTIONS_TABLE} FOR EACH ROW
          IF NEW.func_name = 'refused' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF`);
      }
      try {
        await assert.rejects(executions.runSync('refused', {}), /refused by the test/);
        assert.equal(refusedRan, false, 'the function never ran');
      } finally {
        await db.knex.raw(
          kind === 'postgres' ? `DROP TRIGGER refuse_run ON ${EXECUTIONS_TABLE}` : 'DROP TRIGGER refuse_run',
        );
      }
    });

    it('stores every status change and progress with its event before subscribers hear of it', async () => {
      entered = gate();
      release = gate();
      const checks: Array<Promise<void>> = [];
      const heard: ExecutionEvent[] = [];
      const stop = executions.subscribe((event, execution) => {
        if (event.functionName !== 'waits') return;
        heard.push(event);
        // Read at once, on another connection: the event and the status it announces are already there.
        checks.push(
          (async () => {
            const stored = await otherKnex(EVENTS_TABLE).where({ id: event.id }).first();
            assert.ok(stored, `event ${event.id} (${event.kind} ${event.to ?? ''}) is stored when announced`);
            assert.equal(stored.execution_id, event.executionId);
            // The row is at least as far as the execution subscribers were shown (it may have moved on since).
            const row = await otherKnex(EXECUTIONS_TABLE).where({ id: event.executionId }).first('status');
            assert.ok(
              PATH.indexOf(row.status) >= PATH.indexOf(execution.status),
              `stored ${row.status}, announced ${execution.status}`,
            );
          })(),
        );
      });
      try {
        const run = executions.runSync('waits', {});
        await entered.promise;
        // Before it ends: the run is listed as running by another process.
        const listed = await other.list({ functionName: 'waits', status: 'running' });
        assert.equal(listed.items.length, 1);
        release.open();
        const done = await run;
        assert.equal(done.status, 'done');
        await Promise.all(checks);
        const stored = await other.get(done.id);
        assert.deepEqual(
          stored.events.map((e) => (e.kind === 'status' ? e.to : e.kind)),
          ['created', 'started', 'validated', 'running', 'progress', 'done'],
        );
        assert.deepEqual(
          heard.map((e) => e.id),
          stored.events.map((e) => e.id),
          'subscribers heard every stored event, with its stored id, in order',
        );
      } finally {
        stop();
      }
    });

    it('stores concurrent runs, each with its own events, and tells subscribers the stored ids', async () => {
      const heard = new Map<string, number[]>();
      const stop = executions.subscribe((event) => {
        if (event.functionName === 'breaks' || event.functionName === 'seesItself')
          heard.set(event.executionId, [...(heard.get(event.executionId) ?? []), event.id]);
      });
      // Two functions, ending alike or not, all in the same turn: the inserts may share a commit.
      const runs = await Promise.all(
        Array.from({ length: 30 }, (_, i) => executions.runSync(i % 3 ? 'seesItself' : 'breaks', {})),
      );
      stop();
      assert.equal(new Set(runs.map((r) => r.id)).size, runs.length);
      for (const run of runs) {
        const stored = await other.get(run.id);
        assert.equal(stored.status, run.status);
        assert.equal(
          statusPath(stored.events),
          `created started validated running ${run.functionName === 'breaks' ? 'errored' : 'done'}`,
        );
        assert.ok(stored.events.every((e) => e.executionId === run.id));
        assert.deepEqual(
          heard.get(run.id),
          stored.events.map((e) => e.id),
          'subscribers got the ids that were stored',
        );
      }
    });

    it('records failures and timeouts with their events', async () => {
      const broken = await executions.runSync('breaks', {});
      assert.equal(broken.status, 'errored');
      const stored = await other.get(broken.id);
      assert.equal(statusPath(stored.events), 'created started validated running errored');
      assert.equal(stored.error?.message, 'broken');
      const late = await executions.runSync('overruns', {});
      assert.equal(late.status, 'errored');
      assert.equal(late.error?.type, new Timeout(30).type);
      assert.equal((await other.get(late.id)).status, 'errored');
    });
  });
}
