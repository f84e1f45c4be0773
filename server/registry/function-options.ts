/**
 * What `registry.add(fn, options)` accepts: naming, form overrides and the lifecycle hooks (the
 * seed's overridable `_validate_inputs`, `update`/`get_current_state`, `cancel`, `handle_error_response`).
 */
import type { ExecutionMode, WidgetOverride } from '../../manifest/manifest.js';

/** Any function that can be registered. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => unknown;

/** What every hook receives about the execution it is called for. */
export interface HookContext {
  /** The execution's id. */
  id: string;
  /** The registered name of the function. */
  functionName: string;
  /** The validated inputs (defaults applied, dates as ISO strings). */
  input: Record<string, unknown>;
  /** Who created the execution. */
  user: string | null;
  /** Aborts when the execution is cancelled or times out. */
  signal: AbortSignal;
}

/** The stored shape of an error, as `onError` may return it. */
export interface ErrorShape {
  type?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** Backoff between retries: a fixed policy or a function of the attempt that failed (1-based). */
export type Backoff =
  | {
      /** Milliseconds before the first retry. Default 1000. */
      delay?: number;
      /** Multiplier per further retry. Default 2. */
      factor?: number;
      /** Upper bound in milliseconds. Default 300000 (5 minutes). */
      max?: number;
    }
  | ((attempt: number) => number);

/** The ends of an execution a completion webhook can report. */
export type NotifyEvent = 'done' | 'errored' | 'cancelled';

/** A completion webhook of one function: a signed POST of the finished execution to `url`. */
export interface NotifyOptions {
  /** The receiver, `http://` or `https://`. Required. */
  url: string;
  /** Which ends are sent. Default `['done', 'errored']`. */
  on?: readonly NotifyEvent[];
}

/** Options of `registry.add` / `registry.addSync`. Every field is optional. */
export interface FunctionOptions<State = unknown> {
  /** The name the function is registered (and called) under. Default: `fn.name`. */
  name?: string;
  /** A human title for forms and lists. Default: none (the UI shows the name). */
  title?: string;
  /**
   * Per-parameter widget overrides, e.g. `{ body: 'textarea', level: { widget: 'range', help: 'How loud' } }`
   * (manifest/widgets.ts says which widget fits which type); they win over the manifest's. Must be a
   * literal: `turtle schema` reads it. Default: none.
   */
  widgets?: Record<string, WidgetOverride>;
  /**
   * Runs between `started` and `validated` with the schema-valid inputs: throw (any error, or a
   * `ValidationError`) to reject them. Default: none.
   */
  validate?: (input: Record<string, unknown>, context: HookContext) => void | Promise<void>;
  /**
   * Called for a `waiting` execution with the state the function (or the last poll) returned in
   * `pending(state)`: return the result, `pending(newState, { after })` again, or throw.
   * Default: none — the function itself is called again, with `currentExecution().state` set.
   */
  poll?: (state: State, context: HookContext) => unknown;
  /** Called after the execution was cancelled, to stop work in an external system. Default: none. */
  cancel?: (state: State | null, context: HookContext) => void | Promise<void>;
  /**
   * Shapes the stored error (the seed's `handle_error_response`): return fields to override the
   * default `{ type: error.name, message: error.message, details: error.details ?? {} }`, or nothing.
   * Default: none.
   */
  onError?: (error: unknown, context: HookContext) => ErrorShape | void | Promise<ErrorShape | void>;
  /**
   * How many times a failed background run is retried, resuming from the last checkpoint. A run whose
   * worker died (no heartbeat) is taken over and resumed too, counting an attempt; one such takeover
   * is allowed beyond `retries`, after that the execution errors with `WorkerLost`. Runs in the
   * request (`runSync`) are never retried. Default 0.
   */
  retries?: number;
  /** Wait between retries. Default `{ delay: 1000, factor: 2, max: 300000 }`. */
  backoff?: Backoff;
  /**
   * Milliseconds a run may take before its signal aborts and it errors with `Timeout`.
   * Default: 30000 for `addSync`, none for `add`.
   */
  timeout?: number;
  /**
   * How long this function's finished executions are kept before retention deletes them: `90d`,
   * `12h`, `30m` or `forever`. Default: the server's `TURTLE_RETENTION` (itself `forever` by default).
   */
  retention?: string;
  /** Milliseconds to wait before polling again when `pending()` gave no `after`. Default 5000. */
  pollEvery?: number;
  /**
   * Run the function at fixed times with fixed inputs, e.g.
   * `[{ cron: '0 3 * * *', timezone: 'Europe/Berlin', input: { reportId: 3 } }]`. Each becomes the
   * schedule `<name>.<n>` (n from 1, in this order), created at server start and kept in step with
   * this option; its inputs are checked by `turtle schema` and at start. Must be a literal (`turtle
   * schema` reads it without running the code). Default: none.
   */
  schedules?: ScheduleOption[];
  /**
   * Completion webhooks of this function, besides the server-wide `TURTLE_WEBHOOK_URLS`: one or a
   * list of `{ url, on }`. Run-time configuration (read from the running code, never written to the
   * manifest). Needs `TURTLE_WEBHOOK_SECRET`. Default: none.
   * @example registry.add(resend, { notify: { url: process.env.RESEND_HOOK!, on: ['errored'] } })
   */
  notify?: NotifyOptions | readonly NotifyOptions[];
}

/** One entry of {@link FunctionOptions.schedules}. */
export interface ScheduleOption {
  /** A cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first, or `@daily`-style. */
  cron: string;
  /** The IANA time zone the cron's times are read in. Default `UTC`. */
  timezone?: string;
  /** The inputs of every firing. Default `{}`. */
  input?: Record<string, unknown>;
}

/** A function as the registry holds it. */
export interface RegisteredFunction<State = unknown> {
  /** The registered name. */
  name: string;
  fn: AnyFunction;
  mode: ExecutionMode;
  options: FunctionOptions<State>;
}
