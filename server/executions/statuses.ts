/**
 * The statuses of an execution, as in the seed: `created → started → validated → running →
 * done | errored | cancelled`, plus `waiting` ("still work to do: look again later").
 */

/** Every status an execution can have. */
export const ExecutionStatus = {
  created: 'created',
  started: 'started',
  validated: 'validated',
  running: 'running',
  waiting: 'waiting',
  done: 'done',
  errored: 'errored',
  cancelled: 'cancelled',
} as const;

/** One of {@link ExecutionStatus}. */
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

/** Statuses an execution never leaves. */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['done', 'errored', 'cancelled'];

/** Statuses of executions a scheduler still has to advance (every non-terminal status). */
export const PENDING_STATUSES: readonly ExecutionStatus[] = ['created', 'started', 'validated', 'running', 'waiting'];

/** Whether `status` is one an execution never leaves. */
export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** Whether `status` is one of {@link ExecutionStatus}. */
export function isExecutionStatus(status: unknown): status is ExecutionStatus {
  return typeof status === 'string' && Object.hasOwn(ExecutionStatus, status);
}
