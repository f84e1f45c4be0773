/**
 * The executions service: creating executions, running them through the lifecycle on this process
 * (in the request with `runSync`, or one step at a time for a worker with `advance`), and reading
 * them back. Every status change goes through `transition()`.
 */
import os from 'node:os';
import type { Knex } from 'knex';
import { Cancelled, ExecutionNotFound, IllegalTransition, OutputTooLarge, StorageUnavailable, Timeout } from '../errors.js';
import type { BoundFunction, BoundRegistry } from '../registry/bound-registry.js';
import type { HookContext } from '../registry/function-options.js';
import { atomically, type Statement } from '../storage/atomic.js';
import { columnsFor, detectJsonParsedByDriver, type Columns } from '../storage/columns.js';
import { InsertBatches } from '../storage/insert-batches.js';
import { readRow } from '../storage/read-row.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../storage/tables.js';
import { HEARTBEAT_TTL_MS, invalidOption, listExecutionEvents, listExecutions, newestEventId, pendingExecutions } from './execution-queries.js';
import { runInExecution, type CurrentExecution } from './current-execution.js';
import { newExecutionId } from './execution-id.js';
import { RunAbort } from './run-abort.js';
import { shapeError, type DescribedError } from './error-shape.js';
import { toEvent, toExecution, type ExecutionRow } from './execution-rows.js';
import type {
  AdvanceOptions, AdvanceResult, ChangeOptions, CreateOptions, EventWithUser, ExecutionListener, ExecutionPage, Executions, ExecutionsOptions,
  GetOptions, ListEventsOptions, ListOptions, Logger, PendingListOptions, Visibility,
} from './executions-service.js';
import { handOff, type EnqueuePort } from './hand-off.js';
import { isPending, type Pending } from './pending.js';
import { ProgressWriter, type ProgressSink } from './progress-writer.js';
import { isTerminal, PENDING_STATUSES, type ExecutionStatus } from '../../api/execution.js';
import { checkStorableInput, toStorableOutput } from './storable-output.js';
import { toWellFormed } from '../well-formed-text.js';
import { awaitAnswer, checkSameRequest } from './idempotent-retry.js';
import { checkInputSize, DEFAULT_MAX_BYTES, jsonBytes, oversizeOutput } from './output-size.js';
import { FINAL_WRITE_RETRY, isRetryable, isTooLargeForDatabase, writeWithRetries, type FinalWriteRetry } from './final-write.js';
import { UnwrittenEnds } from './unwritten-ends.js';
import { creationParts, planCreation, transition, type Transition } from './transitions.js';
import { decideClaim, startPath, type ClaimView } from './claim-decision.js';
import type { WaitKind } from './wait-kind.js';
import { decideOutcome, type OutcomePolicy, type StepEnd } from './outcome-decision.js';
import type { Execution, ExecutionEvent, ExecutionProgress, ExecutionSummary, ExecutionWithEvents } from '../../api/execution.js';

/** Default `timeout` of functions run in the request. */
const SYNC_TIMEOUT_MS = 30_000;
const MAX_KEY_LENGTH = 200;
const MAX_USER_LENGTH = 191;
/** The most rows `create` keeps for `advance` to claim without reading them back. */
const MAX_UNCLAIMED = 256;

/**
 * Creates the executions service over a migrated database and a bound registry.
 * @example
 * const { manifest, manifestDir } = await loadManifest('turtle.schema.json');
 * const knex = openDatabase();
 * await migrate(knex);
 * const executions = createExecutions({ knex, functions: registry.bind(manifest, { manifestDir }) });
 * const run = await executions.runSync('lookup', { id: 3 });
 */
export function createExecutions(options: ExecutionsOptions): Executions {
  return new ExecutionService(options);
}

/** What `#run` needs besides the claimed row. */
interface RunControl {
  workerId: string;
  signal?: AbortSignal;
  ttlMs: number;
  timeoutMs?: number;
  /** False in the request: a failure errors at once. */
  allowRetry: boolean;
}

/** A status change that ends a run's step (its result, pending state, retry or error). */
type FinalMove = Omit<Transition, 'id' | 'functionName'>;

class ExecutionService implements Executions {
  readonly #knex: Knex;
  readonly #functions: BoundRegistry;
  readonly #logger: Logger | undefined;
  readonly #scheduler: EnqueuePort | undefined;
  readonly #throttleMs: number;
  readonly #listeners = new Set<ExecutionListener>();
  /** Executions running in this process, to abort them on cancel. */
  readonly #running = new Map<string, RunAbort>();
  readonly #syncWorkerId = `sync:${os.hostname()}:${process.pid}`;
  /**
   * Rows this service created and has not claimed yet, as inserted: a created row with no worker
   * changes only by changing status, so the claim's conditional update (status `created`, no worker,
   * no heartbeat) proves it still holds, and `advance` needs no read. A stale entry just loses that
   * update, and `advance` starts over from a read.
   */
  readonly #unclaimed = new Map<string, ExecutionRow>();
  /**
   * Runs in the request without an idempotency key are pure inserts of fresh rows: concurrent ones
   * share one transaction (group commit), each caller waiting for its commit before its function starts.
   */
  readonly #records: InsertBatches;
  readonly #maxOutputBytes: number;
  readonly #maxInputBytes: number;
  readonly #finalWriteRetry: FinalWriteRetry;
  /**
   * Runs that ended in this process whose end could not be written, by execution id: the next
   * `advance` writes it instead of running the function again (and it is tried again on its own).
   */
  readonly #unwritten = new UnwrittenEnds<{ row: ExecutionRow; move: FinalMove }>((id) => this.#retryUnwritten(id));
  #columns: Columns | undefined;
  #columnsReady: Promise<Columns> | undefined;
  /** Codecs for rows built in this process (JSON still encoded as text, whatever the driver does). */
  #localColumns: Columns | undefined;

