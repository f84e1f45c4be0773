/**
 * The contract of the executions service (the seed's `ExecutionResultManager` plus the lifecycle
 * methods of `ExecutionResult`): what the HTTP API, the scheduler and the CLI call.
 */
import type { Knex } from 'knex';
import type { FilterValue } from '../../manifest/filterable.js';
import type { BoundRegistry } from '../registry/bound-registry.js';
import type { FinalWriteRetry } from './final-write.js';
import type { EnqueuePort } from './hand-off.js';
import type { PruneOptions, PruneReport } from './retention.js';
import type { FunctionVersionRecord } from './store/knex-function-versions.js';
import type {
  Execution,
  ExecutionEvent,
  ExecutionFields,
  ExecutionPage,
  ExecutionStatus,
  ExecutionWithEvents,
} from '../../api/execution.js';

export type { ExecutionPage };

/** A minimal logger (pino's shape); the service logs hook failures it cannot store elsewhere. */
export interface Logger {
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Options of `createExecutions`. */
export interface ExecutionsOptions {
  /** The database, opened with `openDatabase(url)` and migrated (`migrate(knex)`). */
  knex: Knex;
  /** The registry bound to the manifest. */
  functions: BoundRegistry;
  /** Where hook failures are logged. Default: none (silent). */
  logger?: Logger | undefined;
  /** Minimum milliseconds between two stored progress/checkpoint writes of one execution. Default 250. */
  progressThrottleMs?: number | undefined;
  /**
   * The most bytes (UTF-8 length of the JSON text) a function's result, pending state, checkpoint or
   * error may take. Checked before writing: over it the execution errors with `OutputTooLarge`
   * (`details.bytes`, `details.limit`); a `checkpoint()` over it throws `OutputTooLarge` to the
   * function and keeps the last state. Default 1048576 (1 MB).
   */
  maxOutputBytes?: number | undefined;
  /**
   * The most bytes (UTF-8 length of the JSON text) an input may take: over it `create`, `runSync` and
   * `rerun` throw a `ValidationError` (keyword `maxBytes`) and store nothing. Default 1048576 (1 MB,
   * the default HTTP body limit).
   */
  maxInputBytes?: number | undefined;
  /**
   * How the write that ends a run's step is tried again while the database fails, before the
   * execution errors with `StorageUnavailable` instead (the function is never run again for it).
   * Default `{ attempts: 4, delayMs: 250 }` (waits of 0.25, 1 and 4 s).
   */
  finalWriteRetry?: FinalWriteRetry | undefined;
  /**
   * Receives every background execution `submit` creates and every background `rerun` (e.g. the
   * scheduler); a failed `enqueue` is logged, not thrown (the scheduler's sweep picks the execution
   * up). The scheduler is created with the service, so pass a port that forwards to it:
   * `{ enqueue: (execution) => scheduler.enqueue(execution) }`. Default none: background executions
   * stay `created` until a sweep or a worker picks them up.
   */
  scheduler?: EnqueuePort | undefined;
  /**
   * Completion webhooks of every function's `done` and `errored` ends (`TURTLE_WEBHOOK_URLS`),
   * besides each function's `notify`. Stored with each end; a worker started with `webhooks`
   * delivers them. Default none.
   */
  webhookUrls?: readonly string[] | undefined;
}

/** Options of `create` and `runSync`. */
export interface CreateOptions {
  /** Who asks; stored with the execution. Default null. */
  user?: string | null;
  /**
   * A caller-chosen key (at most 200 characters): a second create with the same key by the same user,
   * for the same function and input (compared as validated JSON), returns the first execution,
   * unchanged; `runSync` waits for a first run still in progress to end (at most the function's
   * timeout). Another function or input under a used key throws `IdempotencyKeyReused`. Default: none.
   */
  idempotencyKey?: string | null;
  /** The schedule firing this execution (see `server/schedules`). Default null. */
  scheduleId?: string | null;
}

/**
 * Which executions a caller may see: only those of this user (`null`: only those without a user).
 * Another's is reported as `ExecutionNotFound`, so that ids do not leak. Default: all.
 */
export interface Visibility {
  visibleTo?: string | null;
}

/** Options of `get`. */
export interface GetOptions extends Visibility {
  /** Also read the execution's events. Default true. */
  events?: boolean;
  /** Also read its completion webhooks (`deliveries`, with their attempts), with its events. Default false. */
  deliveries?: boolean;
}

/** Options of `cancel` and `rerun`. */
export interface ChangeOptions extends Visibility {
  /** Who asks; stored with the cancel event, or as the rerun's user. Default: none (a rerun keeps the original's user). */
  user?: string | null;
}

/** Options of `rerun`. */
export interface RerunOptions extends ChangeOptions {
  /**
   * Start from the original's last checkpoint (`currentExecution().state`, as a retry does) instead
   * of from scratch. Only for an errored execution with a stored state; otherwise `rerun` throws
   * `NotResumable` (`details.reason`: `not-errored` or `no-checkpoint`). Default false.
   */
  resume?: boolean;
}

/** Options of `advance`. */
export interface AdvanceOptions {
  /** Identifies the worker process claiming the execution. */
  workerId: string;
  /**
   * Aborting it aborts the running function (e.g. when the worker shuts down); the run then counts as
   * a failed attempt (retried while `retries` allow). Default: none.
   */
  signal?: AbortSignal;
  /**
   * An execution `running` on another worker whose heartbeat is older than this is taken over
   * (counted as an attempt, resumed from its state). While running, `advance` itself refreshes the
   * heartbeat every third of it. Default 60000.
   */
  heartbeatTtlMs?: number;
  /**
   * How often the running execution's heartbeat is refreshed (and a cancel elsewhere noticed), when
   * more often than a third of `heartbeatTtlMs`, the default. This is the execution's only heartbeat.
   */
  heartbeatEveryMs?: number;
  /** Called after each refreshed heartbeat, e.g. to extend the worker's own lease on the job. */
  onHeartbeat?: () => unknown;
}

/** What `advance` did. */
export interface AdvanceResult {
  /** The execution as it is after this step. */
  execution: Execution;
  /**
   * `done`: it reached a terminal status; `wait`: it is waiting, look again at `nextRunAt`;
   * `retry`: an attempt failed and will be retried at `nextRunAt`; `not-claimed`: another worker
   * holds it, or it is not due yet.
   */
  next: 'done' | 'wait' | 'retry' | 'not-claimed';
}

/** Filters and page of `list`. */
export interface ListOptions {
  functionName?: string;
  status?: ExecutionStatus;
  user?: string;
  /** Only executions fired by this schedule. */
  scheduleId?: string;
  /** Inclusive lower bound of `createdAt` (ISO string or Date). */
  createdAfter?: string | Date;
  /** Exclusive upper bound of `createdAt` (ISO string or Date). */
  createdBefore?: string | Date;
  /** Page size, 1 to 500. Default 50. */
  limit?: number;
  /**
   * Only executions whose input has exactly these values, by `@filterable` parameter name (all must
   * match). Needs `functionName`. Values are typed, or text read as the parameter's schema says
   * (`"42"` for a number, `"true"` for a boolean, an enum member by its value). An unknown or
   * non-filterable name, or a value that does not fit, is a `ValidationError` naming `/input/<name>`.
   * Default: none.
   */
  input?: Readonly<Record<string, FilterValue>>;
  /** The `next` of the previous page. */
  cursor?: string | null;
  /**
   * `summary`: items without `input`, `output`, `state` and `traceback` (not even read from the
   * database); `full`: whole executions. Default `summary`.
   */
  fields?: ExecutionFields;
}

/** Options of `pending`. */
export interface PendingListOptions {
  /** At most this many, 1 to 10000. Default 100. */
  limit?: number;
  /** A worker whose heartbeat is older than this no longer holds its execution. Default 60000. */
  heartbeatTtlMs?: number;
}

/** Options of `listEvents`. */
export interface ListEventsOptions {
  /** Only events with a greater id (an SSE `Last-Event-ID`). Default 0. */
  afterId?: number;
  executionId?: string;
  functionName?: string;
  /** Only events of executions by this user (`null`: executions without one). Default: any user. */
  user?: string | null;
  /**
   * Also the events with these ids, though not after `afterId` (ids a reader skipped because they were
   * not committed yet when it read past them; at most 1000). Default none.
   */
  missingIds?: readonly number[];
  /** Each event also carries its execution's `user` (see {@link EventWithUser}). Default false. */
  withUser?: boolean;
  /** At most this many, 1 to 1000. Default 100. */
  limit?: number;
}

/** An event with the user of its execution, from `listEvents({ withUser: true })`: for filtering, not for sending. */
export type EventWithUser = ExecutionEvent & { user: string | null };

/** Called with every change this process makes, at once. */
export type ExecutionListener = (event: ExecutionEvent, execution: Execution) => void;

/** The executions service. */
export interface Executions {
  /**
   * Validates `input` and stores a new execution as `created`.
   * @throws UnknownFunction, ValidationError
   */
  create(functionName: string, input: unknown, options?: CreateOptions): Promise<Execution>;
  /**
   * Creates and runs an execution to its end in this call (for `addSync` functions, and any
   * function run in the request), bounded by the function's `timeout` (default 30 s). The execution
   * is stored, claimed by this process with its events (`running`, or `started` before `validate`),
   * before the function starts;
   * if the process dies, it stays on record and is taken over once its heartbeat is stale.
   * @returns the finished execution: `done` or `errored` (with type `Timeout` on timeout).
   * @throws UnknownFunction, ValidationError (nothing is stored then); a database error when the
   *   execution cannot be stored (the function does not start)
   */
  runSync(functionName: string, input: unknown, options?: CreateOptions): Promise<Execution>;
  /**
   * What an API call to run a function does: a sync function (`addSync`) is run in this call like
   * `runSync` and returned finished; a background one is stored `created` like `create` and handed
   * to the `scheduler` port (not again when an idempotency key replays it). The execution's `mode`
   * tells which it was.
   * @throws UnknownFunction, ValidationError, IdempotencyKeyReused
   */
  submit(functionName: string, input: unknown, options?: CreateOptions): Promise<Execution>;
  /**
   * Claims a pending execution for `workerId` and runs its next step(s). A step whose end this
   * process could not write is not run again: the call only writes its end (which this process also
   * tries again on its own, refreshing the heartbeat, every 1 s doubling to 15 s until written).
   * @throws ExecutionNotFound, StorageUnavailable (a run's end could not be written; try again later)
   */
  advance(id: string, options: AdvanceOptions): Promise<AdvanceResult>;
  /** Refreshes the heartbeat; false when the execution is no longer this worker's, or was cancelled. */
  heartbeat(id: string, workerId: string): Promise<boolean>;
  /**
   * Hands a running execution back (a worker shutting down): clears its worker and heartbeat if it is
   * still `workerId`'s, so another worker takes it over at once instead of after the heartbeat ttl.
   * The run still going on here can no longer record its end. @returns whether it was `workerId`'s
   */
  release(id: string, workerId: string): Promise<boolean>;
  /**
   * Cancels a non-terminal execution: aborts its signal (in this process; other workers notice at
   * their next heartbeat) and calls the function's `cancel` hook.
   * @throws ExecutionNotFound (also for one not `visibleTo`), IllegalTransition (already finished)
   */
  cancel(id: string, options?: ChangeOptions): Promise<Execution>;
  /**
   * A new execution with the same inputs (validated again, against the function's current schema)
   * and `rerunOf` set, by `user` (default: the original's user). A background function's rerun is
   * `created` and handed to the `scheduler` port; a sync function's is run at once, like `runSync`,
   * and returned finished. With `resume`, it starts from the original's stored state (its `created`
   * event says `{ resumedFrom }`).
   * @throws ExecutionNotFound (also for one not `visibleTo`), NotResumable, UnknownFunction,
   *   SchemaChanged (the stored inputs no longer fit: nothing is run), ValidationError (input size)
   */
  rerun(id: string, options?: RerunOptions): Promise<Execution>;
  /**
   * Stores the version of every bound function in `turtle_function_versions` (a version already
   * there keeps its first row, so processes starting at once write each version once). Done once per
   * service; the first create waits for it, and `openRuntime` calls it at start-up.
   */
  recordVersions(): Promise<void>;
  /**
   * The manifest entry function `functionName` had under `version` (an execution's `functionVersion`),
   * also for a function no longer registered.
   * @throws FunctionVersionNotFound
   */
  functionVersion(functionName: string, version: string): Promise<FunctionVersionRecord>;
  /**
   * One execution, with its events unless `events: false`. Visibility is checked on the execution's
   * row, before any event is read. @throws ExecutionNotFound (also for one not `visibleTo`)
   */
  get(id: string, options: GetOptions & { events: false }): Promise<Execution>;
  get(id: string, options?: GetOptions): Promise<ExecutionWithEvents>;
  /** Whole executions newest first. @throws ValidationError for a bad cursor, limit or date */
  list(options: ListOptions & { fields: 'full' }): Promise<ExecutionPage<Execution>>;
  /** Executions newest first, as summaries unless `fields: 'full'`. @throws ValidationError for a bad cursor, limit or date */
  list(options?: ListOptions): Promise<ExecutionPage>;
  /**
   * Executions a scheduler must advance: non-terminal, due (`nextRunAt` null or past) and held by no
   * live worker (no heartbeat within `heartbeatTtlMs`, default 60000), oldest first; `limit` 1 to
   * 10000, default 100. Includes sync-mode executions stranded by a crash, so nothing is lost.
   */
  pending(options?: PendingListOptions): Promise<Execution[]>;
  /** Events in id order, for Server-Sent Events across processes. */
  listEvents(options: ListEventsOptions & { withUser: true }): Promise<EventWithUser[]>;
  listEvents(options?: ListEventsOptions): Promise<ExecutionEvent[]>;
  /** The id of the newest event stored (0 when there is none): one `MAX(id)`. */
  newestEventId(): Promise<number>;
  /**
   * Deletes finished executions older than their retention period (`defaultMs`, or the function's
   * `retention` option) with their events, in batches; never a pending one. `dryRun` only counts.
   */
  prune(options?: PruneOptions): Promise<PruneReport>;
  /** Listens to changes made by this process. @returns the function that stops listening */
  subscribe(listener: ExecutionListener): () => void;
}
