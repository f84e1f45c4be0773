/**
 * The JSON API contract between `server/` and `elements/`: the shapes every `/api/…` answer has.
 * Both sides import it; it imports nothing but `manifest/` types, so it is safe in a browser bundle.
 */
export { API_VERSION } from './version.js';
export {
  ExecutionStatus,
  ExecutionEventKind,
  MAX_PAGE_SIZE,
  REDACTED,
  TERMINAL_STATUSES,
  PENDING_STATUSES,
  isTerminal,
  isFinalStatus,
  isExecutionStatus,
} from './execution.js';
export type {
  Execution,
  ExecutionDetailField,
  ExecutionError,
  ExecutionEvent,
  ExecutionFields,
  ExecutionPage,
  ExecutionProgress,
  ExecutionQuery,
  ExecutionSummary,
  ExecutionWithEvents,
} from './execution.js';
export type { FunctionInfo, FunctionVersionInfo } from './functions.js';
export type { ParameterChange } from '../manifest/parameter-changes.js';
export type { NewSchedule, Schedule, ScheduleList, ScheduleSource } from './schedule.js';
export type { WebhookAttempt, WebhookDelivery, WebhookDeliveryState } from './webhooks.js';
export { TURTLE_ERROR_TYPES } from './errors.js';
export type { ErrorBody, ErrorType, FieldError, SchemaChangedDetails, TurtleErrorType } from './errors.js';
