/**
 * `createScheduler`: what `turtle serve` wires in. One Agenda on the Knex backend, used to enqueue
 * new executions and (with `startWorker()`) to run them in the same process, where the in-process
 * notification channel starts a new execution at once. With a shared channel (Redis) each enqueue
 * is also announced to the workers of other processes, so they start it without waiting for a poll.
 */
import type { Knex } from 'knex';
import type { Agenda, NotificationChannel } from 'agenda';
import type { Executions, Logger } from '../executions/index.js';
import { enqueueExecution, sweepPending, type Enqueueable } from './execution-jobs.js';
import { migrateAgendaTables } from './knex-backend/index.js';
import { createAgenda, startWorker, type DrainResult, type Worker, type WorkerOptions } from './worker.js';

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  knex: Knex;
  executions: Executions;
  /** Where failures are logged. Default: none. */
  logger?: Logger;
  /**
   * Agenda's notification channel: `'memory'`, `false` or any `NotificationChannel` (e.g. Redis; see
   * `chooseNotificationChannel`). Connected at once, disconnected by `stop()`. Default `'memory'`.
   */
  notificationChannel?: NotificationChannel | 'memory' | false;
}

/** Options of {@link Scheduler.startWorker}: those of `startWorker` minus what the scheduler holds. */
export type SchedulerWorkerOptions = Omit<
  WorkerOptions,
  'knex' | 'executions' | 'agenda' | 'notificationChannel'
>;

/** The scheduler. */
export interface Scheduler {
  /** The Agenda it enqueues on (e.g. for `createSchedules`); its worker, once started, runs on it. */
  readonly agenda: Agenda;
  /**
   * Resolves once enqueues are announced on the notification channel; rejects when it cannot connect
   * (e.g. Redis unreachable: enqueues still work, other processes find the jobs by polling).
   */
  readonly ready: Promise<void>;
  /** Makes the execution's job due at its `nextRunAt` (now when null); call right after `create`/`rerun`. */
  enqueue(execution: Enqueueable): Promise<void>;
  /** Starts the in-process worker (at most one per scheduler). */
  startWorker(options?: SchedulerWorkerOptions): Promise<Worker>;
  /** Enqueues pending executions that have no live job; returns how many. */
  sweep(): Promise<number>;
  /** Drains the worker, if one runs, within `graceMs` (default 10000), and disconnects the channel; true when nothing was left running. */
  stop(graceMs?: number): Promise<boolean>;
}

/**
 * Creates the scheduler.
 * @example
 * const scheduler = createScheduler({ knex, executions });
 * await scheduler.startWorker({ concurrency: 4 });
 * const execution = await executions.create('resend', { reportId: 3 });
 * await scheduler.enqueue(execution);
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { knex, executions, logger } = options;
  const scheduled = createAgenda(knex, options.notificationChannel, logger);
  const { agenda, channel } = scheduled;
  // Agenda connects its channel only when a worker starts it; an enqueue-only process (serve
  // --no-worker) still has to announce its saves, so connect now (connecting twice is a no-op).
  const ready = channel ? channel.connect() : Promise.resolve();
  ready.catch((err: unknown) =>
    logger?.warn(
      { err },
      'turtle scheduler: notification channel not connected; other processes will find new jobs by polling',
    ),
  );
  let worker: Promise<Worker> | undefined;
  let heartbeatTtlMs = 60_000;
  return {
    agenda,
    ready,
    async enqueue(execution) {
      // A save before the channel is connected is not announced; wait for it (or its failure) once.
      await ready.catch(() => {});
      await enqueueExecution(agenda, execution);
    },
    startWorker(workerOptions = {}) {
      heartbeatTtlMs = workerOptions.heartbeatTtlMs ?? heartbeatTtlMs;
      worker ??= startWorker({ logger, ...workerOptions, knex, executions, agenda: scheduled });
      return worker;
    },
    sweep: () => sweepPending({ agenda, knex, executions, heartbeatTtlMs }),
    async stop(graceMs) {
      const result: DrainResult | undefined = worker && (await (await worker).drain(graceMs));
      await channel?.disconnect();
      return result?.finished ?? true;
    },
  };
}

/** Creates the scheduler's tables (for `turtle migrate`); the backend also creates them when missing. */
createScheduler.migrate = (knex: Knex): Promise<void> => migrateAgendaTables(knex);
