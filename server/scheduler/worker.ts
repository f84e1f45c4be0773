/**
 * A worker: runs Agenda on the Knex backend and advances one execution per {@link ADVANCE_JOB} job.
 *
 * While an execution runs, every `cancelCheckMs` (default 0.5 s) the worker refreshes the execution's
 * heartbeat (`executions.heartbeat`) and the Agenda lock (`job.touch()`); a false heartbeat means
 * the execution was cancelled (or taken over) elsewhere, so the function's signal is aborted at once.
 * `waiting` executions and retries are rescheduled on the same Agenda job at the execution's
 * `nextRunAt` (the executions core computes the backoff and counts attempts). An Agenda lock lives as
 * long as the heartbeat ttl, so when a worker dies its job is claimed again once the heartbeat
 * expired, and the next worker takes the execution over. A worker that drains hands back what still
 * runs at once: the execution's claim is cleared and its job made due, so another worker takes it over
 * without waiting for the ttl.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  Agenda,
  backoffStrategies,
  type Job,
  type JobStateNotification,
  type JobWithId,
  type NotificationChannel,
} from 'agenda';
import type { Knex } from 'knex';
import { ExecutionNotFound } from '../errors.js';
import { scheduleRetention, type RetentionSchedule } from './retention-job.js';
import type { AdvanceResult, Executions, Logger } from '../executions/index.js';
import type { BoundRegistry } from '../registry/index.js';
import { ADVANCE_JOB, sweepPending, type AdvanceJobData } from './execution-jobs.js';
import type { FairNotificationChannel } from './fair-notification-channel.js';
import { KnexBackend, type WriteErrorContext } from './knex-backend/index.js';
import { defineScheduleJob } from './schedule-job.js';
import { startWebhookDeliveries, WEBHOOK_CONCURRENCY, type WorkerWebhooks } from './webhook-jobs.js';
import { checkWebhookSecret } from '../webhooks/webhook-settings.js';
import { ConfigError } from '../config.js';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** The database holding the executions and Agenda's jobs. */
  knex: Knex;
  /** The executions service (`createExecutions`). */
  executions: Executions;
  /** The bound registry; accepted for symmetry with `createExecutions`, which already holds it. */
  functions?: BoundRegistry;
  /** Executions run at once by this worker. Default 4. */
  concurrency?: number;
  /** This worker's id, stored on the executions it runs. Default `<host>:<pid>:<random>`. */
  workerId?: string;
  /**
   * An execution (and its Agenda lock) whose worker stopped heart-beating this long ago is taken
   * over by another worker. Default 60000.
   */
  heartbeatTtlMs?: number;
  /** How often a running execution's heartbeat is refreshed and cancellation looked for. Default 500 (so a cancel is noticed within a second). */
  cancelCheckMs?: number;
  /** How often Agenda polls the database for due jobs (other processes' jobs). Default 1000. */
  processEvery?: number;
  /** How often pending executions without a job are enqueued. Default 15000; 0 disables. */
  sweepEvery?: number;
  /**
   * Agenda's notification channel when the worker makes its own Agenda: `'memory'` (in-process),
   * `false` (polling only) or any `NotificationChannel` (e.g. Redis). Default `'memory'`.
   */
  notificationChannel?: NotificationChannel | 'memory' | false;
  /** Prune finished executions past their retention period, on a recurring job. Default: never. */
  retention?: RetentionSchedule;
  /**
   * Deliver completion webhooks (needs `functions`, whose schemas say which inputs are secrets): up to
   * `WEBHOOK_CONCURRENCY` (8) at once besides `concurrency` executions. Default: none sent by this worker.
   */
  webhooks?: WorkerWebhooks;
  /** Where failures of the scheduling machinery are logged. Default: none. */
  logger?: Logger;
  /** An Agenda on the Knex backend to run on (the scheduler's, so in-process enqueues start at once). Default: a new one. */
  agenda?: SchedulerAgenda;
}

/** What {@link Worker.drain} did. */
export interface DrainResult {
  /** True when every running execution finished within the grace period. */
  finished: boolean;
  /** Executions still running at the end of the grace period, handed back for another worker. */
  released: number;
}

/** A running worker. */
export interface Worker {
  readonly workerId: string;
  readonly agenda: Agenda;
  /**
   * Takes no new jobs, lets running executions finish within `graceMs` (default 10000) and hands
   * back those that did not: their claim is cleared (`executions.release`) and their jobs are due at
   * once, so another worker takes them over (resuming from the last checkpoint). Runs still going on
   * here can no longer record their end.
   */
  drain(graceMs?: number): Promise<DrainResult>;
  /** `drain()` with the default grace period. */
  stop(): Promise<DrainResult>;
}

interface Running {
  job: Job<AdvanceJobData>;
  /** Set on hand-back: the job's next run was decided by the drain, not by the run's outcome. */
  handedBack: boolean;
  /** Stops extending the Agenda lock (waits for a refresh under way); the execution's heartbeat stops with its run. */
  stopBeating(): Promise<void>;
}

