/**
 * The contract suite of the Knex Agenda backend: the repository method by method, then Agenda's
 * behaviour through it. Written once, run on every database kind (see knex-backend.test.ts).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agenda, backoffStrategies, toJobId, type AgendaOptions, type Job, type JobParameters } from 'agenda';
import type { Knex } from 'knex';
import type { DatabaseKind } from '../../../server/storage/database.js';
import {
  KnexBackend,
  KnexJobRepository,
  JobNotFoundError,
  migrateAgendaTables,
} from '../../../server/scheduler/knex-backend/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

const WAIT_MS = 10_000;

/** Resolves with the args of the next `event` on `emitter`, or fails after a bounded wait. */
function next(emitter: NodeJS.EventEmitter, event: string, ms = WAIT_MS): Promise<unknown[]> {
  return once(emitter, event, { signal: AbortSignal.timeout(ms) });
}

/** Resolves after `count` occurrences of `event`, with their args, or fails after a bounded wait. */
function times(
  emitter: NodeJS.EventEmitter,
  event: string,
  count: number,
  ms = WAIT_MS,
): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    const seen: unknown[][] = [];
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`${event}: ${seen.length}/${count} within ${ms} ms`));
    }, ms);
    const listener = (...args: unknown[]) => {
      seen.push(args);
      if (seen.length === count) {
        clearTimeout(timer);
        emitter.off(event, listener);
        resolve(seen);
      }
    };
    emitter.on(event, listener);
  });
}

function job(overrides: Partial<JobParameters> = {}): JobParameters {
  return { name: 'work', priority: 0, nextRunAt: new Date(), type: 'normal', data: {}, ...overrides };
}

