export { Registry, createRegistry, registry } from './registry.js';
export type {
  AnyFunction,
  Backoff,
  ErrorShape,
  FunctionOptions,
  HookContext,
  NotifyEvent,
  NotifyOptions,
  RegisteredFunction,
  ScheduleOption,
} from './function-options.js';
export type { BindOptions, BoundFunction, BoundRegistry } from './bound-registry.js';
export type { CodeSchedule } from './code-schedules.js';
export { bindRegistry } from './bound-registry.js';
export { loadManifest, type LoadedManifest } from './load-manifest.js';
export { notifyTargets, DEFAULT_NOTIFY_ON, type NotifyTarget } from './notify-option.js';
