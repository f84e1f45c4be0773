/**
 * Schedules as Agenda's repeating jobs on the Knex backend: two workers on one database fire a due
 * schedule once per time, a firing is an ordinary execution (user `schedule:<id>`, `scheduleId`,
 * listed by schedule), missed times fire once, a paused schedule does not fire and resumes at its
 * next time after now, code-defined schedules are kept in step from several processes at once.
 * Time is not waited for: a test makes a schedule due by moving its job's `next_run_at` into the past.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Executions } from '../../../server/executions/index.js';
import { createRegistry } from '../../../server/registry/registry.js';
import type { BoundRegistry } from '../../../server/registry/index.js';
import {
  createAgenda,
  createSchedules,
  createScheduler,
  SCHEDULE_JOB,
  startWorker,
  type Schedules,
  type Worker,
} from '../../../server/scheduler/index.js';
import { ScheduleNotFound, IllegalScheduleChange, ValidationError } from '../../../server/errors.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, manifestForRegistry } from '../../support/manifests.js';

const HOUR = 3_600_000;
const JOBS = 'turtle_agenda_jobs';

for (const kind of DATABASE_KINDS) {
  describe(`schedules on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    let functions: BoundRegistry;
    let schedules: Schedules;
    const workers: Worker[] = [];
    const registry = createRegistry();
    registry.add(
      function report(day: string) {
        return day;
      },
      {
        schedules: [{ cron: '0 3 * * *', timezone: 'Europe/Berlin', input: { day: 'mon' } }],
      },
    );
    const specs = { report: { properties: { day: { type: 'string' as const } }, required: ['day'] } };

    /** Makes schedule `id` due `agoMs` ago, as if its time had come while nothing ran. */
    async function makeDue(id: string, agoMs = 1000): Promise<void> {
      const { _id } = await jobOf(id);
      await db
        .knex(JOBS)
        .where({ id: _id })
        .update({ next_run_at: Date.now() - agoMs });
    }
    async function jobOf(id: string): Promise<{ _id: string; next_run_at: number }> {
      const rows = (await db.knex(JOBS).where({ name: SCHEDULE_JOB })) as {
        id: string;
        data: string;
        next_run_at: string | number;
      }[];
      const row = rows.find((r) => (JSON.parse(r.data) as { scheduleId: string }).scheduleId === id)!;
      return { _id: row.id, next_run_at: Number(row.next_run_at) };
    }
    /** Firings started and completed, by every worker of this file. */
    const count = { started: 0, completed: 0 };
    let caughtUp: (() => void) | undefined;
    let waiting: { completed: number; resolve: () => void } | undefined;
    /** Resolves on the next firing completed by any worker (one already started or not). */
    function nextFiring(): Promise<void> {
      return new Promise((resolve) => (waiting = { completed: count.completed + 1, resolve }));
    }
    async function addWorker(): Promise<void> {
      const worker = await startWorker({
        knex: db.knex,
        executions,
        processEvery: 20,
        sweepEvery: 0,
        heartbeatTtlMs: 5000,
        notificationChannel: false,
      });
      worker.agenda.on(`start:${SCHEDULE_JOB}`, () => count.started++);
      worker.agenda.on(`complete:${SCHEDULE_JOB}`, () => {
        count.completed++;
        if (waiting && count.completed >= waiting.completed) waiting.resolve();
        if (count.completed === count.started) caughtUp?.();
      });
      workers.push(worker);
    }
    /** Stops the workers (no new claims) and resolves once every firing they started has completed. */
    async function stopWorkers(): Promise<void> {
      await Promise.all(workers.splice(0).map((w) => w.drain()));
      if (count.completed < count.started) await new Promise<void>((resolve) => (caughtUp = resolve));
    }
    const firedBy = async (id: string) => (await executions.list({ scheduleId: id, fields: 'full' })).items;

    before(async () => {
      db = await createTestDatabase(kind, 'schedules');
      executions = await executionsFor(db, registry, specs);
      functions = registry.bind(manifestForRegistry(registry, specs), { manifestDir: process.cwd() });
      await createScheduler.migrate(db.knex);
      schedules = createSchedules({ agenda: createAgenda(db.knex, false).agenda, functions });
    });
    after(async () => {
      await Promise.all(workers.map((w) => w.drain(0)));
      await db.destroy();
    });

    it('keeps code-defined schedules in step, once, from several processes at once', async () => {
      const others = [0, 1].map(() =>
        createSchedules({ agenda: createAgenda(db.knex, false).agenda, functions }),
      );
      await Promise.all([schedules, ...others].map((s) => s.syncFromCode()));
      const [code] = await schedules.list();
      assert.equal((await schedules.list()).length, 1);
      assert.deepEqual(
        { ...code, nextRunAt: undefined },
        {
          id: 'report.1',
          functionName: 'report',
          cron: '0 3 * * *',
          timezone: 'Europe/Berlin',
          input: { day: 'mon' },
          source: 'code',
          paused: false,
          nextRunAt: undefined,
          lastRunAt: null,
        },
      );
      // 03:00 in Berlin is 01:00 or 02:00 UTC.
      assert.ok([1, 2].includes(code!.nextRunAt!.getUTCHours()));
      assert.ok(code!.nextRunAt!.getTime() > Date.now());

      // Paused, and due since long: a restart changes neither (the missed time still fires once).
      await schedules.pause('report.1');
      await makeDue('report.1', 3 * HOUR);
      const due = (await jobOf('report.1')).next_run_at;
      await others[0]!.syncFromCode();
      assert.equal((await schedules.get('report.1')).paused, true);
      assert.equal((await jobOf('report.1')).next_run_at, due);
      await assert.rejects(schedules.remove('report.1'), IllegalScheduleChange);
      await schedules.resume('report.1');
    });

    it('fires a due schedule once per time across two workers, as an ordinary execution', async () => {
      await addWorker();
      await addWorker();
      const before = count.started;
      const s = await schedules.create({ functionName: 'report', cron: '0 * * * *', input: { day: 'tue' } });
      for (let round = 1; round <= 3; round++) {
        const fired = nextFiring();
        await makeDue(s.id);
        await fired;
        assert.equal((await firedBy(s.id)).length, round);
        assert.ok((await jobOf(s.id)).next_run_at > Date.now(), 'its next time is ahead again');
      }
      // Stopped, with nothing left running in either worker: every start was a firing counted above.
      await stopWorkers();
      assert.equal(count.started - before, 3);
      const runs = await firedBy(s.id);
      assert.equal(runs.length, 3);
      for (const run of runs) {
        assert.equal(run.user, `schedule:${s.id}`);
        assert.equal(run.scheduleId, s.id);
        assert.deepEqual(run.input, { day: 'tue' });
      }
      assert.equal((await executions.list({ user: `schedule:${s.id}` })).items.length, 3);
      await schedules.remove(s.id);
    });

    it('fires once for all the times missed while no worker ran; a paused one not at all', async () => {
      const missed = await schedules.create({
        functionName: 'report',
        cron: '*/5 * * * *',
        input: { day: 'w' },
      });
      const paused = await schedules.create({
        functionName: 'report',
        cron: '*/5 * * * *',
        input: { day: 'p' },
      });
      await schedules.pause(paused.id);
      // The paused one is due first, so a worker that ignored the pause would claim it first.
      await makeDue(paused.id, 3 * 24 * HOUR);
      await makeDue(missed.id, 24 * HOUR);
      const before = count.started;
      const fired = nextFiring();
      await addWorker();
      await fired;
      await stopWorkers();
      assert.equal(count.started - before, 1);
      assert.equal((await firedBy(missed.id)).length, 1, 'one catch-up run for 288 missed times');
      assert.equal((await firedBy(paused.id)).length, 0);
      const next = (await schedules.get(missed.id)).nextRunAt!.getTime();
      assert.ok(next > Date.now() && next <= Date.now() + 5 * 60_000);

      // Resumed: the next time after now, not the three days it was paused.
      assert.equal((await schedules.get(paused.id)).nextRunAt, null);
      await assert.rejects(schedules.pause(paused.id), IllegalScheduleChange);
      const resumed = await schedules.resume(paused.id);
      assert.equal(resumed.paused, false);
      assert.ok(resumed.nextRunAt!.getTime() > Date.now());
      await assert.rejects(schedules.resume(paused.id), IllegalScheduleChange);
    });

    it('deletes a schedule, and refuses bad definitions naming what is wrong', async () => {
      const s = await schedules.create({ functionName: 'report', cron: '@daily', input: { day: 'x' } });
      await schedules.remove(s.id);
      await assert.rejects(schedules.get(s.id), ScheduleNotFound);
      await assert.rejects(schedules.remove(s.id), ScheduleNotFound);
      assert.ok(!(await schedules.list()).some((x) => x.id === s.id));
      await assert.rejects(
        schedules.create({ functionName: 'report', cron: '61 * * * *', timezone: 'Mars/Base', input: {} }),
        (err: ValidationError) => {
          assert.deepEqual(err.details.errors.map((e) => e.path).sort(), [
            '/cron',
            '/input/day',
            '/timezone',
          ]);
          return true;
        },
      );
    });
  });
}
