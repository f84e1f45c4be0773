/**
 * The one event feed of an app: while at least one event stream is open it reads new events from
 * the store in id order — every `pollMs`, and at once when this process changes an execution — and
 * hands each to the open streams it matches. Its database reads do not grow with the number of
 * streams; a stream reads the store itself only to catch up (a resume, an execution's backlog).
 *
 * Ids are given at insert but become visible at commit, so on MariaDB two writers can commit out of
 * id order. An id the feed reads past without seeing (a gap) is asked for again for LOOKBACK_MS, so
 * an event committed late behind a newer id still arrives instead of being jumped over; ids that
 * never come (a rolled-back insert) are given up after that.
 */
import type { Logger } from 'pino';
import type { ExecutionEvent } from '../../api/execution.js';
import type { ExecutionsPort } from './executions-port.js';
import { feedEvent, type FeedStream } from './feed-stream.js';

/** Events read from the store per query (the most `listEvents` gives). */
const PAGE = 1000;
/**
 * The least time between two reads started by changes in this process, in ms: under load one read
 * (and one write per stream) carries the events of many requests, for at most this much delay.
 */
const CHANGE_READ_GAP_MS = 20;
/** How long a gap in the ids read is asked for again, in ms. */
const LOOKBACK_MS = 2000;
/** The most gaps waited for at once (the oldest are given up first); a larger jump of ids is not filled with gaps. */
const MAX_GAPS = 1000;
/** Ids up to the newest when the feed starts that are read once more, for late commits behind it. */
const START_WINDOW = 64;

/** Options of {@link EventFeed}. */
export interface EventFeedOptions {
  executions: Pick<ExecutionsPort, 'listEvents' | 'newestEventId' | 'subscribe'>;
  /** How often the store is read while streams are open, in ms. */
  pollMs: number;
  /** How often every open stream gets a heartbeat comment, in ms. */
  heartbeatMs: number;
  /** Read each event's user too: streams show users only their own executions. */
  withUsers: boolean;
  /** When aborted (shutdown), every stream ends and new ones end at once. Default: none. */
  signal?: AbortSignal | undefined;
  logger: Pick<Logger, 'warn'>;
}

/** Where the feed is in the store's events. */
interface Position {
  /** The greatest id read. */
  newest: number;
  /** Ids below `newest` not read yet, with when they were first missed (ms), oldest first. */
  gaps: Map<number, number>;
}

/** The shared feed of events for every stream of one app (one per `createApp`). */
export class EventFeed {
  readonly #options: EventFeedOptions;
  readonly #streams = new Set<FeedStream>();
  readonly #byExecution = new Map<string, Set<FeedStream>>();
  readonly #byFunction = new Map<string, Set<FeedStream>>();
  readonly #everything = new Set<FeedStream>();
  #position: Position | undefined;
  /** The start (the newest id when it began); set while any stream is open. */
  #starting: Promise<number> | undefined;
  /** The stream whose arrival started the feed: the start's newest id is its "now". */
  #starter: FeedStream | undefined;
  /** Bumped at every stop, so reads begun before it are dropped. */
  #generation = 0;
  #timers: NodeJS.Timeout[] = [];
  #unsubscribe: (() => void) | undefined;
  #polling = false;
  #pollAgain = false;
  #scheduled = false;
  /** When the last read started (performance.now()). */
  #lastRead = -Infinity;
  #aborted = false;

