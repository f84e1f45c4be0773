/**
 * One client's Server-Sent Events stream on the shared {@link EventFeed}: what it asked for, what it
 * has been sent, and its response body. While it catches up (its backlog read from the store) the
 * feed's events wait in a queue; afterwards they are written as they come, each once.
 */
import { PassThrough } from 'node:stream';
import { isTerminal } from '../../api/execution.js';
import type { ExecutionEvent } from '../../api/execution.js';

/** What an `EventSource` waits before reconnecting, in ms. */
const RETRY_MS = 2000;
/**
 * A client that reads slower than events come is dropped once this much waits for it: it reconnects
 * with `Last-Event-ID` and catches up from the store, instead of the server holding its backlog.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Which events a stream wants. */
export interface FeedFilter {
  executionId?: string;
  functionName?: string;
  /** Only events of this user's executions (`null`: executions without a user); default any user. */
  user?: string | null;
}

/** An event as the feed fans it out: read once, formatted once. */
export interface FeedEvent {
  event: ExecutionEvent;
  /** The user of its execution, when the feed reads users (own-executions-only). */
  user?: string | null | undefined;
  /** The SSE block: `id:` and `data:` lines. */
  text: string;
}

/** Formats an event for the wire: the stored event as JSON, its id as the SSE id. */
export function feedEvent(event: ExecutionEvent, user?: string | null): FeedEvent {
  return { event, user, text: `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n` };
}

/** An open event stream. */
export class FeedStream {
  readonly filter: FeedFilter;
  /** The response body. */
  readonly body = new PassThrough();
  /** Only events with a greater id are sent; known once the stream starts. */
  afterId = 0;
  #endOnTerminal: boolean;
  #onClose: () => void;
  /** Events from the feed while catching up; null once live. */
  #queue: FeedEvent[] | null = [];
  /** Ids sent from the backlog that the feed may still bring (a late commit): not sent twice. */
  #sent: Set<number> | undefined;
  #pending = '';
  #opened = false;
  #closed = false;

  /**
   * `endOnTerminal`: the stream is for one execution and ends after its final status.
   * `onClose`: called once when the stream closes, for whatever reason.
   */
  constructor(filter: FeedFilter, endOnTerminal: boolean, onClose: () => void) {
    this.filter = filter;
    this.#endOnTerminal = endOnTerminal;
    this.#onClose = onClose;
    this.body.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes the stream's preamble (reconnect delay); from now on heartbeats are sent. */
  open(): void {
    if (this.#closed) return;
    this.#opened = true;
    this.body.write(`retry: ${RETRY_MS}\n: stream open\n\n`);
  }

  /** Sends events read from the store while catching up (id order); returns false once the stream has ended. */
  backfill(events: readonly ExecutionEvent[]): boolean {
    this.#sent ??= new Set();
    for (const event of events) {
      if (this.#closed) return false;
      if (event.id <= this.afterId || this.#sent.has(event.id)) continue;
      this.#sent.add(event.id);
      this.#append(feedEvent(event));
    }
    this.#flush();
    return !this.#closed;
  }

  /**
   * Sends what the feed brought while catching up (not sent already), then sends the feed's events as
   * they come. `mayRepeat(id)`: whether the feed can still bring `id`; only those ids are remembered.
   */
  goLive(mayRepeat: (id: number) => boolean): void {
    const queued = this.#queue ?? [];
    this.#queue = null;
    for (const item of queued) this.offer(item);
    this.prune(mayRepeat);
    this.#flush();
  }

  /** From the feed: an event that may match. Written at the next `flush`. */
  offer(item: FeedEvent): void {
    if (this.#closed) return;
    if (this.filter.user !== undefined && item.user !== this.filter.user) return;
    if (this.#queue) {
      this.#queue.push(item);
      return;
    }
    if (item.event.id <= this.afterId || this.#sent?.delete(item.event.id)) return;
    this.#append(item);
  }

  /** Writes what `offer` gathered: one write per stream per read of the feed. */
  flush(): void {
    this.#flush();
  }

  /** Forgets backlog ids the feed can no longer bring. */
  prune(mayRepeat: (id: number) => boolean): void {
    if (!this.#sent) return;
    for (const id of this.#sent) if (!mayRepeat(id)) this.#sent.delete(id);
    if (this.#sent.size === 0) this.#sent = undefined;
  }

  /** A comment line that keeps proxies from closing an idle stream. */
  heartbeat(): void {
    if (this.#opened && !this.#closed) this.#write(': heartbeat\n\n');
  }

  /** Ends the response (the client may reconnect) and leaves the feed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = null;
    this.#sent = undefined;
    this.body.end();
    this.#onClose();
  }

  #append(item: FeedEvent): void {
    this.#pending += item.text;
    const { event } = item;
    // The final status ends a per-execution stream; nothing after it is sent (a reconnect gets 204).
    if (this.#endOnTerminal && event.kind === 'status' && event.to !== undefined && isTerminal(event.to)) {
      this.#flush();
      this.close();
    }
  }

  #flush(): void {
    if (this.#pending === '') return;
    const chunk = this.#pending;
    this.#pending = '';
    this.#write(chunk);
  }

  #write(chunk: string): void {
    if (this.#closed) return;
    this.body.write(chunk);
    if (this.body.writableLength > MAX_BUFFERED_BYTES) this.close();
  }
}
