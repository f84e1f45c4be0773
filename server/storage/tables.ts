/** Table names of the executions store; all prefixed `turtle_` so a user's database stays tidy. */

/** One row per execution. */
export const EXECUTIONS_TABLE = 'turtle_executions';
/** The timeline: one row per status change, progress report or checkpoint. */
export const EVENTS_TABLE = 'turtle_execution_events';
/** Knex's record of applied migrations (and, suffixed `_lock`, its lock). */
export const MIGRATIONS_TABLE = 'turtle_migrations';
/** Every version of every function's manifest entry the server has bound (see `function-version.ts`). */
export const FUNCTION_VERSIONS_TABLE = 'turtle_function_versions';
/** Completion webhooks: one row per execution end and receiver (migration 005). */
export const WEBHOOK_DELIVERIES_TABLE = 'turtle_webhook_deliveries';
/** Every POST tried for a delivery. */
export const WEBHOOK_ATTEMPTS_TABLE = 'turtle_webhook_attempts';
