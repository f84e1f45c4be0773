export {
  ExecutionStatus,
  TERMINAL_STATUSES,
  PENDING_STATUSES,
  isTerminal,
  isExecutionStatus,
} from '../../api/execution.js';
export { ExecutionEventKind } from '../../api/execution.js';
export type {
  Execution,
  ExecutionError,
  ExecutionEvent,
  ExecutionProgress,
  ExecutionWithEvents,
} from '../../api/execution.js';
export { pending, isPending, type Pending, type PendingOptions } from './pending.js';
export { currentExecution, type CurrentExecution } from './current-execution.js';
export { TRANSITIONS, canTransition } from './transitions.js';
export { createExecutions } from './create-executions.js';
export type {
  AdvanceOptions,
  AdvanceResult,
  ChangeOptions,
  CreateOptions,
  ExecutionListener,
  ExecutionPage,
  Executions,
  ExecutionsOptions,
  EventWithUser,
  GetOptions,
  ListEventsOptions,
  ListOptions,
  Logger,
  PendingListOptions,
  RerunOptions,
  Visibility,
} from './executions-service.js';
export type { EnqueuePort } from './hand-off.js';
export type { FinalWriteRetry } from './final-write.js';
export type { PruneOptions, PruneReport } from './retention.js';
export type { FunctionVersionRecord } from './store/knex-function-versions.js';
