/**
 * Live updates over Server-Sent Events, read with `fetch` (so that `Authorization` can be sent) and
 * parsed by `eventsource-parser`. Every message's data is parsed as JSON and handed to `onData`. A
 * dropped stream is reported (`onDrop`) and reopened after the server's `retry:` delay, backing off
 * while the server stays unreachable, and resumes after the last event seen (`Last-Event-ID`).
 */
import { createParser } from 'eventsource-parser';
import { DEFAULT_RETRY_MS, reconnectDelay } from './reconnect-delay.js';

/** Options of {@link subscribe}. */
export interface SubscribeOptions {
  /** Closes the stream when aborted. Default: none (call the returned function). */
  signal?: AbortSignal;
  /** Called when the stream (re)opens; after a reconnect, reload anything that may have been missed. */
  onOpen?: (reconnected: boolean) => void;
  /**
   * Called when the stream is not open: it could not be reached, broke, or ended for good. `retrying`:
   * whether it reconnects by itself (then `onOpen(true)`). Default: none.
   */
  onDrop?: (retrying: boolean) => void;
  /** Request headers (e.g. `Authorization`). Default: none. */
  headers?: Record<string, string>;
}

/** How one connection ended: it had opened (then broke or ended), it failed before, or it was refused. */
type Outcome = 'ended' | 'failed' | 'refused';

/**
 * Opens the event stream at `url` and calls `onData(data)` for every message, its data parsed as JSON
 * and typed `T` as the stream's contract says (the API's streams send `ExecutionEvent`s; the contract
 * test checks them, so no shape is guessed here). Returns a function that closes it. A refusal (a
 * 4xx, `204 No Content` for an ended execution, or an answer that is not an event stream) ends the
 * subscription for good; a break or a server error (5xx) is retried.
 *
 * @example
 * const stop = subscribe<ExecutionEvent>(api.url('/api/events'), (event) => console.log(event.kind), {
 *   signal,
 *   headers: api.authHeaders(),
 * });
 */
export function subscribe<T>(
  url: string,
  onData: (data: T) => void,
  { signal, onOpen, onDrop, headers = {} }: SubscribeOptions = {},
): () => void {
  const controller = new AbortController();
  const close = () => {
    controller.abort();
    signal?.removeEventListener('abort', close);
  };
  if (signal?.aborted) return close;
  signal?.addEventListener('abort', close, { once: true });

  let lastEventId = '';
  let retryMs = DEFAULT_RETRY_MS;
  let opened = false;
  const parser = createParser({
    onEvent: ({ id, data }) => {
      if (id !== undefined) lastEventId = id;
      try {
        onData(JSON.parse(data) as T);
      } catch (error) {
        // Data that is not JSON breaks the contract, and a throwing listener has a bug: both are
        // reported (to the console, as an uncaught error would be) without dropping the stream.
        reportError(error);
      }
    },
    onRetry: (ms) => (retryMs = ms),
  });

  const connect = async (): Promise<Outcome> => {
    const response = await fetch(url, {
      headers: {
        ...headers,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      cache: 'no-store',
      signal: controller.signal,
    }).catch(() => undefined);
    if (!response) return 'failed';
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !response.body || !type.startsWith('text/event-stream')) {
      void response.body?.cancel();
      return response.status >= 500 ? 'failed' : 'refused';
    }
    // A message cut off by a break is dropped, as EventSource does; it comes again after the last id.
    parser.reset();
    onOpen?.(opened);
    opened = true;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // A break (or the abort): reconnect unless closed.
    }
    return 'ended';
  };

  void (async () => {
    for (let failedAttempts = 0; ; failedAttempts++) {
      const outcome = await connect();
      if (controller.signal.aborted) return;
      if (outcome === 'refused') return onDrop?.(false);
      onDrop?.(true);
      if (outcome === 'ended') failedAttempts = 0;
      if (!(await sleep(reconnectDelay(retryMs, failedAttempts), controller.signal))) return;
    }
  })();
  return close;
}

/** Resolves after `ms` with `true`, or at once with `false` when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve(!signal.aborted);
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