  constructor(options: ExecutionsOptions) {
    this.#knex = options.knex;
    this.#functions = options.functions;
    this.#logger = options.logger;
    this.#scheduler = options.scheduler;
    this.#throttleMs = options.progressThrottleMs ?? 250;
    this.#records = new InsertBatches(options.knex);
    this.#maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_BYTES;
    this.#maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_BYTES;
    this.#finalWriteRetry = options.finalWriteRetry ?? FINAL_WRITE_RETRY;
  }

  // ── writing ──────────────────────────────────────────────────────────────────────────────────

  async create(functionName: string, input: unknown, options: CreateOptions = {}): Promise<Execution> {
    return (await this.#create(this.#functions.require(functionName), input, options)).execution;
  }

  async runSync(functionName: string, input: unknown, options: CreateOptions = {}): Promise<Execution> {
    const fn = this.#functions.require(functionName);
    return this.#runSyncValidated(fn, checkStorableInput(fn.validateInput(input)), options, null);
  }

  async submit(functionName: string, input: unknown, options: CreateOptions = {}): Promise<Execution> {
    const fn = this.#functions.require(functionName);
    if (fn.mode === 'sync') return this.#runSyncValidated(fn, checkStorableInput(fn.validateInput(input)), options, null);
    const { execution, existing } = await this.#create(fn, input, options);
    // A replay was handed off by the first call (or, if that failed, is left to the sweep).
    if (!existing) await handOff(this.#scheduler, execution, this.#logger);
    return execution;
  }

  async advance(id: string, options: AdvanceOptions): Promise<AdvanceResult> {
    if (this.#unwritten.get(id)) return this.#writeUnwritten(id);
    const columns = await this.#cols();
    const remembered = this.#unclaimed.get(id);
    if (remembered) this.#unclaimed.delete(id);
    const row = remembered ? { ...remembered } : await this.#row(id);
    const now = Date.now();
    const ttlMs = options.heartbeatTtlMs ?? HEARTBEAT_TTL_MS;
    const fn = this.#functions.get(row.func_name as string);
    const decision = decideClaim(claimView(row, columns), {
      now, workerId: options.workerId, ttlMs, runsHere: this.#running.has(id),
      fn: fn && { validates: Boolean(fn.options.validate), retries: fn.options.retries ?? 0 },
    });
    if (decision.kind === 'done' || decision.kind === 'not-claimed') return { execution: this.#snapshot(row), next: decision.kind };
    // The row must still be as we read it: same worker (or none) and same heartbeat.
    const unchanged = { worker_id: row.worker_id ?? null, heartbeat_at: row.heartbeat_at ?? null };
    if (decision.kind === 'give-up') return this.#finishUnclaimable(row, decision.error, decision.reason === 'worker-lost' ? unchanged : undefined);
    const claimed = fn!; // only an execution whose function is registered is claimed
    const control: RunControl = { workerId: options.workerId, signal: options.signal, ttlMs, timeoutMs: claimed.options.timeout ?? (claimed.mode === 'sync' ? SYNC_TIMEOUT_MS : undefined), allowRetry: true };
    const claim = {
      worker_id: options.workerId,
      heartbeat_at: columns.time(now),
    };
    const status = row.status as ExecutionStatus;
    try {
      if (decision.kind === 'start') {
        await this.#move(row, { from: status, to: decision.path, at: now, where: unchanged, patch: { ...claim, started_at: columns.time(now), attempts: decision.attempts } });
      } else if (decision.kind === 'resume') {
        await this.#move(row, { from: status, to: 'running', at: now, where: unchanged, patch: { ...claim, next_run_at: null, attempts: decision.attempts } });
      } else {
        // Its worker stopped heart-beating mid-run: take over, resuming from the last checkpoint.
        const data = { workerId: options.workerId, previousWorkerId: decision.previousWorkerId };
        const results = await atomically(this.#knex, [
          { update: EXECUTIONS_TABLE, set: { ...claim, attempts: decision.attempts, updated_at: columns.time(now) }, where: { ...unchanged, id, status }, expect: 1 },
          this.#eventInsert(row, now, 'takeover', data),
        ]);
        if (!results) return { execution: this.#snapshot(await this.#row(id)), next: 'not-claimed' };
        Object.assign(row, claim, { attempts: decision.attempts, updated_at: columns.time(now) });
        this.#emit([this.#localEvent(row, results[1]!.insertIds[0] ?? null, now, 'takeover', data)], row);
      }
    } catch (err) {
      // The remembered row was stale: decide again from what is stored.
      if (err instanceof IllegalTransition && remembered) return this.advance(id, options);
      if (err instanceof IllegalTransition) return { execution: this.#snapshot(await this.#row(id)), next: 'not-claimed' };
      throw err;
    }
    return this.#run(claimed, row, control);
  }

  async heartbeat(id: string, workerId: string): Promise<boolean> {
    const columns = await this.#cols();
    const changed = await this.#knex(EXECUTIONS_TABLE)
      .where({ id, worker_id: workerId })
      .whereIn('status', PENDING_STATUSES as ExecutionStatus[])
      .update({ heartbeat_at: columns.time(Date.now()) });
    return Number(changed) === 1;
  }

  async release(id: string, workerId: string): Promise<boolean> {
    const changed = await this.#knex(EXECUTIONS_TABLE)
      .where({ id, worker_id: workerId })
      .whereIn('status', PENDING_STATUSES as ExecutionStatus[])
      .update({ worker_id: null, heartbeat_at: null });
    return Number(changed) === 1;
  }

  async cancel(id: string, options: ChangeOptions = {}): Promise<Execution> {
    const columns = await this.#cols();
    for (;;) {
      const row = await this.#row(id, options);
      const from = row.status as ExecutionStatus;
      if (isTerminal(from)) throw new IllegalTransition(id, from, 'cancelled');
      const now = Date.now();
      try {
        await this.#move(row, {
          from, to: 'cancelled', at: now, data: { user: options.user ?? null },
          patch: { finished_at: columns.time(now), worker_id: null, next_run_at: null, wait_kind: null },
        });
      } catch (err) {
        // It moved on between our read and our write; look again (it may have finished).
        if (err instanceof IllegalTransition && err.details.current !== from) continue;
        throw err;
      }
      this.#running.get(id)?.abort(new Cancelled(id));
      await this.#cancelHook(row, this.#local());
      return this.#snapshot(row);
    }
  }

  async rerun(id: string, options: ChangeOptions = {}): Promise<Execution> {
    await this.#cols();
    const row = await this.#row(id, options);
    const fn = this.#functions.require(row.func_name as string);
    const input = fn.validateInput(this.#local().readJson(row.input_json));
    const create = { user: options.user === undefined ? (row.user as string | null) : options.user };
    if (fn.mode === 'sync') return this.#runSyncValidated(fn, input, create, id);
    const execution = (await this.#insert(fn, input, create, id, null)).execution();
    await handOff(this.#scheduler, execution, this.#logger);
    return execution;
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────

  get(id: string, options: GetOptions & { events: false }): Promise<Execution>;
  get(id: string, options?: GetOptions): Promise<ExecutionWithEvents>;
  async get(id: string, options: GetOptions = {}): Promise<Execution | ExecutionWithEvents> {
    const columns = await this.#cols();
    // The row first: an execution the caller may not see is not found before any event is read.
    const row = await this.#row(id, options);
    if (options.events === false) return this.#snapshot(row);
    const events = await this.#knex(EVENTS_TABLE).where({ execution_id: id }).orderBy('id', 'asc');
    return { ...this.#snapshot(row), events: events.map((e) => toEvent(e, columns)) };
  }

  list(options: ListOptions & { fields: 'full' }): Promise<ExecutionPage<Execution>>;
  list(options?: ListOptions): Promise<ExecutionPage>;
  async list(options: ListOptions = {}): Promise<ExecutionPage<ExecutionSummary>> {
    return listExecutions(this.#knex, await this.#cols(), options);
  }

  async pending(options: PendingListOptions = {}): Promise<Execution[]> {
    return pendingExecutions(this.#knex, await this.#cols(), options);
  }

  listEvents(options: ListEventsOptions & { withUser: true }): Promise<EventWithUser[]>;
  listEvents(options?: ListEventsOptions): Promise<ExecutionEvent[]>;
  async listEvents(options: ListEventsOptions = {}): Promise<ExecutionEvent[]> {
    return listExecutionEvents(this.#knex, await this.#cols(), options);
  }

  async newestEventId(): Promise<number> {
    return newestEventId(this.#knex);
  }

  subscribe(listener: ExecutionListener): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  /** Validates `input` and stores a new execution as `created` (or replays a keyed one: `existing`). */
  async #create(fn: BoundFunction, input: unknown, options: CreateOptions): Promise<{ execution: Execution; existing: boolean }> {
    const validated = checkStorableInput(fn.validateInput(input));
    const inserted = await this.#insert(fn, validated, options, null, null);
    if (!inserted.existing) this.#remember(inserted.row);
    return { execution: inserted.execution(), existing: inserted.existing };
  }

  // ── the lifecycle ────────────────────────────────────────────────────────────────────────────

  /**
   * Runs a function in the request. The run is stored first, already claimed by this process
   * (`created → started [→ validated → running]`, with its events, in one transaction), and its
   * function starts only once that is committed; its end is written like any other, through the
   * conditional transition. If the process dies meanwhile, the run is on record as running, and the
   * sweep errors it or a worker takes it over once its heartbeat expires.
   */
  async #runSyncValidated(fn: BoundFunction, input: Record<string, unknown>, options: CreateOptions, rerunOf: string | null): Promise<Execution> {
    const path = startPath(Boolean(fn.options.validate));
    const control: RunControl = { workerId: this.#syncWorkerId, ttlMs: HEARTBEAT_TTL_MS, timeoutMs: fn.options.timeout ?? SYNC_TIMEOUT_MS, allowRetry: false };
    const inserted = await this.#insert(fn, input, options, rerunOf, { to: path, workerId: this.#syncWorkerId });
    // A retry while the first run is still going gets its final answer, as the first caller does.
    if (inserted.existing) {
      const id = inserted.row.id as string;
      return awaitAnswer(inserted.execution(), { read: async () => this.#snapshot(await this.#row(id)), subscribe: (l) => this.subscribe(l), timeoutMs: control.timeoutMs! });
    }
    return (await this.#run(fn, inserted.row, control)).execution;
  }

  /** Runs a claimed execution (started, validated or running) as far as it goes on this worker. */
  async #run(fn: BoundFunction, row: ExecutionRow, control: RunControl): Promise<AdvanceResult> {
    const id = row.id as string;
    const abort = new RunAbort();
    this.#running.set(id, abort);
    const abortFromWorker = () => abort.abort(control.signal?.reason);
    if (control.signal?.aborted) abortFromWorker();
    control.signal?.addEventListener('abort', abortFromWorker, { once: true });
    const timeout = control.timeoutMs === undefined ? undefined
      : setTimeout(() => abort.abort(new Timeout(control.timeoutMs!)), control.timeoutMs);
    let beating = false;
    const beat = setInterval(() => {
      // One at a time: beats waiting on a locked row would otherwise pile up and drain the pool.
      if (beating) return;
      beating = true;
      this.heartbeat(id, control.workerId).then(async (mine) => {
        if (mine || abort.aborted) return;
        const current = await this.#knex(EXECUTIONS_TABLE).where({ id }).first('status');
        abort.abort(current?.status === 'cancelled' ? new Cancelled(id) : new Error('Another worker took this execution over'));
      }).catch((err) => this.#logger?.warn({ err, executionId: id }, 'heartbeat failed')).finally(() => { beating = false; });
    }, Math.max(10, Math.floor(control.ttlMs / 3)));
    beat.unref?.();
    timeout?.unref?.();
    const input = this.#local().readJson(row.input_json) as Record<string, unknown>;
    const context: HookContext = { id, functionName: fn.name, input, user: (row.user as string | null) ?? null, get signal() { return abort.signal; } };
    const lostRace = async (): Promise<AdvanceResult> => {
      const fresh = await this.#row(id);
      return { execution: this.#snapshot(fresh), next: isTerminal(fresh.status as string) ? 'done' : 'not-claimed' };
    };
    try {
      if (row.status === 'started') {
        try {
          await abort.race(Promise.resolve().then(() => fn.options.validate?.(input, context)));
        } catch (err) {
          if (abort.reason instanceof Cancelled) return await lostRace();
          return await this.#fail(fn, row, err, context, false);
        }
        await this.#move(row, { from: 'started', to: ['validated', 'running'], at: Date.now() });
      } else if (row.status === 'validated') {
        await this.#move(row, { from: 'validated', to: 'running', at: Date.now() });
      }
      return await this.#execute(fn, row, context, abort, control);
    } catch (err) {
      if (err instanceof IllegalTransition) return await lostRace();
      throw err;
    } finally {
      clearInterval(beat);
      if (timeout) clearTimeout(timeout);
      control.signal?.removeEventListener('abort', abortFromWorker);
      this.#running.delete(id);
    }
  }

  /** Calls the function (or its `poll` hook) and records what came of it. */
  async #execute(fn: BoundFunction, row: ExecutionRow, context: HookContext, abort: RunAbort, control: RunControl): Promise<AdvanceResult> {
    const local = this.#local();
    const id = context.id;
    let state = local.readJson(row.state_json);
    const writer = new ProgressWriter(this.#progressSink(row), this.#throttleMs);
    const maxStateBytes = this.#maxOutputBytes;
    const current: CurrentExecution = {
      id,
      get signal() { return abort.signal; },
      attempt: Number(row.attempts),
      get state() { return state; },
      progress(fraction: number, message?: string) {
        if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
          throw new RangeError(`progress(): fraction must be a number from 0 to 1, got ${fraction}`);
        }
        // A lone surrogate would be stored by one database and refused by another: shown as U+FFFD on all.
        writer.progress(message === undefined ? { fraction } : { fraction, message: toWellFormed(String(message)) });
      },
      checkpoint(next: unknown) {
        const value = toStorableOutput(next);
        // Refused at once, so the function hears of it; the stored state stays the last one accepted.
        const tooLarge = oversizeOutput(JSON.stringify(value), maxStateBytes, 'state');
        if (tooLarge) throw tooLarge;
        state = value;
        writer.checkpoint(state);
      },
    };
    const usePoll = row.wait_kind === 'poll' && typeof fn.options.poll === 'function';
    let result: unknown;
    let thrown: { error: unknown } | undefined;
    try {
      result = await abort.race(runInExecution(current, async () =>
        usePoll ? fn.options.poll!(state, context) : fn.fn(...fn.toArguments(context.input))));
    } catch (err) {
      thrown = { error: err };
    }
    await writer.close();
    if (abort.reason instanceof Cancelled) return this.#reread(id);
    if (thrown) return this.#fail(fn, row, thrown.error, context, control.allowRetry);
    const now = Date.now();
    if (isPending(result)) {
      const waitState = this.#storableOr(result as Pending);
      if (waitState instanceof Error) return this.#fail(fn, row, waitState, context, false);
      const stateJson = local.json(waitState.value);
      const tooLarge = oversizeOutput(stateJson, this.#maxOutputBytes, 'state');
      if (tooLarge) return this.#fail(fn, row, tooLarge, context, false);
      const end = decideOutcome({ kind: 'pending', after: (result as Pending).after }, { status: 'running', attempts: Number(row.attempts) }, outcomePolicy(fn), now);
      return this.#finish(row, endMove('running', end, now, local, { state_json: stateJson }));
    }
    let outputJson: string | null;
    try {
      outputJson = local.json(toStorableOutput(result));
    } catch (err) {
      return this.#fail(fn, row, err, context, false);
    }
    const tooLarge = oversizeOutput(outputJson, this.#maxOutputBytes, 'output');
    if (tooLarge) return this.#fail(fn, row, tooLarge, context, false);
    const end = decideOutcome({ kind: 'returned' }, { status: 'running', attempts: Number(row.attempts) }, outcomePolicy(fn), now);
    return this.#finish(row, endMove('running', end, now, local, { output_json: outputJson }));
  }

  /** Records a failure: a retry when attempts remain (and `retry` allows), else `errored`. */
  async #fail(fn: BoundFunction, row: ExecutionRow, thrown: unknown, context: HookContext, retry: boolean): Promise<AdvanceResult> {
    const local = this.#local();
    const described: DescribedError = await shapeError(thrown, fn.options, context, this.#logger);
    const now = Date.now();
    const from = row.status as ExecutionStatus;
    let error = described.error;
    let errorJson = local.json(error);
    // An error too big to store (huge details) is stored as what it is: too big.
    const tooLarge = oversizeOutput(errorJson, this.#maxOutputBytes, 'error');
    if (tooLarge) errorJson = local.json((error = tooLarge.toJSON()));
    const end = decideOutcome({ kind: 'failed', error, retryable: retry }, { status: from, attempts: Number(row.attempts) }, outcomePolicy(fn), now);
    return this.#finish(row, endMove(from, end, now, local, { error_json: errorJson, traceback: described.traceback }));
  }

  /**
   * Writes the end of a run's step. A failing write is tried again (a few times, with backoff); then,
   * or at once when the database refuses it for its size, the execution errors with
   * `StorageUnavailable` or `OutputTooLarge` instead. When even that cannot be written, the end is
   * kept in memory for the next `advance`, which writes it rather than run the function again. Only
   * this claim may end the run: one handed back or taken over meanwhile loses (IllegalTransition).
   * @throws IllegalTransition (lost a race), StorageUnavailable (nothing could be written)
   */
  async #finish(row: ExecutionRow, move: FinalMove): Promise<AdvanceResult> {
    const id = row.id as string;
    const where = { ...move.where, worker_id: row.worker_id ?? null };
    const onRetry = (err: unknown, attempt: number) => this.#logger?.warn({ err, executionId: id, attempt }, 'could not record the end of a run; trying again');
    let failure: unknown;
    try {
      await writeWithRetries(() => this.#move(row, { ...move, where }), this.#finalWriteRetry, onRetry);
      this.#unwritten.forget(id);
      return { execution: this.#snapshot(row), next: move.to === 'waiting' ? (move.patch?.wait_kind === 'retry' ? 'retry' : 'wait') : 'done' };
    } catch (err) {
      if (err instanceof IllegalTransition || err instanceof ExecutionNotFound) {
        this.#unwritten.forget(id);
        throw err;
      }
      failure = err;
    }
    const attempts = Math.max(1, this.#finalWriteRetry.attempts ?? FINAL_WRITE_RETRY.attempts);
    const tooLarge = isTooLargeForDatabase(failure);
    const instead = tooLarge ? new OutputTooLarge(storedKind(move), finalBytes(move), null) : new StorageUnavailable(attempts, failure);
    this.#logger?.error({ err: failure, executionId: id }, `could not record the end of a run: recording ${instead.type} instead`);
    const local = this.#local();
    const errored: FinalMove = {
      from: move.from, to: 'errored', at: move.at, data: { error: instead.toJSON() },
      patch: {
        error_json: local.json(instead.toJSON()), traceback: null, finished_at: local.time(move.at), worker_id: null,
        heartbeat_at: null, next_run_at: null, wait_kind: null,
      },
    };
    try {
      await writeWithRetries(() => this.#move(row, { ...errored, where }), this.#finalWriteRetry, onRetry);
      this.#unwritten.forget(id);
      return { execution: this.#snapshot(row), next: 'done' };
    } catch (err) {
      if (!isRetryable(err)) {
        this.#unwritten.forget(id);
        throw err;
      }
      // The database is down: keep the end (the real one, unless it can never be stored) for the next try.
      this.#unwritten.keep(id, { row, move: tooLarge ? errored : move });
      this.#logger?.error({ err, executionId: id }, 'could not record the end of a run; it is written on the next advance');
      throw new StorageUnavailable(attempts, err);
    }
  }

  /** Writes the kept end of a run (on `advance`, or on its own): never runs the function again. */
  #writeUnwritten(id: string): Promise<AdvanceResult> {
    return this.#unwritten.once(id, async () => {
      const end = this.#unwritten.get(id);
      if (!end) return this.#reread(id); // written meanwhile
      try {
        return await this.#finish(end.row, end.move);
      } catch (err) {
        if (err instanceof IllegalTransition) return this.#reread(id);
        throw err;
      }
    });
  }

  /** A kept end's own retry: refreshes the claim first, so that no other worker takes the run over meanwhile. */
  async #retryUnwritten(id: string): Promise<void> {
    const end = this.#unwritten.get(id);
    if (!end) return;
    await this.heartbeat(id, end.row.worker_id as string).catch(() => false);
    await this.#writeUnwritten(id);
  }

  /** Errors an execution that cannot run (its function is gone, or its workers keep dying). */
  async #finishUnclaimable(row: ExecutionRow, error: Error, where?: Transition['where']): Promise<AdvanceResult> {
    const local = this.#local();
    const described = await shapeError(error, {}, { id: row.id as string, functionName: row.func_name as string, input: {}, user: null, signal: AbortSignal.abort() });
    const now = Date.now();
    try {
      await this.#move(row, {
        from: row.status as ExecutionStatus, to: 'errored', at: now, where, data: { error: described.error },
        patch: { error_json: local.json(described.error), traceback: described.traceback, finished_at: local.time(now), worker_id: null, next_run_at: null, wait_kind: null },
      });
    } catch (err) {
      if (err instanceof IllegalTransition) return this.#reread(row.id as string, 'not-claimed');
      throw err;
    }
    return { execution: this.#snapshot(row), next: 'done' };
  }

  #storableOr(result: Pending): { value: unknown } | Error {
    try {
      return { value: toStorableOutput(result.state) };
    } catch (err) {
      return err as Error;
    }
  }

  async #reread(id: string, otherwise: AdvanceResult['next'] = 'not-claimed'): Promise<AdvanceResult> {
    const fresh = await this.#row(id);
    return { execution: this.#snapshot(fresh), next: isTerminal(fresh.status as string) ? 'done' : otherwise };
  }

  async #cancelHook(row: ExecutionRow, columns: Columns): Promise<void> {
    const fn = this.#functions.get(row.func_name as string);
    if (!fn?.options.cancel) return;
    const id = row.id as string;
    const input = columns.readJson(row.input_json) as Record<string, unknown>;
    try {
      await fn.options.cancel(columns.readJson(row.state_json), { id, functionName: fn.name, input, user: (row.user as string | null) ?? null, signal: AbortSignal.abort(new Cancelled(id)) });
    } catch (err) {
      this.#logger?.error({ err, executionId: id }, 'cancel hook failed');
      const now = Date.now();
      const data = { error: (await shapeError(err, {}, { id, functionName: fn.name, input, user: null, signal: AbortSignal.abort() })).error };
      const [result] = (await atomically(this.#knex, [this.#eventInsert(row, now, 'cancel-hook-failed', data)]))!;
      this.#emit([this.#localEvent(row, result!.insertIds[0] ?? null, now, 'cancel-hook-failed', data)], row);
    }
  }

  // ── storage helpers ──────────────────────────────────────────────────────────────────────────

  /** Moves `row` through a transition, updates it in memory and tells subscribers. */
  async #move(row: ExecutionRow, t: Omit<Transition, 'id' | 'functionName'>): Promise<void> {
    const columns = await this.#cols();
    const to = typeof t.to === 'string' ? t.to : t.to[t.to.length - 1]!;
    // Stored with its events first; subscribers hear of it only once it is committed.
    const events = await transition(this.#knex, columns, { ...t, id: row.id as string, functionName: row.func_name as string });
    Object.assign(row, t.patch, { status: to, updated_at: columns.time(t.at) });
    this.#emit(events, row);
  }

  /** Keeps a just-created row for `advance`, forgetting the oldest past {@link MAX_UNCLAIMED}. */
  #remember(row: ExecutionRow): void {
    if (this.#unclaimed.size >= MAX_UNCLAIMED) this.#unclaimed.delete(this.#unclaimed.keys().next().value!);
    this.#unclaimed.set(row.id as string, { ...row });
  }

  /**
   * Inserts a new execution (and, for runSync, claims it in the same transaction); resolves once it
   * is committed. A run in the request without an idempotency key cannot conflict with any row, so
   * it goes through the group commit.
   */
  async #insert(
    fn: BoundFunction, input: Record<string, unknown>, options: CreateOptions, rerunOf: string | null,
    claim: { to: ExecutionStatus[]; workerId: string } | null,
  ): Promise<{ execution: () => Execution; row: ExecutionRow; existing: boolean }> {
    const columns = await this.#cols();
    const user = checkUser(options.user);
    const key = scopedKey(user, options.idempotencyKey);
    if (key !== null) {
      const existing = await readRow(this.#knex, { select: EXECUTIONS_TABLE, where: { idempotency_key: key } });
      if (existing) return replay(existing, columns, fn, input, options.idempotencyKey!);
    }
    const now = Date.now();
    const row = this.#newRow(columns, fn, input, user, key, rerunOf, claim?.workerId ?? null, now);
    const planned = planCreation(columns, row, ['created', ...(claim?.to ?? [])], now);
    let eventIds: number[];
    try {
      eventIds = key === null && claim !== null
        ? (await this.#records.insert(creationParts(planned)))[1]!
        : (await atomically(this.#knex, planned.statements))![1]!.insertIds;
    } catch (err) {
      if (key !== null && isUniqueViolation(err)) {
        const existing = await readRow(this.#knex, { select: EXECUTIONS_TABLE, where: { idempotency_key: key } });
        if (existing) return replay(existing, columns, fn, input, options.idempotencyKey!);
      }
      throw err;
    }
    row.status = claim?.to.at(-1) ?? 'created';
    this.#emit(planned.events(eventIds), row);
    // Mapped only when asked for: a run in the request returns the finished row instead.
    return { execution: () => this.#snapshot(row), row, existing: false };
  }

  /** A new execution's row, `created`; a run in the request (`workerId`) is claimed by this process from the start. */
  #newRow(
    columns: Columns, fn: BoundFunction, input: Record<string, unknown>, user: string | null, key: string | null,
    rerunOf: string | null, workerId: string | null, now: number,
  ): ExecutionRow & { id: string; func_name: string } {
    return {
      id: newExecutionId(), func_name: fn.name, mode: fn.mode, status: 'created', input_json: this.#inputJson(columns, input),
      output_json: null, error_json: null, traceback: null, state_json: null, progress: null, user, attempts: 0,
      created_at: columns.time(now), updated_at: columns.time(now), started_at: null, finished_at: null,
      rerun_of: rerunOf, worker_id: null, heartbeat_at: null, next_run_at: null, wait_kind: null, idempotency_key: key,
      ...(workerId !== null ? { worker_id: workerId, heartbeat_at: columns.time(now), started_at: columns.time(now), attempts: 1 } : {}),
    };
  }

  /** The input as stored. @throws ValidationError when it is over `maxInputBytes` */
  #inputJson(columns: Columns, input: Record<string, unknown>): string | null {
    const json = columns.json(input);
    checkInputSize(json, this.#maxInputBytes);
    return json;
  }

  #progressSink(row: ExecutionRow): ProgressSink {
    return async ({ progress, state }) => {
      try {
        const columns = await this.#cols();
        const now = Date.now();
        const patch: Record<string, unknown> = { updated_at: columns.time(now) };
        if (progress) patch.progress = columns.json(progress);
        if (state) patch.state_json = columns.json(state.value);
        const kinds: Array<['progress', ExecutionProgress] | ['checkpoint', { state: unknown }]> = [];
        if (progress) kinds.push(['progress', progress]);
        if (state) kinds.push(['checkpoint', { state: state.value }]);
        const results = await atomically(this.#knex, [
          { update: EXECUTIONS_TABLE, set: patch, where: { id: row.id as string, status: 'running' }, expect: 1 },
          ...kinds.map(([kind, data]) => this.#eventInsert(row, now, kind, data)),
        ]);
        if (!results) return; // no longer running (cancelled): nothing to report
        Object.assign(row, patch);
        this.#emit(kinds.map(([kind, data], i) => this.#localEvent(row, results[i + 1]!.insertIds[0] ?? null, now, kind, data)), row);
      } catch (err) {
        this.#logger?.warn({ err, executionId: row.id }, 'could not store progress');
      }
    };
  }

  #eventInsert(row: ExecutionRow, at: number, kind: string, data: unknown): Statement {
    const columns = this.#columns!;
    return {
      insert: EVENTS_TABLE,
      rows: [{ execution_id: row.id, func_name: row.func_name, at: columns.time(at), kind, from_status: null, to_status: null, data_json: columns.json(data) }],
    };
  }

  #localEvent(row: ExecutionRow, id: number | null, at: number, kind: ExecutionEvent['kind'], data?: unknown): ExecutionEvent {
    return {
      id: id ?? 0, executionId: row.id as string, functionName: row.func_name as string, at: new Date(at).toISOString(), kind,
      ...(data !== undefined ? { data } : {}),
    };
  }

  #emit(events: ExecutionEvent[], row: ExecutionRow): void {
    if (this.#listeners.size === 0 || events.length === 0) return;
    const execution = this.#snapshot(row);
    for (const event of events) {
      for (const listener of this.#listeners) {
        try {
          listener(event, execution);
        } catch (err) {
          this.#logger?.warn({ err }, 'an execution listener threw');
        }
      }
    }
  }

  /** A row built or patched in this process, or fetched through `#row` (JSON as text), as an Execution. */
  #snapshot(row: ExecutionRow): Execution {
    return toExecution(row, this.#local());
  }

  /** The stored row of `id`. @throws ExecutionNotFound when there is none, or it is not `visibleTo` */
  async #row(id: string, { visibleTo }: Visibility = {}): Promise<ExecutionRow> {
    if (typeof id !== 'string') throw new ExecutionNotFound(String(id));
    const row = await readRow(this.#knex, { select: EXECUTIONS_TABLE, where: { id } });
    if (!row) throw new ExecutionNotFound(id);
    if (visibleTo !== undefined && (row.user ?? null) !== visibleTo) throw new ExecutionNotFound(id);
    // Rows are kept and patched in memory: hold their JSON as text whatever the driver returned.
    if (this.#columns!.kind === 'mysql' && this.#columns !== this.#local()) {
      for (const column of ['input_json', 'output_json', 'error_json', 'state_json', 'progress']) {
        row[column] = this.#columns!.readJson(row[column]) === null ? null : JSON.stringify(this.#columns!.readJson(row[column]));
      }
    }
    return row;
  }

  /** The column codecs; a plain value once known, so the hot paths' `await` costs no promise. */
  #cols(): Columns | Promise<Columns> {
    if (this.#columns) return this.#columns;
    this.#columnsReady ??= detectJsonParsedByDriver(this.#knex, EXECUTIONS_TABLE, 'input_json').then((parsed) => {
      this.#columns = columnsFor(this.#knex, parsed);
      this.#localColumns = parsed ? columnsFor(this.#knex, false) : this.#columns;
      return this.#columns;
    });
    return this.#columnsReady;
  }

  #local(): Columns {
    return this.#localColumns!;
  }
}

/** What a final write stores besides statuses: a result, a pending state, or an error (also a retry's). */
function storedKind(move: FinalMove): 'output' | 'state' | 'error' {
  if (move.to === 'done') return 'output';
  return move.to === 'waiting' && move.patch?.wait_kind !== 'retry' ? 'state' : 'error';
}

/** The bytes of JSON a final write stores. */
function finalBytes(move: FinalMove): number {
  let bytes = 0;
  for (const column of ['output_json', 'state_json', 'error_json']) {
    const value = move.patch?.[column];
    if (typeof value === 'string') bytes += jsonBytes(value);
  }
  return bytes;
}

/** The options of `fn` that decide how a step ends. */
function outcomePolicy(fn: BoundFunction): OutcomePolicy {
  return { retries: fn.options.retries, backoff: fn.options.backoff, pollEvery: fn.options.pollEvery, hasPoll: Boolean(fn.options.poll) };
}

/**
 * The decided end of a step as a transition from `from`: `stored` holds the encoded columns it
 * writes (the output, the pending state, or the error and its traceback), and the claim is released.
 */
function endMove(from: ExecutionStatus, end: StepEnd, at: number, columns: Columns, stored: Record<string, unknown>): FinalMove {
  switch (end.to) {
    case 'done':
      return {
        from, to: 'done', at,
        patch: { ...stored, error_json: null, traceback: null, finished_at: columns.time(at), worker_id: null, next_run_at: null, wait_kind: null },
      };
    case 'waiting': {
      const patch = { ...stored, next_run_at: columns.time(end.nextRunAt), wait_kind: end.waitKind, worker_id: null, heartbeat_at: null };
      if (end.waitKind !== 'retry') return { from, to: 'waiting', at, data: { after: end.after }, patch };
      return { from, to: 'waiting', at, patch, extraEvents: [{ kind: 'retry', data: { attempt: end.attempt, after: end.after, error: end.error } }] };
    }
    case 'errored':
      return {
        from, to: 'errored', at, data: { error: end.error },
        patch: { ...stored, finished_at: columns.time(at), worker_id: null, next_run_at: null, wait_kind: null },
      };
  }
}

/** The facts of `row` that decide whether it may be claimed. */
function claimView(row: ExecutionRow, columns: Columns): ClaimView {
  return {
    status: row.status as ExecutionStatus, functionName: row.func_name as string,
    workerId: (row.worker_id as string | null) ?? null, heartbeatAt: columns.readTime(row.heartbeat_at),
    nextRunAt: columns.readTime(row.next_run_at), attempts: Number(row.attempts), waitKind: (row.wait_kind as WaitKind | null) ?? null,
  };
}

function checkUser(user: string | null | undefined): string | null {
  if (user === undefined || user === null) return null;
  if (typeof user !== 'string' || user.length > MAX_USER_LENGTH) throw invalidOption('/user', `must be a string of at most ${MAX_USER_LENGTH} characters`, 'maxLength');
  return user;
}

function scopedKey(user: string | null, key: string | null | undefined): string | null {
  if (key === undefined || key === null) return null;
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalidOption('/idempotencyKey', `must be a string of 1 to ${MAX_KEY_LENGTH} characters`, 'maxLength');
  }
  return JSON.stringify([user, key]);
}

/** A keyed create's stored execution, when it is the same request; else `IdempotencyKeyReused`. */
function replay(existing: ExecutionRow, columns: Columns, fn: BoundFunction, input: Record<string, unknown>, key: string) {
  // The row as stored, not as answered (an answer may leave out or mask inputs).
  checkSameRequest({ id: existing.id as string, functionName: existing.func_name as string, input: columns.readJson(existing.input_json) }, fn.name, input, key);
  return { execution: () => toExecution(existing, columns), row: existing, existing: true };
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'ER_DUP_ENTRY' || code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}