/** Runs the contract suite on `kind`. */
export function knexBackendContract(kind: DatabaseKind): void {
  describe(`Knex Agenda backend on ${kind}`, () => {
    let db: TestDatabase;
    let knex: Knex;
    let repo: KnexJobRepository;
    const agendas: Agenda[] = [];

    function agenda(options: Partial<AgendaOptions> = {}): Agenda {
      // A short lock lifetime: Agenda's liveness check sleeps half of it after every job, keeping the process up.
      const a = new Agenda({
        backend: new KnexBackend({ knex }),
        processEvery: 50,
        defaultLockLifetime: 2_000,
        ...options,
      });
      agendas.push(a);
      return a;
    }

    before(async () => {
      db = await createTestDatabase(kind, 'agenda');
      knex = db.knex;
      repo = new KnexJobRepository({ knex });
      await repo.connect();
    });
    beforeEach(async () => {
      await Promise.all(agendas.splice(0).map((a) => a.stop()));
      await repo.purgeAllJobs();
    });
    after(async () => {
      await Promise.all(agendas.splice(0).map((a) => a.stop()));
      await db.destroy();
    });

    describe('schema', () => {
      it('migrates idempotently, also when several processes start at once', async () => {
        await Promise.all([
          migrateAgendaTables(knex),
          migrateAgendaTables(knex),
          repo.connect(),
          repo.connect(),
        ]);
        const saved = await repo.saveJob(job(), undefined);
        assert.ok(await repo.getJobById(saved._id!));
      });
    });

    describe('repository', () => {
      it('saves a new job with an app-made id and reads every field back with milliseconds', async () => {
        const at = new Date('2030-01-02T03:04:05.678Z');
        const saved = await repo.saveJob(
          job({
            name: 'report',
            priority: 10,
            nextRunAt: at,
            data: { a: [1, 'x'], b: null },
            repeatTimezone: 'Europe/Oslo',
            repeatInterval: 60_000,
            startDate: new Date('2029-12-31T23:59:59.999Z'),
            skipDays: [0, 6],
            disabled: false,
          }),
          { lastModifiedBy: 'me' },
        );
        assert.match(saved._id!, /^[0-9a-f-]{36}$/);
        const read = await repo.getJobById(saved._id!);
        assert.equal(read!.nextRunAt!.toISOString(), at.toISOString());
        assert.equal(read!.startDate!.toISOString(), '2029-12-31T23:59:59.999Z');
        assert.deepEqual(read!.data, { a: [1, 'x'], b: null });
        assert.equal(read!.repeatInterval, 60_000);
        assert.equal(read!.repeatTimezone, 'Europe/Oslo');
        assert.deepEqual(read!.skipDays, [0, 6]);
        assert.equal(read!.priority, 10);
        assert.equal(read!.lastModifiedBy, 'me');
        assert.equal(await repo.getJobById(toJobId('00000000-0000-0000-0000-000000000000')), null);
      });

      it('updates a job by id, and hands the data back unchanged when the row is gone', async () => {
        const saved = await repo.saveJob(job({ data: { v: 1 } }), undefined);
        const updated = await repo.saveJob({ ...saved, data: { v: 2 }, priority: 5 }, undefined);
        assert.deepEqual(updated.data, { v: 2 });
        assert.equal(updated.priority, 5);
        await repo.removeJobs({ id: saved._id });
        const ghost = { ...saved, data: { v: 3 } };
        assert.equal(await repo.saveJob(ghost, undefined), ghost);
        assert.equal((await repo.queryJobs()).total, 0);
      });

      it('upserts single jobs by name and keeps a scheduled next run when the new one is already due', async () => {
        const future = new Date(Date.now() + 60_000);
        const first = await repo.saveJob(
          job({ name: 'tick', type: 'single', nextRunAt: future, repeatInterval: '1 minute' }),
          undefined,
        );
        const second = await repo.saveJob(
          job({
            name: 'tick',
            type: 'single',
            nextRunAt: new Date(Date.now() - 1000),
            repeatInterval: '2 minutes',
          }),
          undefined,
        );
        assert.equal(second._id, first._id);
        assert.equal(second.nextRunAt!.getTime(), future.getTime());
        assert.equal(second.repeatInterval, '2 minutes');
        const later = new Date(Date.now() + 120_000);
        const third = await repo.saveJob(job({ name: 'tick', type: 'single', nextRunAt: later }), undefined);
        assert.equal(third.nextRunAt!.getTime(), later.getTime());
        await Promise.all(
          [1, 2, 3].map(() => repo.saveJob(job({ name: 'race', type: 'single' }), undefined)),
        );
        assert.equal((await repo.queryJobs({ name: 'race' })).total, 1);
        assert.equal((await repo.queryJobs({ name: 'tick' })).total, 1);
      });

      it('upserts unique jobs by their unique query, insertOnly keeps the first', async () => {
        const a = await repo.saveJob(job({ data: { user: 7, v: 1 }, unique: { 'data.user': 7 } }), undefined);
        const b = await repo.saveJob(job({ data: { user: 7, v: 2 }, unique: { 'data.user': 7 } }), undefined);
        assert.equal(b._id, a._id);
        assert.deepEqual(b.data, { user: 7, v: 2 });
        const c = await repo.saveJob(
          job({ data: { user: 7, v: 3 }, unique: { 'data.user': 7 }, uniqueOpts: { insertOnly: true } }),
          undefined,
        );
        assert.deepEqual(c.data, { user: 7, v: 2 });
        const d = await repo.saveJob(job({ data: { user: 8 }, unique: { 'data.user': 8 } }), undefined);
        assert.notEqual(d._id, a._id);
        await Promise.all(
          [1, 2, 3, 4].map((v) =>
            repo.saveJob(job({ data: { user: 9, v }, unique: { 'data.user': 9 } }), undefined),
          ),
        );
        assert.equal((await repo.queryJobs({ data: { user: 9 } })).total, 1);
        await assert.rejects(
          repo.saveJob(job({ unique: { 'id; DROP TABLE x': 1 } }), undefined),
          /Invalid unique constraint field/,
        );
      });

      it('debounces unique jobs: trailing pushes the run back, maxWait forces it, leading keeps it', async () => {
        const trailing = { unique: { 'data.k': 't' }, uniqueOpts: { debounce: { delay: 5_000 } } };
        const first = await repo.saveJob(job({ data: { k: 't' }, ...trailing }), undefined);
        assert.ok(first.nextRunAt!.getTime() > Date.now() + 4_000);
        assert.ok(first.debounceStartedAt);
        const second = await repo.saveJob(job({ data: { k: 't', n: 2 }, ...trailing }), undefined);
        assert.equal(second._id, first._id);
        assert.ok(second.nextRunAt!.getTime() >= first.nextRunAt!.getTime());
        const forced = await repo.saveJob(
          job({
            data: { k: 't' },
            unique: { 'data.k': 't' },
            uniqueOpts: { debounce: { delay: 5_000, maxWait: 1 } },
          }),
          undefined,
        );
        assert.ok(forced.nextRunAt!.getTime() <= Date.now());
        const leading = {
          unique: { 'data.k': 'l' },
          uniqueOpts: { debounce: { delay: 5_000, strategy: 'leading' as const } },
        };
        const now = new Date();
        const l1 = await repo.saveJob(job({ data: { k: 'l' }, nextRunAt: now, ...leading }), undefined);
        assert.equal(l1.nextRunAt!.getTime(), now.getTime());
        const l2 = await repo.saveJob(
          job({ data: { k: 'l', n: 2 }, nextRunAt: new Date(Date.now() + 9_000), ...leading }),
          undefined,
        );
        assert.equal(l2.nextRunAt!.getTime(), now.getTime());
        assert.deepEqual(l2.data, { k: 'l', n: 2 });
      });

      it('saveJobState writes the processor fields and fails when no row matched', async () => {
        const saved = await repo.saveJob(job(), undefined);
        const lockedAt = new Date();
        await repo.saveJobState(
          {
            ...saved,
            lockedAt,
            lastRunAt: lockedAt,
            progress: 40,
            failCount: 1,
            failReason: 'boom',
            failedAt: lockedAt,
          },
          { lastModifiedBy: 'w1' },
        );
        const read = await repo.getJobById(saved._id!);
        assert.equal(read!.lockedAt!.getTime(), lockedAt.getTime());
        assert.equal(read!.progress, 40);
        assert.equal(read!.failReason, 'boom');
        assert.equal(read!.failCount, 1);
        await assert.rejects(
          repo.saveJobState({ ...saved, _id: toJobId('00000000-0000-0000-0000-000000000000') }, undefined),
          JobNotFoundError,
        );
        await assert.rejects(repo.saveJobState({ ...saved, name: 'other' }, undefined), JobNotFoundError);
      });

      it("stores a failReason that is not a string as text: JSON, an Error's message, String() of the rest", async () => {
        const saved = await repo.saveJob(job(), undefined);
        const reasons: [unknown, string][] = [
          [{}, '{}'],
          [{ code: 7, why: ['x'] }, '{"code":7,"why":["x"]}'],
          [new Error('boom'), 'boom'],
          [42, '42'],
          [10n, '10'],
        ];
        for (const [reason, text] of reasons) {
          await repo.saveJobState(
            { ...saved, failReason: reason as string, failCount: 1, failedAt: new Date() },
            undefined,
          );
          assert.equal((await repo.getJobById(saved._id!))!.failReason, text);
        }
        const updated = await repo.saveJob(
          { ...saved, failReason: { by: 'save' } as unknown as string },
          undefined,
        );
        assert.equal(updated.failReason, '{"by":"save"}');
      });

      it('reports a failed state write to onError before throwing it', async () => {
        const seen: unknown[] = [];
        const broken = new KnexJobRepository({
          knex,
          tableNames: { jobs: 'turtle_no_such_table' },
          ensureSchema: false,
          onError: (_error, context) => seen.push(context),
        });
        const id = toJobId('00000000-0000-0000-0000-000000000001');
        await assert.rejects(broken.saveJobState({ ...job(), _id: id }, undefined));
        assert.deepEqual(seen, [{ operation: 'saveJobState', jobId: String(id), jobName: 'work' }]);
        // A job that is gone is Agenda's expected case, not reported.
        const quiet = new KnexJobRepository({ knex, onError: (_error, context) => seen.push(context) });
        await assert.rejects(quiet.saveJobState({ ...job(), _id: id }, undefined), JobNotFoundError);
        assert.equal(seen.length, 1);
      });

      it('finds a unique job by its unique query among many jobs of its name, in any field order', async () => {
        for (let i = 0; i < 50; i++)
          await repo.saveJob(job({ data: { a: i, b: i }, unique: { 'data.a': i, 'data.b': i } }), undefined);
        const first = await repo.saveJob(
          job({ data: { a: 'x', b: 'y', v: 1 }, unique: { 'data.a': 'x', 'data.b': 'y' } }),
          undefined,
        );
        const again = await repo.saveJob(
          job({ data: { a: 'x', b: 'y', v: 2 }, unique: { 'data.b': 'y', 'data.a': 'x' } }),
          undefined,
        );
        assert.equal(again._id, first._id);
        assert.deepEqual(again.data, { a: 'x', b: 'y', v: 2 });
        const kept = await repo.saveJob(
          job({
            data: { a: 'x', b: 'y', v: 3 },
            unique: { 'data.a': 'x', 'data.b': 'y' },
            uniqueOpts: { insertOnly: true },
          }),
          undefined,
        );
        assert.equal(kept._id, first._id);
        assert.deepEqual(kept.data, { a: 'x', b: 'y', v: 2 });
        // The same query under another job name is another job.
        const other = await repo.saveJob(
          job({ name: 'other', data: { a: 'x', b: 'y' }, unique: { 'data.a': 'x', 'data.b': 'y' } }),
          undefined,
        );
        assert.notEqual(other._id, first._id);
        assert.equal((await repo.queryJobs({ name: 'work' })).total, 51);
      });

      it('queries with filters, computed states, sorting and paging', async () => {
        const now = Date.now();
        const ids: Record<string, string> = {};
        const add = async (key: string, p: Partial<JobParameters>, state: Partial<JobParameters> = {}) => {
          const saved = await repo.saveJob(
            job({ name: key.startsWith('b') ? 'beta' : 'alpha', ...p }),
            undefined,
          );
          if (Object.keys(state).length) await repo.saveJobState({ ...saved, ...state }, undefined);
          ids[key] = saved._id!;
        };
        await add('queued', { nextRunAt: new Date(now - 1000), data: { tag: 'x', n: 1 } });
        await add('scheduled', { nextRunAt: new Date(now + 60_000), data: { tag: 'y' } });
        await add(
          'running',
          { nextRunAt: null },
          { lockedAt: new Date(), lastRunAt: new Date(), nextRunAt: null },
        );
        await add(
          'failed',
          { nextRunAt: null },
          { failedAt: new Date(now), lastFinishedAt: new Date(now), failCount: 1, nextRunAt: null },
        );
        await add('completed', { nextRunAt: null }, { lastFinishedAt: new Date(now), nextRunAt: null });
        await add('b-repeating', { nextRunAt: new Date(now + 1000), repeatInterval: '1 minute' });
        await add('b-paused', { nextRunAt: new Date(now + 2000), disabled: true });

        const stateOf = async (state: string) =>
          (await repo.queryJobs({ state: state as never })).jobs.map((j) => j._id);
        assert.deepEqual(await stateOf('queued'), [ids.queued]);
        assert.deepEqual(await stateOf('running'), [ids.running]);
        assert.deepEqual(await stateOf('failed'), [ids.failed]);
        assert.deepEqual(await stateOf('completed'), [ids.completed]);
        assert.deepEqual(await stateOf('repeating'), [ids['b-repeating']]);
        assert.deepEqual(await stateOf('paused'), [ids['b-paused']]);
        assert.deepEqual((await stateOf('scheduled')).sort(), [ids.scheduled, ids['b-paused']].sort());

        assert.equal((await repo.queryJobs()).total, 7);
        assert.equal((await repo.queryJobs({ name: 'beta' })).total, 2);
        assert.equal((await repo.queryJobs({ names: ['alpha', 'beta'] })).total, 7);
        assert.deepEqual(
          (await repo.queryJobs({ id: ids.queued })).jobs.map((j) => j._id),
          [ids.queued],
        );
        assert.equal((await repo.queryJobs({ ids: [ids.queued!, ids.failed!] })).total, 2);
        assert.equal((await repo.queryJobs({ search: 'ET' })).total, 2);
        assert.equal((await repo.queryJobs({ search: '%' })).total, 0);
        assert.deepEqual(
          (await repo.queryJobs({ data: { tag: 'x' } })).jobs.map((j) => j._id),
          [ids.queued],
        );
        assert.equal((await repo.queryJobs({ includeDisabled: false })).total, 6);

        const sorted = await repo.queryJobs({ sort: { nextRunAt: 'asc' } });
        const times = sorted.jobs.map((j) => j.nextRunAt?.getTime() ?? Infinity);
        assert.deepEqual(
          times,
          [...times].sort((a, b) => a - b),
        );
        const page = await repo.queryJobs({ sort: { nextRunAt: 'asc' }, skip: 1, limit: 2 });
        assert.equal(page.total, 7);
        assert.deepEqual(
          page.jobs.map((j) => j._id),
          sorted.jobs.slice(1, 3).map((j) => j._id),
        );
        const statePage = await repo.queryJobs({ state: 'completed', skip: 0, limit: 1, names: ['alpha'] });
        assert.equal(statePage.total, 1);

        assert.deepEqual(await repo.getDistinctJobNames(), ['alpha', 'beta']);
        assert.equal(await repo.getQueueSize(), 1);
        const overview = await repo.getJobsOverview();
        const alpha = overview.find((o) => o.name === 'alpha')!;
        assert.deepEqual(
          { ...alpha },
          {
            name: 'alpha',
            total: 5,
            running: 1,
            scheduled: 1,
            queued: 1,
            completed: 1,
            failed: 1,
            repeating: 0,
            paused: 0,
          },
        );
        const beta = overview.find((o) => o.name === 'beta')!;
        assert.equal(beta.repeating, 1);
        assert.equal(beta.paused, 1);
      });

      it('locks a given job once, and unlocks one or many', async () => {
        const saved = await repo.saveJob(job(), undefined);
        const locked = await repo.lockJob(saved, { lastModifiedBy: 'w1' });
        assert.ok(locked?.lockedAt);
        assert.equal(await repo.lockJob(saved, undefined), undefined);
        await repo.unlockJob(saved);
        assert.equal((await repo.getJobById(saved._id!))!.lockedAt, undefined);
        const other = await repo.saveJob(job(), undefined);
        await repo.lockJob(saved, undefined);
        await repo.lockJob(other, undefined);
        await repo.unlockJobs([saved._id!, other._id!]);
        assert.equal((await repo.queryJobs({ state: 'running' })).total, 0);
        // A one-shot job being processed (next run null) keeps its lock on unlockJob.
        await repo.saveJobState({ ...saved, lockedAt: new Date(), nextRunAt: null }, undefined);
        await repo.unlockJob({ ...saved, nextRunAt: null });
        assert.ok((await repo.getJobById(saved._id!))!.lockedAt);
      });

      it('claims the next job by due time then priority, skipping disabled, future and locked jobs', async () => {
        const now = Date.now();
        const at = new Date(now - 1000);
        await repo.saveJob(job({ nextRunAt: at, priority: 0, data: 'low' }), undefined);
        await repo.saveJob(job({ nextRunAt: at, priority: 10, data: 'high' }), undefined);
        await repo.saveJob(
          job({ nextRunAt: new Date(now - 5000), priority: -10, data: 'oldest' }),
          undefined,
        );
        await repo.saveJob(
          job({ nextRunAt: new Date(now - 9000), disabled: true, data: 'disabled' }),
          undefined,
        );
        await repo.saveJob(job({ nextRunAt: new Date(now + 60_000), data: 'future' }), undefined);
        await repo.saveJob(job({ name: 'other', nextRunAt: new Date(now - 9000), data: 'other' }), undefined);
        const deadline = new Date(now - 600_000);
        const claimed: unknown[] = [];
        for (;;) {
          const next = await repo.getNextJobToRun('work', new Date(), deadline, undefined, {
            lastModifiedBy: 'w1',
          });
          if (!next) break;
          assert.ok(next.lockedAt);
          assert.equal(next.lastModifiedBy, 'w1');
          claimed.push(next.data);
        }
        assert.deepEqual(claimed, ['oldest', 'high', 'low']);
        // nextScanAt lets a job due within the next scan be claimed early.
        const soon = await repo.getNextJobToRun(
          'work',
          new Date(now + 61_000),
          deadline,
          undefined,
          undefined,
        );
        assert.equal(soon?.data, 'future');
      });

      it('claims each job exactly once under concurrent claimers', async () => {
        const count = 12;
        for (let i = 0; i < count; i++)
          await repo.saveJob(job({ data: i, nextRunAt: new Date(Date.now() - 1000) }), undefined);
        const deadline = new Date(Date.now() - 600_000);
        const claims = await Promise.all(
          Array.from({ length: 30 }, () =>
            repo.getNextJobToRun('work', new Date(), deadline, undefined, undefined),
          ),
        );
        const got = claims.filter(Boolean).map((j) => j!.data as number);
        // SKIP LOCKED may let a claimer miss a free row; it must never hand one out twice.
        assert.equal(new Set(got).size, got.length);
        let rest = 0;
        while (await repo.getNextJobToRun('work', new Date(), deadline, undefined, undefined)) rest++;
        assert.equal(got.length + rest, count);
      });

      it('claims again a job whose lock outlived the lock lifetime', async () => {
        const saved = await repo.saveJob(job({ nextRunAt: null }), undefined);
        await repo.saveJobState(
          { ...saved, lockedAt: new Date(Date.now() - 60_000), nextRunAt: null },
          undefined,
        );
        assert.equal(
          await repo.getNextJobToRun(
            'work',
            new Date(),
            new Date(Date.now() - 120_000),
            undefined,
            undefined,
          ),
          undefined,
        );
        const reclaimed = await repo.getNextJobToRun(
          'work',
          new Date(),
          new Date(Date.now() - 30_000),
          undefined,
          undefined,
        );
        assert.equal(reclaimed?._id, saved._id);
        assert.ok(reclaimed!.lockedAt!.getTime() > Date.now() - 5_000);
      });

      it('disables, enables and removes by id, name, names, notNames and data; an empty filter touches nothing', async () => {
        const a = await repo.saveJob(job({ name: 'a', data: { g: 1 } }), undefined);
        await repo.saveJob(job({ name: 'b', data: { g: 1 } }), undefined);
        await repo.saveJob(job({ name: 'c', data: { g: 2 } }), undefined);
        assert.equal(await repo.disableJobs({}), 0);
        assert.equal(await repo.removeJobs({}), 0);
        assert.equal(await repo.disableJobs({ data: { g: 1 } }), 2);
        assert.equal(
          await repo.getNextJobToRun('a', new Date(), new Date(0), undefined, undefined),
          undefined,
        );
        assert.equal(await repo.enableJobs({ name: 'a' }), 1);
        assert.equal(await repo.enableJobs({ names: ['b', 'c'] }), 2);
        assert.equal((await repo.queryJobs({ includeDisabled: false })).total, 3);
        assert.equal(await repo.disableJobs({ id: a._id }), 1);
        assert.equal(await repo.removeJobs({ notNames: ['a', 'b'] }), 1);
        assert.equal(await repo.removeJobs({ data: { g: 1 }, name: 'b' }), 1);
        assert.equal(await repo.removeJobs({ ids: [a._id!] }), 1);
        await repo.saveJob(job(), undefined);
        await repo.saveJob(job(), undefined);
        assert.equal(await repo.purgeAllJobs(), 2);
        assert.equal((await repo.queryJobs()).total, 0);
      });

      it('logs job events and queries, pages and clears them', async () => {
        const backend = new KnexBackend({ knex });
        const { logger } = backend;
        const t0 = Date.now();
        await logger.clearLogs();
        await logger.log({
          timestamp: new Date(t0),
          level: 'info',
          event: 'start',
          jobId: 'j1',
          jobName: 'work',
          message: 'job started',
        });
        await logger.log({
          timestamp: new Date(t0 + 1),
          level: 'error',
          event: 'fail',
          jobId: 'j1',
          jobName: 'work',
          message: 'job failed',
          error: 'boom',
          failCount: 1,
          meta: { x: 1 },
        });
        await logger.log({
          timestamp: new Date(t0 + 2),
          level: 'info',
          event: 'start',
          jobId: 'j2',
          jobName: 'other',
          message: 'job started',
          duration: 5,
        });
        const all = await logger.getLogs();
        assert.equal(all.total, 3);
        assert.deepEqual(
          all.entries.map((e) => e.event),
          ['start', 'fail', 'start'].reverse(),
        );
        const fails = await logger.getLogs({ level: ['error'], jobId: 'j1' });
        assert.equal(fails.entries[0]!.error, 'boom');
        assert.deepEqual(fails.entries[0]!.meta, { x: 1 });
        assert.equal(fails.entries[0]!.timestamp.getTime(), t0 + 1);
        const page = await logger.getLogs({ sort: 'asc', limit: 1, offset: 1 });
        assert.equal(page.total, 3);
        assert.equal(page.entries[0]!.event, 'fail');
        assert.equal((await logger.getLogs({ from: new Date(t0 + 1), to: new Date(t0 + 1) })).total, 1);
        assert.equal(await logger.clearLogs({ jobName: 'other' }), 1);
        assert.equal(await logger.clearLogs(), 2);
      });
    });

    describe('Agenda through the backend', () => {
      it('runs a job now, with its data, and records completion', async () => {
        const a = agenda();
        a.define('hello', async (j: Job<{ who: string }>) => {
          assert.equal(j.attrs.data.who, 'world');
        });
        await a.start();
        const done = next(a, 'complete:hello');
        const saved = await a.now('hello', { who: 'world' });
        const [finished] = (await done) as [Job];
        assert.equal(finished.attrs._id, saved.attrs._id);
        const row = await repo.getJobById(saved.attrs._id!);
        assert.ok(row!.lastFinishedAt);
        assert.equal(row!.lockedAt, undefined);
        assert.equal(row!.failedAt, undefined);
      });

      it('starts a new job at once in process through the in-memory notification channel', async () => {
        // Polling every 5 s: a start within a second can only come from the notification.
        const a = agenda({ processEvery: 5_000 });
        a.define('instant', async () => {});
        await a.start();
        const done = next(a, 'complete:instant', 1_000);
        await a.now('instant');
        await done;
      });

      it('runs a scheduled job not before its time', async () => {
        const a = agenda();
        let ranAt = 0;
        a.define('later', async () => {
          ranAt = Date.now();
        });
        await a.start();
        const done = next(a, 'complete:later');
        const due = Date.now() + 300;
        await a.schedule(new Date(due), 'later');
        await done;
        assert.ok(ranAt >= due, `ran ${due - ranAt} ms early`);
      });

      it('repeats an every() job on one row', async () => {
        const a = agenda();
        a.define('tick', async () => {});
        await a.start();
        const runs = times(a, 'complete:tick', 3);
        await a.every(100, 'tick');
        await a.every(100, 'tick');
        await runs;
        assert.equal((await repo.queryJobs({ name: 'tick' })).total, 1);
      });

      it('runs higher priorities first', async () => {
        const a = agenda({ maxConcurrency: 1, defaultConcurrency: 1 });
        const order: string[] = [];
        a.define('prio', async (j: Job<string>) => {
          order.push(j.attrs.data);
        });
        const at = new Date(Date.now() - 1000);
        for (const [data, priority] of [
          ['low', 'low'],
          ['highest', 'highest'],
          ['normal', 'normal'],
          ['high', 'high'],
        ] as const) {
          await a.create('prio', data).schedule(at).priority(priority).save();
        }
        const all = times(a, 'complete:prio', 4);
        await a.start();
        await all;
        assert.deepEqual(order, ['highest', 'high', 'normal', 'low']);
      });

      it("honours a definition's concurrency and lock limit", async () => {
        const a = agenda();
        let running = 0;
        let maxRunning = 0;
        let maxLocked = 0;
        a.define(
          'limited',
          async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            const stats = await a.getRunningStats();
            maxLocked = Math.max(maxLocked, stats.jobStatus?.limited?.locked ?? 0);
            await new Promise((r) => setTimeout(r, 30)); // the job's own work
            running--;
          },
          { concurrency: 2, lockLimit: 3 },
        );
        for (let i = 0; i < 8; i++)
          await a
            .create('limited', i)
            .schedule(new Date(Date.now() - 1000))
            .save();
        const all = times(a, 'complete:limited', 8);
        await a.start();
        await all;
        assert.equal(maxRunning, 2);
        assert.ok(maxLocked <= 3, `locked ${maxLocked}`);
      });

      it('retries a failing job with backoff until exhausted, counting failures', async () => {
        const a = agenda();
        let attempts = 0;
        a.define(
          'flaky',
          async () => {
            attempts++;
            throw new Error(`attempt ${attempts}`);
          },
          {
            backoff: backoffStrategies.constant({ delay: 50, maxRetries: 2 }),
          },
        );
        await a.start();
        const retries = times(a, 'retry:flaky', 2);
        const exhausted = next(a, 'retry exhausted:flaky');
        const saved = await a.now('flaky');
        const [[, first], [, second]] = (await retries) as [
          [unknown, { attempt: number }],
          [unknown, { attempt: number }],
        ];
        assert.equal(first.attempt, 1);
        assert.equal(second.attempt, 2);
        await exhausted;
        await next(a, 'complete:flaky');
        const row = await repo.getJobById(saved.attrs._id!);
        assert.equal(attempts, 3);
        assert.equal(row!.failCount, 3);
        assert.equal(row!.failReason, 'attempt 3');
        assert.equal((await repo.queryJobs({ state: 'failed' })).total, 1);
      });

      it('stores the reason of a job that failed with a non-Error as text and unlocks it', async () => {
        // What Agenda records when a forked job's child reports `{}`: a failReason that is an object.
        const a = agenda();
        a.define('odd', async () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- the non-Error under test
          throw {};
        });
        await a.start();
        const done = next(a, 'complete:odd');
        const saved = await a.now('odd');
        await done;
        const row = await repo.getJobById(saved.attrs._id!);
        assert.equal(row!.failReason, '{}');
        assert.equal(row!.failCount, 1);
        assert.ok(row!.failedAt);
        assert.equal(row!.lockedAt, undefined);
      });

      it('debounces and deduplicates unique jobs', async () => {
        const a = agenda();
        const seen: unknown[] = [];
        a.define('sync', async (j: Job<{ user: number; n: number }>) => {
          seen.push(j.attrs.data.n);
        });
        await a.start();
        const done = next(a, 'complete:sync');
        for (let n = 1; n <= 3; n++) await a.nowDebounced('sync', { user: 1, n }, { 'data.user': 1 }, 200);
        await done;
        assert.deepEqual(seen, [3]);
        await a.create('sync', { user: 2, n: 1 }).unique({ 'data.user': 2 }).save();
        await a.create('sync', { user: 2, n: 2 }).unique({ 'data.user': 2 }).save();
        assert.equal((await repo.queryJobs({ name: 'sync' })).total, 2);
      });

      it('does not run disabled jobs until enabled', async () => {
        const a = agenda({ maxConcurrency: 1, defaultConcurrency: 1 });
        const ran: string[] = [];
        a.define('gate', async (j: Job<string>) => {
          ran.push(j.attrs.data);
        });
        const at = new Date(Date.now() - 1000);
        await a
          .create('gate', 'off')
          .schedule(new Date(at.getTime() - 1000))
          .save();
        await a.disable({ data: 'off' });
        await a.create('gate', 'on').schedule(at).save();
        const first = next(a, 'complete:gate');
        await a.start();
        await first;
        assert.deepEqual(ran, ['on']);
        assert.equal((await a.queryJobs({ state: 'paused' })).total, 1);
        const second = next(a, 'complete:gate');
        assert.equal(await a.enable({ data: 'off' }), 1);
        await second;
        assert.deepEqual(ran, ['on', 'off']);
      });

      it('purges jobs without a definition and cancels all', async () => {
        const a = agenda();
        a.define('kept', async () => {});
        await a.schedule('in 1 hour', 'kept');
        await a.schedule('in 1 hour', 'orphan');
        assert.equal(await a.purge(), 1);
        assert.deepEqual(await repo.getDistinctJobNames(), ['kept']);
        assert.equal(await a.cancelAll(), 1);
      });

      it('drains running jobs, and stop() leaves a knex passed in open', async () => {
        const a = agenda();
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        a.define('long', async () => {
          await gate;
        });
        await a.start();
        const started = next(a, 'start:long');
        const saved = await a.now('long');
        await started;
        const draining = a.drain(WAIT_MS);
        release();
        const result = await draining;
        assert.equal(result.completed, 1);
        assert.equal(result.timedOut, false);
        assert.ok((await repo.getJobById(saved.attrs._id!))!.lastFinishedAt);
        const b = agenda();
        await b.start();
        await b.stop();
        assert.ok(await repo.getJobById(saved.attrs._id!), 'knex still usable after stop()');
        const own = new KnexBackend({ url: db.url });
        assert.equal(own.ownsConnection, true);
        await own.connect();
        await own.connect();
        await own.disconnect();
        await own.connect();
        assert.ok(await own.repository.getJobById(saved.attrs._id!));
        await own.disconnect();
      });

      it('runs again a job whose worker died holding its lock, once the lock lifetime passed', async () => {
        const saved = await repo.saveJob(job({ name: 'orphaned', nextRunAt: null, data: 'x' }), undefined);
        // As a crashed worker leaves it: locked, started, next run cleared (one-shot), never finished.
        await repo.saveJobState(
          {
            ...saved,
            lockedAt: new Date(Date.now() - 2_000),
            lastRunAt: new Date(Date.now() - 2_000),
            nextRunAt: null,
          },
          undefined,
        );
        const a = agenda({ defaultLockLifetime: 1_000 });
        a.define('orphaned', async () => {});
        const done = next(a, 'complete:orphaned');
        await a.start();
        const [finished] = (await done) as [Job];
        assert.equal(finished.attrs._id, saved._id);
      });
    });
  });
}
