/**
 * `createScheduler`: what `turtle serve` wires in. One Agenda on the Knex backend, used to enqueue
 * new executions and (with `startWorker()`) to run them in the same process, where the in-process
 * notification channel starts a new execution at once.
 */
import type { Knex } from 'knex';
import type { NotificationChannel } from 'agenda';
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
  /** Agenda's notification channel: `'memory'`, `false` or any `NotificationChannel` (e.g. Redis). Default `'memory'`. */
  notificationChannel?: NotificationChannel | 'memory' | false;
}

/** Options of {@link Scheduler.startWorker}: those of `startWorker` minus what the scheduler holds. */
export type SchedulerWorkerOptions = Omit<WorkerOptions, 'knex' | 'executions' | 'agenda' | 'notificationChannel'>;

/** The scheduler. */
export interface Scheduler {
  /** Makes the execution's job due at its `nextRunAt` (now when null); call right after `create`/`rerun`. */
  enqueue(execution: Enqueueable): Promise<void>;
  /** Starts the in-process worker (at most one per scheduler). */
  startWorker(options?: SchedulerWorkerOptions): Promise<Worker>;
  /** Enqueues pending executions that have no live job; returns how many. */
  sweep(): Promise<number>;
  /** Drains the worker, if one runs, within `graceMs` (default 10000); true when nothing was left running. */
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
  const agenda = createAgenda(knex, options.notificationChannel, logger);
  let worker: Promise<Worker> | undefined;
  let heartbeatTtlMs = 60_000;
  return {
    enqueue: (execution) => enqueueExecution(agenda, execution),
    startWorker(workerOptions = {}) {
      heartbeatTtlMs = workerOptions.heartbeatTtlMs ?? heartbeatTtlMs;
      worker ??= startWorker({ logger, ...workerOptions, knex, executions, agenda });
      return worker;
    },
    sweep: () => sweepPending({ agenda, knex, executions, heartbeatTtlMs }),
    async stop(graceMs) {
      if (!worker) return true;
      const result: DrainResult = await (await worker).drain(graceMs);
      return result.finished;
    },
  };
}

/** Creates the scheduler's tables (for `turtle migrate`); the backend also creates them when missing. */
createScheduler.migrate = (knex: Knex): Promise<void> => migrateAgendaTables(knex);
