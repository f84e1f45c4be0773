export { createScheduler, type Scheduler, type SchedulerOptions, type SchedulerWorkerOptions } from './create-scheduler.js';
export { startWorker, createAgenda, type Worker, type WorkerOptions, type DrainResult } from './worker.js';
export { ADVANCE_JOB, enqueueExecution, sweepPending, type AdvanceJobData, type Enqueueable, type SweepOptions } from './execution-jobs.js';
export * from './knex-backend/index.js';
export { postgresNotificationChannel, isPostgresUrl, type PostgresChannelOptions } from './postgres-channel.js';