/** The Agenda settings a worker runs with. */
function configure(
  agenda: Agenda,
  o: { workerId: string; concurrency: number; heartbeatTtlMs: number; processEvery: number },
): void {
  agenda
    .name(o.workerId)
    .processEvery(o.processEvery)
    .maxConcurrency(o.concurrency)
    .defaultConcurrency(o.concurrency)
    .defaultLockLifetime(o.heartbeatTtlMs);
}

/** An Agenda on the Knex backend and the channel it is notified through. */
export interface SchedulerAgenda {
  agenda: Agenda;
  /** The backend's channel (connected by `agenda.start()`); undefined when polling only. */
  channel: FairNotificationChannel | undefined;
}

/**
 * Makes the Agenda turtle uses on the Knex backend (not started). A failed write of a job's state,
 * which Agenda itself only reports to `debug`, is logged to `logger` when one is given.
 */
export function createAgenda(
  knex: Knex,
  notificationChannel: NotificationChannel | 'memory' | false = 'memory',
  logger?: Logger,
): SchedulerAgenda {
  const onError =
    logger &&
    ((err: unknown, context: WriteErrorContext) =>
      logger.warn({ err, ...context }, 'could not write an Agenda job'));
  const backend = new KnexBackend({ knex, notificationChannel, ...(onError && { onError }) });
  backend.notificationChannel?.on('error', (err: unknown) =>
    logger?.warn({ err }, 'notification channel error; new jobs are found by polling until it recovers'),
  );
  return { agenda: new Agenda({ backend, processEvery: 1000 }), channel: backend.notificationChannel };
}

