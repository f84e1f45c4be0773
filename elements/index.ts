/**
 * The turtle-shell elements. Importing this module defines `<turtle-form>`, `<turtle-executions>`,
 * `<turtle-execution>`, `<turtle-schedules>` and `<turtle-functions>` (each element module defines its own tag); the server serves it bundled at
 * `/turtle/elements.js`.
 *
 * @example
 * <script type="module" src="https://turtle.example.org/turtle/elements.js"></script>
 * <turtle-form fn="deidentify"></turtle-form>
 */
export {
  TurtleForm,
  type TurtleExecutionDetail,
  type TurtleUpdateDetail,
  type TurtleErrorDetail,
} from './turtle-form/turtle-form.js';
export { TurtleExecutions, type TurtleSelectDetail } from './turtle-executions/turtle-executions.js';
export { TurtleExecution, type TurtleEditRequest } from './turtle-execution/turtle-execution.js';
export { TurtleSchedules, type TurtleScheduleChangeDetail } from './turtle-schedules/turtle-schedules.js';
export { TurtleFunctions, type TurtleFunctionSelectDetail } from './turtle-functions/turtle-functions.js';
export type { TurtleEventMap } from './internal/turtle-element.js';
export { ApiClient, type ApiClientOptions } from './internal/api-client.js';
export { TurtleApiError } from './internal/api-error.js';
export { ExecutionStatus } from '../api/index.js';
export type {
  Execution,
  ExecutionEvent,
  ExecutionPage,
  ExecutionProgress,
  ExecutionSummary,
  FunctionInfo,
  FieldError,
  Schedule,
} from '../api/index.js';
