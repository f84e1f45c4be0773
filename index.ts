/**
 * turtle-shell: what a function author imports.
 *
 * @example
 * import { registry, type Integer } from 'turtle-shell';
 * export function resend(reportId: Integer) { … }
 * registry.add(resend);
 */
export type { Integer, Text, Secret } from './manifest/field-types.js';
export type {
  Manifest,
  ManifestFunction,
  ExecutionMode,
  CallStyle,
  Schema,
  Widget,
  WidgetOverride,
} from './manifest/manifest.js';
export { MANIFEST_VERSION, MANIFEST_FILE, SchemaKeyword } from './manifest/manifest.js';
export { registry, createRegistry, Registry } from './server/registry/index.js';
export type {
  FunctionOptions,
  HookContext,
  ErrorShape,
  Backoff,
  AnyFunction,
  NotifyOptions,
  NotifyEvent,
} from './server/registry/index.js';
export { currentExecution, pending, ExecutionStatus } from './server/executions/index.js';
export type {
  CurrentExecution,
  Pending,
  PendingOptions,
  Execution,
  ExecutionEvent,
} from './server/executions/index.js';
export {
  TurtleError,
  ValidationError,
  UnknownFunction,
  ExecutionNotFound,
  IllegalTransition,
  Timeout,
  Cancelled,
  OutputNotSerializable,
  ManifestMismatch,
} from './server/errors.js';
