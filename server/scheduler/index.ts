export {
  createScheduler,
  type Scheduler,
  type SchedulerOptions,
  type SchedulerWorkerOptions,
} from './create-scheduler.js';
export {
  startWorker,
  createAgenda,
  type Worker,
  type WorkerOptions,
  type DrainResult,
  type SchedulerAgenda,
} from './worker.js';
export {
  chooseNotificationChannel,
  REDIS_CHANNEL_NAME,
  type NotificationSettings,
} from './notification-channels.js';
export { FairNotificationChannel, NotificationChannelUnavailable } from './fair-notification-channel.js';
export {
  ADVANCE_JOB,
  enqueueExecution,
  sweepPending,
  type AdvanceJobData,
  type Enqueueable,
  type SweepOptions,
} from './execution-jobs.js';
export * from './knex-backend/index.js';
export { SCHEDULE_JOB, defineScheduleJob, scheduleUser, type ScheduleJobData } from './schedule-job.js';
export {
  createSchedules,
  type ScheduleDefinition,
  type ScheduleInfo,
  type Schedules,
  type SchedulesOptions,
} from './schedules-service.js';
export {
  WEBHOOK_JOB,
  WEBHOOK_CONCURRENCY,
  enqueueDelivery,
  type WebhookJobData,
  type WorkerWebhooks,
} from './webhook-jobs.js';
export {
  postgresNotificationChannel,
  isPostgresUrl,
  type PostgresChannelOptions,
} from './postgres-channel.js';
