/**
 * The statuses of an execution. They are part of the JSON API contract, so they live in `api/`;
 * this module keeps the server's import paths.
 */
export { ExecutionStatus, TERMINAL_STATUSES, PENDING_STATUSES, isTerminal, isExecutionStatus } from '../../api/execution.js';