  constructor(options: EventFeedOptions) {
    this.#options = options;
    if (options.signal?.aborted) this.#aborted = true;
    // One listener for all streams, however many open.
    else options.signal?.addEventListener('abort', () => this.#abort(), { once: true });
  }

  /**
   * Adds a stream: from now on the events it matches are offered to it (queued until it goes live).
   * The first stream starts the feed (one `MAX(id)`).
   */
  join(stream: FeedStream): void {
    if (this.#aborted) {
      stream.close();
      return;
    }
    this.#streams.add(stream);
    const { executionId, functionName } = stream.filter;
    if (executionId !== undefined) getOrAdd(this.#byExecution, executionId).add(stream);
    else if (functionName !== undefined) getOrAdd(this.#byFunction, functionName).add(stream);
    else this.#everything.add(stream);
    if (!this.#starting) {
      this.#starter = stream;
      this.#start();
    }
  }

  /** Removes a stream; the last one stops the feed. */
  leave(stream: FeedStream): void {
    if (!this.#streams.delete(stream)) return;
    const { executionId, functionName } = stream.filter;
    if (executionId !== undefined) removeFrom(this.#byExecution, executionId, stream);
    else if (functionName !== undefined) removeFrom(this.#byFunction, functionName, stream);
    else this.#everything.delete(stream);
    if (this.#starter === stream) this.#starter = undefined;
    if (this.#streams.size === 0) this.#stop();
  }

  /** Resolves once the feed knows where it is; a stream's catch-up reads start after it. */
  async ready(): Promise<void> {
    await this.#starting;
  }

  /**
   * The newest event id, as "now" for a stream that wants only what comes next: the feed's start for
   * the stream that started it, else one `MAX(id)`. Either way read after the stream joined.
   */
  async newestEventId(stream: FeedStream): Promise<number> {
    if (stream === this.#starter && this.#starting) {
      this.#starter = undefined;
      return this.#starting;
    }
    await this.ready();
    return this.#options.executions.newestEventId();
  }

  /** Whether the feed may still bring event `id` (not read yet: above the newest, or a gap). */
  readonly mayRepeat = (id: number): boolean => {
    const position = this.#position;
    return !position || id > position.newest || position.gaps.has(id);
  };

  #start(): void {
    const generation = this.#generation;
    const starting = this.#options.executions.newestEventId().then((newest) => {
      if (generation !== this.#generation) return newest;
      const now = Date.now();
      const gaps = new Map<number, number>();
      for (let id = Math.max(1, newest - START_WINDOW + 1); id <= newest; id++) gaps.set(id, now);
      this.#position = { newest, gaps };
      this.#unsubscribe = this.#options.executions.subscribe((event) => {
        if (this.#wants(event)) this.#schedule();
      });
      const poll = setInterval(() => void this.#poll(), this.#options.pollMs);
      const heartbeat = setInterval(() => {
        for (const stream of this.#streams) stream.heartbeat();
      }, this.#options.heartbeatMs);
      poll.unref();
      heartbeat.unref();
      this.#timers = [poll, heartbeat];
      return newest;
    });
    this.#starting = starting;
    // A failed start fails the streams waiting for it (they answer the error and leave); the next one retries.
    starting.catch(() => {
      if (this.#starting === starting) this.#starting = undefined;
    });
  }

  #stop(): void {
    this.#generation++;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#position = undefined;
    this.#starting = undefined;
    this.#starter = undefined;
    this.#polling = false;
    this.#pollAgain = false;
  }

  #abort(): void {
    this.#aborted = true;
    for (const stream of [...this.#streams]) stream.close();
  }

  /** Whether a change made in this process may interest an open stream. */
  #wants(event: ExecutionEvent): boolean {
    return (
      this.#everything.size > 0 ||
      this.#byExecution.has(event.executionId) ||
      this.#byFunction.has(event.functionName)
    );
  }

  /** Reads soon; changes made in one turn of the event loop, or within CHANGE_READ_GAP_MS of the last read, share one read. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = (): void => {
      this.#scheduled = false;
      void this.#poll();
    };
    const wait = this.#lastRead + CHANGE_READ_GAP_MS - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  /** Reads what is new (and the gaps) and hands it out; one read at a time, another soon after if asked meanwhile. */
  async #poll(): Promise<void> {
    const position = this.#position;
    if (!position) return;
    if (this.#polling) {
      this.#pollAgain = true;
      return;
    }
    this.#polling = true;
    this.#pollAgain = false;
    const generation = this.#generation;
    try {
      let events: Array<ExecutionEvent & { user?: string | null }>;
      do {
        this.#lastRead = performance.now();
        expireGaps(position.gaps);
        const options = { afterId: position.newest, missingIds: [...position.gaps.keys()], limit: PAGE };
        events = this.#options.withUsers
          ? await this.#options.executions.listEvents({ ...options, withUser: true })
          : await this.#options.executions.listEvents(options);
        if (generation !== this.#generation) return;
        this.#take(position, events);
      } while (events.length === PAGE);
      for (const stream of this.#streams) stream.prune(this.mayRepeat);
    } catch (err) {
      if (generation === this.#generation)
        this.#options.logger.warn({ err }, 'event feed read failed; retrying at the next interval');
    } finally {
      if (generation === this.#generation) {
        this.#polling = false;
        if (this.#pollAgain) this.#schedule();
      }
    }
  }

  /** Advances the position over `events` (id order) and offers each to the streams it matches. */
  #take(position: Position, events: Array<ExecutionEvent & { user?: string | null }>): void {
    const now = Date.now();
    const touched = new Set<FeedStream>();
    for (const row of events) {
      if (row.id > position.newest) {
        if (row.id - position.newest - 1 <= MAX_GAPS) {
          for (let id = position.newest + 1; id < row.id; id++) position.gaps.set(id, now);
        }
        position.newest = row.id;
      } else if (!position.gaps.delete(row.id)) {
        continue; // read already: never twice
      }
      const { user, ...event } = row;
      const item = feedEvent(event, user);
      for (const index of [
        this.#byExecution.get(event.executionId),
        this.#byFunction.get(event.functionName),
        this.#everything,
      ]) {
        if (!index) continue;
        for (const stream of index) {
          stream.offer(item);
          touched.add(stream);
        }
      }
    }
    while (position.gaps.size > MAX_GAPS) position.gaps.delete(position.gaps.keys().next().value!);
    for (const stream of touched) stream.flush();
  }
}

function getOrAdd<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}

/** Gives up gaps missed for longer than LOOKBACK_MS (the map is oldest first). */
function expireGaps(gaps: Map<number, number>): void {
  const before = Date.now() - LOOKBACK_MS;
  for (const [id, at] of gaps) {
    if (at > before) break;
    gaps.delete(id);
  }
}
