/**
 * Real `turtle worker` processes: a worker stopped with SIGTERM whose execution outlives the grace
 * period hands it back, and another worker takes it over at once. The heartbeat ttl is ten minutes,
 * so a takeover within the test can only come from the hand-back.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { EFFECTS, startWorkerFleet, until, type WorkerFleet } from './support/worker-fleet.js';

const ENV = {
  TURTLE_HEARTBEAT_TTL_MS: '600000',
  TURTLE_SHUTDOWN_GRACE_MS: '200',
  TURTLE_POLL_MS: '200',
  TURTLE_SWEEP_MS: '0',
  LOG_LEVEL: 'error',
};

for (const kind of DATABASE_KINDS) {
  describe(`hand-back on SIGTERM, on ${kind}`, { timeout: 180_000 }, () => {
    let fleet: WorkerFleet;
    before(async () => {
      fleet = await startWorkerFleet(kind, 'handback', ENV);
    });
    after(() => fleet.close());

    it('lets another worker take over at once, long before the heartbeat ttl', async () => {
      const { knex, executions, api, worker } = fleet;
      const first = await worker();
      const execution = await executions.create('stall', {});
      await api.enqueue(execution);
      await until(
        async () =>
          (await knex(EFFECTS).where({ execution_id: execution.id, pid: first.child.pid })).length === 1,
        60_000,
        'the first worker started it',
      );
      const second = await worker();
      const exited = once(first.child, 'exit');
      first.child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0);
      assert.match(first.output(), /handed back 1 running execution/);
      await until(
        async () => {
          const row = await knex(EXECUTIONS_TABLE).where({ id: execution.id }).first('status');
          return row?.status === 'done';
        },
        60_000,
        'taken over by the second worker and done',
      );
      const result = await executions.get(execution.id);
      assert.equal(result.output, 'attempt 2');
      assert.ok(
        result.events.some((e) => e.kind === 'takeover'),
        'the takeover is on the timeline',
      );
      const runs = await knex(EFFECTS).where({ execution_id: execution.id }).select('pid');
      assert.deepEqual(runs.map((r) => r.pid).sort(), [first.child.pid, second.child.pid].sort());
      const stopped = once(second.child, 'exit');
      second.child.kill('SIGTERM');
      assert.deepEqual(await stopped, [0, null]);
    });
  });
}
