/**
 * The public shapes of executions and their events, as the service returns them. They are what the
 * JSON API sends, so they live in `api/`; this module keeps the server's import paths.
 */
export { ExecutionEventKind } from '../../api/execution.js';
export type {
  Execution, ExecutionError, ExecutionEvent, ExecutionProgress, ExecutionWithEvents,
} from '../../api/execution.js';
