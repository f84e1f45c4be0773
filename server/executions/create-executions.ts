/**
 * The executions service: a facade over the lifecycle modules (`lifecycle/`) and the store
 * (`store/`). Creating, submitting, advancing, cancelling and reading executions; every status
 * change is stored with its event before subscribers hear of it.
 */
import os from 'node:os';
import type {
  Execution,
  ExecutionEvent,
  ExecutionSummary,
  ExecutionWithEvents,
} from '../../api/execution.js';
import type {
  AdvanceOptions,
  AdvanceResult,
  ChangeOptions,
  CreateOptions,
  RerunOptions,
  EventWithUser,
  ExecutionListener,
  ExecutionPage,
  Executions,
  ExecutionsOptions,
  GetOptions,
  ListEventsOptions,
  ListOptions,
  PendingListOptions,
} from './executions-service.js';
import { FINAL_WRITE_RETRY } from './final-write.js';
import { handOff, type EnqueuePort } from './hand-off.js';
import { checkInputFilter } from './input-filter.js';
import { advance } from './lifecycle/advance.js';
import { cancel } from './lifecycle/cancel.js';
import { createRun } from './lifecycle/create-run.js';
import { retryKeptEnd } from './lifecycle/end-step.js';
import { EventBus } from './lifecycle/event-bus.js';
import type { KeptEnd, Lifecycle } from './lifecycle/lifecycle.js';
import { runInRequest } from './lifecycle/run-in-request.js';
import { visible } from './lifecycle/visibility.js';
import { DEFAULT_MAX_BYTES } from './output-size.js';
import { rerunOrigin } from './resume-decision.js';
import { pruneFinished, type PruneOptions, type PruneReport } from './retention.js';
import { inputsStillFitting } from './schema-fit.js';
import { checkStorableInput } from './storable-output.js';
import { toExecution } from './store/execution-record.js';
import { KnexExecutionStore } from './store/knex-execution-store.js';
import { KnexFunctionVersions, type FunctionVersionRecord } from './store/knex-function-versions.js';
import { FunctionVersionNotFound } from '../errors.js';
import { versionedEntry } from '../registry/function-version.js';
import { UnwrittenEnds } from './unwritten-ends.js';
import { KnexDeliveryStore } from '../webhooks/knex-delivery-store.js';
import { WebhookTargets } from '../webhooks/webhook-targets.js';

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

class ExecutionService implements Executions {
  readonly #lc: Lifecycle;
  readonly #scheduler: EnqueuePort | undefined;
  readonly #versions: KnexFunctionVersions;
  #versionsRecorded: Promise<void> | undefined;
  readonly #deliveries: KnexDeliveryStore;

