/**
 * Real `turtle worker` processes: a worker stopped with SIGTERM whose execution outlives the grace
 * period hands it back, and another worker takes it over at once. The heartbeat ttl is ten minutes,
 * so a takeover within the test can only come from the hand-back.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { createRegistry } from '../../../server/registry/registry.js';
import { loadManifest } from '../../../server/registry/load-manifest.js';
import { createExecutions, type Executions } from '../../../server/executions/index.js';
import { createScheduler, migrateAgendaTables, type Scheduler } from '../../../server/scheduler/index.js';
import { migrate } from '../../../server/storage/migrate.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { ROOT, spawnTurtle } from '../../support/cli.js';

const FIXTURES = path.join(ROOT, 'test/server/scheduler/fixtures');
const EFFECTS = 'turtle_test_effects';
const ENV = { TURTLE_HEARTBEAT_TTL_MS: '600000', TURTLE_SHUTDOWN_GRACE_MS: '200', TURTLE_POLL_MS: '200', TURTLE_SWEEP_MS: '0', LOG_LEVEL: 'error' };

for (const kind of DATABASE_KINDS) {
  describe(`hand-back on SIGTERM, on ${kind}`, { timeout: 180_000 }, () => {
    let db: TestDatabase;
    let knex: Knex;
    let executions: Executions;
    let api: Scheduler;
    const children = new Set<ChildProcess>();

    /** Starts `turtle worker` and resolves once it says it runs. */
    async function worker(): Promise<{ child: ChildProcess; output: () => string }> {
      const child = spawnTurtle(
        ['worker', '--functions', path.join(FIXTURES, 'functions.ts'), '--manifest', path.join(FIXTURES, 'turtle.schema.json')],
        { env: { ...process.env, DATABASE_URL: db.url, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.add(child);
      child.once('exit', () => children.delete(child));
      let output = '';
      child.stderr!.on('data', (d) => { output += d; });
      child.stdout!.on('data', (d) => { output += d; });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s: ${output}`)), 60_000);
        const onData = () => {
          if (!output.includes('running')) return;
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve();
        };
        child.stdout!.on('data', onData);
        child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited ${code}: ${output}`)); });
      });
      return { child, output: () => output };
    }

    /** Polls the database until `condition` holds, at most `ms`. */
    async function until(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
      const deadline = Date.now() + ms;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 100)); // the other processes write; we look again, bounded by the deadline
      }
    }

    before(async () => {
      db = await createTestDatabase(kind, 'handback');
      knex = db.knex;
      await migrate(knex);
      await migrateAgendaTables(knex);
      await knex.schema.createTable(EFFECTS, (t) => {
        t.increments('id');
        t.string('execution_id', 36).notNullable().index();
        t.integer('pid').notNullable();
      });
      const registry = createRegistry();
      registry.add(function record(n: number) { return n; });
      registry.add(function stall() { return ''; });
      const { manifest, manifestDir } = await loadManifest(path.join(FIXTURES, 'turtle.schema.json'));
      executions = createExecutions({ knex, functions: registry.bind(manifest, { manifestDir }) });
      api = createScheduler({ knex, executions });
    });

    after(async () => {
      for (const child of children) child.kill('SIGKILL');
      await db.destroy();
    });

    it('lets another worker take over at once, long before the heartbeat ttl', async () => {
      const first = await worker();
      const execution = await executions.create('stall', {});
      await api.enqueue(execution);
      await until(async () => (await knex(EFFECTS).where({ execution_id: execution.id, pid: first.child.pid })).length === 1, 60_000, 'the first worker started it');
      const second = await worker();
      const exited = once(first.child, 'exit');
      first.child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
      assert.match(first.output(), /handed back 1 running execution/);
      await until(async () => {
        const row = await knex(EXECUTIONS_TABLE).where({ id: execution.id }).first('status');
        return row?.status === 'done';
      }, 60_000, 'taken over by the second worker and done');
      const result = await executions.get(execution.id);
      assert.equal(result.output, 'attempt 2');
      assert.ok(result.events.some((e) => e.kind === 'takeover'), 'the takeover is on the timeline');
      const runs = await knex(EFFECTS).where({ execution_id: execution.id }).select('pid');
      assert.deepEqual(runs.map((r) => r.pid).sort(), [first.child.pid, second.child.pid].sort());
      const stopped = once(second.child, 'exit');
      second.child.kill('SIGTERM');
      assert.deepEqual(await stopped, [0, null]);
    });
  });
}
