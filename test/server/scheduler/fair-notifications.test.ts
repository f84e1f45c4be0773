/**
 * With the default in-process notification channel, a burst of saves over many job names does not
 * starve the names saved last: 250 `agenda.now()` jobs over 10 names, `lockLimit` 150, per-definition
 * `lockLimit` 20 and `concurrency` 10 → at least 90 of the possible 100 run, as with polling only.
 * Agenda polls every 30 s and the test waits at most 12 s, so only notifications can explain a pass
 * (each run's liveness check waits half the poll interval or of the lock lifetime, whichever is
 * longer, so the file exits ~15 s after its last run). Without fair delivery
 * Agenda locks jobs name by name in save order, the first names take all 150 locks with jobs that
 * wait for their concurrency, and 80 run for ever. On SQLite and on MariaDB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agenda } from 'agenda';
import { KnexBackend } from '../../../server/scheduler/knex-backend/index.js';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../../support/databases.js';

const NAMES = Array.from({ length: 10 }, (_, i) => `burst-${i}`);
const PER_NAME = 25;
/** Far above the 2.5 s the issue asks for (a loaded machine must not fail this, starvation must), below a poll. */
const LIMIT_MS = 12_000;
const POLL_MS = 30_000;

/** Jobs that run until released, counted while they run. */
function blockingJobs() {
  let running = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const waiters = new Set<{ holds: (running: number) => boolean; resolve: () => void }>();
  const changed = () => {
    for (const w of waiters)
      if (w.holds(running)) {
        waiters.delete(w);
        w.resolve();
      }
  };
  return {
    get running() {
      return running;
    },
    async run(): Promise<void> {
      running++;
      changed();
      await released;
      running--;
      changed();
    },
    release,
    /** Resolves once the number of jobs running satisfies `holds`. */
    until(holds: (running: number) => boolean): Promise<void> {
      if (holds(running)) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ holds, resolve }));
    },
  };
}

/** Resolves with `promise`, or rejects with `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`in-process notifications on ${kind}`, () => {
    let db: TestDatabase;
    let agenda: Agenda;
    let jobs: ReturnType<typeof blockingJobs>;

    before(async () => {
      db = await createTestDatabase(kind, 'fair_notify');
      agenda = new Agenda({
        backend: new KnexBackend({ knex: db.knex }),
        processEvery: POLL_MS,
        defaultLockLifetime: POLL_MS,
        maxConcurrency: 150,
        defaultConcurrency: 10,
        lockLimit: 150,
      });
      jobs = blockingJobs();
      for (const name of NAMES) agenda.define(name, () => jobs.run(), { lockLimit: 20 });
      await agenda.start();
    });

    after(async () => {
      jobs.release();
      // Waits for the runs, and Agenda's writes after them, to end.
      await agenda.drain();
      await db.destroy();
    });

    it('starts a lone job without waiting for a poll', async () => {
      await agenda.now(NAMES[0]!);
      await within(
        jobs.until((n) => n === 1),
        LIMIT_MS,
        () => 'the lone job did not start',
      );
      const completed = new Promise((resolve) => agenda.once('complete', resolve));
      jobs.release();
      await completed;
      jobs = blockingJobs();
    });

    it('runs at least 90 of a burst of 250 saves over 10 names, saved name after name', async () => {
      const saves = NAMES.flatMap((name) => Array.from({ length: PER_NAME }, () => name));
      await Promise.all(saves.map((name) => agenda.now(name)));
      await within(
        jobs.until((n) => n >= 90),
        LIMIT_MS,
        () => `only ${jobs.running} of the burst ran after ${LIMIT_MS / 1000} s`,
      );
      assert.ok(jobs.running >= 90);
    });
  });
}