/**
 * Starts a worker.
 * @example
 * const worker = await startWorker({ knex, executions, concurrency: 8 });
 * process.once('SIGTERM', async () => { await worker.drain(30_000); process.exit(0); });
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { knex, executions, logger } = options;
  const concurrency = positive(options.concurrency ?? 4, 'concurrency');
  const heartbeatTtlMs = positive(options.heartbeatTtlMs ?? 60_000, 'heartbeatTtlMs');
  const cancelCheckMs = Math.min(
    positive(options.cancelCheckMs ?? 500, 'cancelCheckMs'),
    Math.max(10, Math.floor(heartbeatTtlMs / 3)),
  );
  const processEvery = positive(options.processEvery ?? 1000, 'processEvery');
  const sweepEvery = options.sweepEvery ?? 15_000;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const { agenda, channel } = options.agenda ?? createAgenda(knex, options.notificationChannel, logger);
  const running = new Map<string, Running>();
  /** Jobs between their start and Agenda's `complete` (which follows its last write), by job id. */
  const inFlight = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  configure(agenda, { workerId, concurrency, heartbeatTtlMs, processEvery });
  defineScheduleJob(agenda, executions, logger);
  if (options.webhooks) {
    checkWebhookSecret(options.webhooks.secret, true);
    if (!options.functions)
      throw new ConfigError('A worker that sends webhooks needs functions (to mask secret inputs)', {
        setting: 'functions',
        value: '',
      });
    // Deliveries wait on the network: they get slots of their own rather than taking executions'.
    agenda.maxConcurrency(concurrency + WEBHOOK_CONCURRENCY);
  }
  const webhooks =
    options.webhooks &&
    startWebhookDeliveries({
      agenda,
      knex,
      executions,
      functions: options.functions!,
      webhooks: options.webhooks,
      logger,
    });
  agenda.define<AdvanceJobData>(
    ADVANCE_JOB,
    async (job) => {
      const executionId = job.attrs.data.executionId;
      let resolve!: () => void;
      inFlight.set(String(job.attrs._id), {
        promise: new Promise<void>((r) => {
          resolve = r;
        }),
        resolve,
      });
      // The execution's heartbeat (owned by `advance`) also extends the job's Agenda lock, until the
      // run is over or handed back: Agenda clears the lock after the run, a late touch would set it again.
      let touching: Promise<unknown> | undefined;
      let finished = false;
      const stopBeating = async () => {
        finished = true;
        await touching;
      };
      const onHeartbeat = () => (finished ? undefined : (touching = job.touch()));
      const entry: Running = { job, stopBeating, handedBack: false };
      running.set(executionId, entry);
      try {
        const result = await executions.advance(executionId, {
          workerId,
          heartbeatTtlMs,
          heartbeatEveryMs: cancelCheckMs,
          onHeartbeat,
        });
        await stopBeating();
        // Handed back: the drain chose when the job runs next, unless the run ended after all.
        if (entry.handedBack && result.next !== 'done') return;
        // Agenda saves nextRunAt after this returns: the same job runs again when the execution is due.
        job.attrs.nextRunAt = nextRun(result, heartbeatTtlMs);
        if (result.next === 'done') await removeJob(job);
      } catch (err) {
        await stopBeating();
        if (entry.handedBack) return;
        if (err instanceof ExecutionNotFound) {
          job.attrs.nextRunAt = null;
          await removeJob(job);
          return;
        }
        // Agenda retries with backoff (the sweep is the last resort); a run whose end could not be
        // written is not run again, the retry only writes its end.
        logger?.error({ err, executionId }, 'turtle worker: could not advance an execution; retrying later');
        throw err;
      } finally {
        running.delete(executionId);
      }
    },
    {
      concurrency,
      // Claim no more than can run, so that other workers get the rest.
      lockLimit: concurrency,
      lockLifetime: heartbeatTtlMs,
      backoff: backoffStrategies.exponential({ delay: 1000, maxRetries: 10, maxDelay: 60_000 }),
    },
  );

  // Removed here rather than with Agenda's removeOnComplete, which runs after its `complete` event:
  // a drain waiting for `complete` then knows the job's last write is done (Agenda's own final save of
  // the removed row fails quietly).
  async function removeJob(job: Job<AdvanceJobData>): Promise<void> {
    await agenda.db.removeJobs({ id: job.attrs._id });
  }

  // On `complete` (after Agenda's last write of the job): the job is no longer in flight, and since
  // Agenda refills its queue only on a poll or a notification, ask this process's Agenda for more as
  // soon as a slot frees. Completions in other processes (`remote`, through a shared channel) are theirs.
  const refill = (job: JobWithId | JobStateNotification, remote?: boolean) => {
    if (remote || !('attrs' in job)) return;
    const id = String(job.attrs._id);
    inFlight.get(id)?.resolve();
    inFlight.delete(id);
    if (channel?.state !== 'connected') return;
    void channel.notifyLocally({
      jobId: job.attrs._id,
      jobName: ADVANCE_JOB,
      nextRunAt: new Date(),
      priority: 0,
      timestamp: new Date(),
      source: workerId,
    });
  };
  agenda.on(`complete:${ADVANCE_JOB}`, refill);
  const onError = (err: Error) => logger?.error({ err }, 'turtle worker: scheduler error');
  agenda.on('error', onError);

  // Agenda connects the channel here; a channel that cannot connect (Redis unreachable) would go on
  // retrying and keep the process alive after the failed start.
  await agenda.start().catch(async (err: unknown) => {
    webhooks?.stop();
    await channel?.disconnect();
    throw err;
  });
  if (options.retention) await scheduleRetention(agenda, executions, options.retention, logger);

  const swept = (err: unknown) => {
    logger?.warn({ err }, 'turtle worker: sweep failed');
    return 0;
  };
  // Executions and webhook deliveries are swept apart: one failing does not stop the other.
  const sweep = () =>
    Promise.all([
      sweepPending({ agenda, knex, executions, heartbeatTtlMs }).catch(swept),
      webhooks?.sweep().catch(swept),
    ]);
  let sweeper: NodeJS.Timeout | undefined;
  if (sweepEvery > 0) {
    void sweep();
    sweeper = setInterval(() => void sweep(), sweepEvery);
    sweeper.unref();
  }

  let draining: Promise<DrainResult> | undefined;
  const drain = (graceMs = 10_000): Promise<DrainResult> =>
    (draining ??= (async () => {
      if (sweeper) clearInterval(sweeper);
      webhooks?.stop();
      // Stops polling and releases jobs locked but not started; running ones go on.
      await agenda.stop(false);
      const all = Promise.all([...inFlight.values()].map((f) => f.promise));
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        all.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      agenda.off(`complete:${ADVANCE_JOB}`, refill);
      agenda.off('error', onError);
      if (finished) return { finished, released: 0 };
      // Hand back what still runs: stop heart-beating, clear the execution's claim (only if still ours)
      // and make its job due now, so another worker takes it over at once (from its last checkpoint).
      const left = [...running.entries()];
      await Promise.all(left.map(([, r]) => r.stopBeating()));
      await Promise.all(
        left.map(async ([executionId, r]) => {
          r.handedBack = true;
          const released = await executions.release(executionId, workerId).catch((err: unknown) => {
            logger?.warn({ err, executionId }, 'turtle worker: could not hand an execution back');
            return false;
          });
          // Not released (the store failed, or the run just ended): due once its heartbeat has expired.
          const due = new Date(released ? Date.now() : Date.now() + heartbeatTtlMs);
          // Also on the job itself: Agenda saves it once more if the run ends before this process does.
          Object.assign(r.job.attrs, { lockedAt: undefined, nextRunAt: due });
          await agenda.db
            .saveJobState({ ...r.job.attrs }, undefined)
            .catch((err: unknown) =>
              logger?.warn({ err, executionId }, 'turtle worker: could not release a job'),
            );
        }),
      );
      return { finished, released: left.length };
    })());

  return { workerId, agenda, drain, stop: () => drain() };
}

/** When the execution's job should run next, from what `advance` did. */
function nextRun(result: AdvanceResult, heartbeatTtlMs: number): Date | null {
  const at = result.execution.nextRunAt ? new Date(result.execution.nextRunAt) : null;
  switch (result.next) {
    case 'done':
      return null;
    case 'wait':
    case 'retry':
      return at ?? new Date();
    case 'not-claimed':
      // Not due yet, or another worker holds it: look again when it is due or its heartbeat expired.
      return at && at.getTime() > Date.now() ? at : new Date(Date.now() + heartbeatTtlMs);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
