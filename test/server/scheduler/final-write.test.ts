/**
 * A worker whose write of a run's end fails does not run the function again: a real, passing lock
 * (SQLite: another connection holding `BEGIN EXCLUSIVE`; MariaDB: another transaction holding the
 * row, its blocked write interrupted with `KILL QUERY`) delays the write until the retry succeeds;
 * a database refusing every end makes Agenda retry the job, and the retry only writes the end.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { createRegistry } from '../../../server/registry/registry.js';
import { currentExecution, type Executions } from '../../../server/executions/index.js';
import { createScheduler, type Scheduler } from '../../../server/scheduler/index.js';
import { databaseTimeoutMs, openDatabase } from '../../../server/storage/database.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';
import { gate, nextEvent, type Gate } from '../../support/executions.js';
import { installWriteFaults, type WriteFaults } from '../../support/write-faults.js';

/** A second, raw better-sqlite3 connection (the part this test uses; the package ships no types). */
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
  exec(sql: string): void;
  close(): void;
};

for (const kind of DATABASE_KINDS) {
  describe(`a worker whose final write fails, on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    let faults: WriteFaults;
    let scheduler: Scheduler | undefined;
    const runs = new Map<string, number>();
    const started = new Map<string, Gate>();
    const proceed = new Map<string, Gate>();
    /** Called with every log entry; a test hooks in to act when something is logged. */
    let onLog: (level: string, object: Record<string, unknown>, message?: string) => void = () => {};
    const logger = {
      warn: (object: object, message?: string) => onLog('warn', object as Record<string, unknown>, message),
      error: (object: object, message?: string) => onLog('error', object as Record<string, unknown>, message),
    };
    const registry = createRegistry();
    registry.add(async function gated(key: string) {
      runs.set(key, (runs.get(key) ?? 0) + 1);
      started.get(key)?.open();
      await proceed.get(key)?.promise;
      return { key, attempt: currentExecution().attempt };
    });

    before(async () => {
      db = await createTestDatabase(kind, 'workerwrite');
      executions = await executionsFor(
        db,
        registry,
        { gated: { properties: { key: { type: 'string' } } } },
        {
          logger,
          finalWriteRetry: { attempts: 4, delayMs: 50 },
        },
      );
      faults = await installWriteFaults(db.knex);
    });
    afterEach(async () => {
      onLog = () => {};
      await scheduler?.stop(2_000);
      scheduler = undefined;
    });
    after(() => db.destroy());

    async function start(): Promise<Scheduler> {
      scheduler = createScheduler({ knex: db.knex, executions, logger });
      await scheduler.startWorker({ processEvery: 200, sweepEvery: 0, heartbeatTtlMs: 3_000 });
      return scheduler;
    }

    const finished = (id: string) =>
      nextEvent(
        executions,
        (e) => e.executionId === id && ['done', 'errored', 'cancelled'].includes(e.to ?? ''),
        30_000,
      );

    /** Blocks writes of the execution's row from another connection; resolves to the function that ends the block. */
    async function lockRow(
      id: string,
    ): Promise<{ release: () => Promise<void>; interrupt: () => Promise<void> }> {
      if (kind === 'sqlite') {
        const lock = new Database(db.url.slice('sqlite:'.length));
        lock.exec('BEGIN EXCLUSIVE');
        return {
          release: async () => {
            lock.exec('COMMIT');
            lock.close();
          },
          interrupt: async () => {},
        };
      }
      const other = openDatabase(db.url);
      const trx = await other.transaction();
      await trx(EXECUTIONS_TABLE).where({ id }).forUpdate().select('id');
      const database = path.basename(new URL(db.url).pathname);
      return {
        async release() {
          await trx.rollback();
          await other.destroy();
        },
        // The worker's write of the end waits on the lock: interrupt it, as a failover would.
        async interrupt() {
          const deadline = Date.now() + 20_000;
          for (;;) {
            const rows =
              kind === 'postgres'
                ? (
                    await other.raw<{ rows: Array<{ id: number }> }>(
                      "SELECT pid AS id FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid() AND query LIKE '%output_json%' AND wait_event_type = 'Lock'",
                      [database],
                    )
                  ).rows
                : (
                    (await other.raw(
                      "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID() AND INFO LIKE '%output_json%'",
                      [database],
                    )) as [Array<{ id: number }>]
                  )[0];
            if (rows.length > 0) {
              for (const { id: thread } of rows)
                await other.raw(kind === 'postgres' ? 'SELECT pg_cancel_backend(?)' : 'KILL QUERY ?', [
                  thread,
                ]);
              return;
            }
            if (Date.now() > deadline) throw new Error('the final write never waited on the lock');
            await new Promise((r) => setTimeout(r, 20)); // polling the server's process list, bounded by the deadline
          }
        },
      };
    }

    it('writes the end once a passing lock is gone: the function ran once, the execution is done with its output', async () => {
      const s = await start();
      const key = `lock-${kind}`;
      started.set(key, gate());
      proceed.set(key, gate());
      // Short waits on a locked SQLite file (the one pooled connection), so the first try fails fast.
      if (kind === 'sqlite') await db.knex.raw('PRAGMA busy_timeout = 50');
      const execution = await executions.create('gated', { key });
      const end = finished(execution.id);
      await s.enqueue(execution);
      await within(started.get(key)!.promise, 10_000, 'the function started');
      const lock = await lockRow(execution.id);
      const firstTryFailed = gate();
      onLog = (level, object, message) => {
        if (level === 'warn' && object.executionId === execution.id && message?.includes('end of a run'))
          firstTryFailed.open();
      };
      proceed.get(key)!.open();
      await lock.interrupt();
      await within(firstTryFailed.promise, 20_000, 'the first write of the end failed');
      await lock.release();
      const { execution: result } = await end;
      if (kind === 'sqlite') await db.knex.raw(`PRAGMA busy_timeout = ${databaseTimeoutMs(db.knex)}`);
      assert.equal(result.status, 'done');
      assert.deepEqual(result.output, { key, attempt: 1 });
      assert.equal(result.attempts, 1);
      assert.equal(runs.get(key), 1);
      const stored = await executions.get(execution.id);
      assert.deepEqual(stored.output, { key, attempt: 1 });
      assert.ok(!stored.events.some((e) => e.kind === 'takeover'));
    });

    it("when no end can be written, Agenda's retry writes it once the database is back, without running the function again", async () => {
      const s = await start();
      const key = `down-${kind}`;
      const execution = await executions.create('gated', { key });
      const end = finished(execution.id);
      const workerFailed = gate();
      onLog = (level, object, message) => {
        if (level === 'error' && object.executionId === execution.id && message?.startsWith('turtle worker'))
          workerFailed.open();
      };
      await faults.fail('done', 'errored');
      try {
        await s.enqueue(execution);
        await within(workerFailed.promise, 20_000, 'the worker logged its failure');
        assert.equal(runs.get(key), 1);
      } finally {
        await faults.heal();
      }
      const { execution: result } = await end;
      assert.equal(result.status, 'done');
      assert.deepEqual(result.output, { key, attempt: 1 });
      assert.equal(result.attempts, 1);
      assert.equal(runs.get(key), 1);
      assert.ok(!(await executions.get(execution.id)).events.some((e) => e.kind === 'takeover'));
    });
  });
}

/** `promise`, or a rejection naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