  constructor(options: ExecutionsOptions) {
    this.#scheduler = options.scheduler;
    this.#versions = new KnexFunctionVersions(options.knex);
    this.#deliveries = new KnexDeliveryStore(options.knex);
    this.#lc = {
      store: new KnexExecutionStore(options.knex),
      bus: new EventBus(options.logger),
      functions: options.functions,
      logger: options.logger,
      running: new Map(),
      webhooks: new WebhookTargets(options.webhookUrls ?? [], options.functions),
      unwritten: new UnwrittenEnds<KeptEnd>((id) => retryKeptEnd(this.#lc, id)),
      versionsRecorded: () => this.recordVersions(),
      syncWorkerId: `sync:${os.hostname()}:${process.pid}`,
      limits: {
        maxInputBytes: options.maxInputBytes ?? DEFAULT_MAX_BYTES,
        maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_BYTES,
        progressThrottleMs: options.progressThrottleMs ?? 250,
        finalWriteRetry: options.finalWriteRetry ?? FINAL_WRITE_RETRY,
      },
    };
  }

  async create(functionName: string, input: unknown, options: CreateOptions = {}): Promise<Execution> {
    return toExecution((await this.#create(functionName, input, options)).record);
  }

  async runSync(functionName: string, input: unknown, options: CreateOptions = {}): Promise<Execution> {
    const fn = this.#lc.functions.require(functionName);
    return runInRequest(this.#lc, fn, checkStorableInput(fn.validateInput(input)), options, null);
  }

  async submit(functionName: string, input: unknown, options: CreateOptions = {}): Promise<Execution> {
    if (this.#lc.functions.require(functionName).mode === 'sync')
      return this.runSync(functionName, input, options);
    const { record, existing } = await this.#create(functionName, input, options);
    const execution = toExecution(record);
    // A replay was handed off by the first call (or, if that failed, is left to the sweep).
    if (!existing) await handOff(this.#scheduler, execution, this.#lc.logger);
    return execution;
  }

  advance(id: string, options: AdvanceOptions): Promise<AdvanceResult> {
    return advance(this.#lc, id, options);
  }

  heartbeat(id: string, workerId: string): Promise<boolean> {
    return this.#lc.store.heartbeat(id, workerId, Date.now());
  }

  release(id: string, workerId: string): Promise<boolean> {
    return this.#lc.store.release(id, workerId);
  }

  cancel(id: string, options: ChangeOptions = {}): Promise<Execution> {
    return cancel(this.#lc, id, options);
  }

  recordVersions(): Promise<void> {
    // Once per service; a failed write is tried again by the next call (or the next create).
    this.#versionsRecorded ??= this.#versions
      .record(
        this.#lc.functions.list().map((fn) => ({
          functionName: fn.name,
          version: fn.version,
          entry: versionedEntry(fn.manifest),
        })),
        Date.now(),
      )
      .catch((err: unknown) => {
        this.#versionsRecorded = undefined;
        throw err;
      });
    return this.#versionsRecorded;
  }

  async functionVersion(functionName: string, version: string): Promise<FunctionVersionRecord> {
    const found = await this.#versions.get(functionName, version);
    if (!found) throw new FunctionVersionNotFound(functionName, version);
    return found;
  }

  async rerun(id: string, options: RerunOptions = {}): Promise<Execution> {
    const original = visible(await this.#lc.store.get(id), id, options);
    const origin = rerunOrigin(original, options.resume === true);
    const fn = this.#lc.functions.require(original.functionName);
    const ranWith = original.functionVersion;
    const input = await inputsStillFitting(fn, original, async () =>
      ranWith === null ? undefined : (await this.#versions.get(fn.name, ranWith))?.entry,
    );
    const create = { user: options.user === undefined ? original.user : options.user };
    if (fn.mode === 'sync') return runInRequest(this.#lc, fn, input, create, origin);
    const execution = toExecution((await createRun(this.#lc, fn, input, create, origin, null)).record);
    await handOff(this.#scheduler, execution, this.#lc.logger);
    return execution;
  }

  get(id: string, options: GetOptions & { events: false }): Promise<Execution>;
  get(id: string, options?: GetOptions): Promise<ExecutionWithEvents>;
  async get(id: string, options: GetOptions = {}): Promise<Execution | ExecutionWithEvents> {
    // The execution first: one the caller may not see is not found before any event is read.
    const execution = toExecution(visible(await this.#lc.store.get(id), id, options));
    if (options.events === false) return execution;
    const events = await this.#lc.store.eventsOf(id);
    if (!options.deliveries) return { ...execution, events };
    return { ...execution, events, deliveries: await this.#deliveries.of(id) };
  }

  list(options: ListOptions & { fields: 'full' }): Promise<ExecutionPage<Execution>>;
  list(options?: ListOptions): Promise<ExecutionPage>;
  async list(options: ListOptions = {}): Promise<ExecutionPage<ExecutionSummary>> {
    const { input: given, ...rest } = options;
    if (given === undefined) return this.#lc.store.list(options);
    const input = checkInputFilter(this.#lc.functions, options.functionName, given);
    return this.#lc.store.list(input ? { ...rest, input } : rest);
  }

  async pending(options: PendingListOptions = {}): Promise<Execution[]> {
    return (await this.#lc.store.pending(options)).map(toExecution);
  }

  listEvents(options: ListEventsOptions & { withUser: true }): Promise<EventWithUser[]>;
  listEvents(options?: ListEventsOptions): Promise<ExecutionEvent[]>;
  listEvents(options: ListEventsOptions = {}): Promise<ExecutionEvent[]> {
    return this.#lc.store.events(options);
  }

  newestEventId(): Promise<number> {
    return this.#lc.store.newestEventId();
  }

  prune(options: PruneOptions = {}): Promise<PruneReport> {
    return pruneFinished(this.#lc.store, this.#lc.functions, options);
  }

  subscribe(listener: ExecutionListener): () => void {
    return this.#lc.bus.subscribe(listener);
  }

  /** Validates `input` and stores a new execution as `created` (or finds the keyed one: `existing`). */
  async #create(functionName: string, input: unknown, options: CreateOptions) {
    const fn = this.#lc.functions.require(functionName);
    return createRun(this.#lc, fn, checkStorableInput(fn.validateInput(input)), options, null, null);
  }
}
