/**
 * Live updates over Server-Sent Events. Every message's data is parsed as JSON and handed to
 * `onData`, whatever its event name. The browser's `EventSource` (which reconnects by itself) is
 * used unless request headers are needed — it cannot send `Authorization` — and then the stream is
 * read with `fetch`, reconnecting the same way (`retry:` delay, `Last-Event-ID`). Either way a
 * dropped stream is reported (`onDrop`) and reopened until closed.
 */

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
  /** Event names listened to besides `message`. Default: {@link STREAM_EVENT_NAMES}. */
  eventNames?: readonly string[];
  /** Send cookies on a cross-origin stream. Default: `false`. */
  withCredentials?: boolean;
  /** Request headers (e.g. `Authorization`); when any are given the stream is read with `fetch`. Default: none. */
  headers?: Record<string, string>;
}

/** The named SSE events the server may send; unnamed ones arrive as `message`. */
export const STREAM_EVENT_NAMES: readonly string[] = [
  'execution',
  'event',
  'status',
  'progress',
  'checkpoint',
  'retry',
  'takeover',
  'created',
  'updated',
];

/**
 * Opens an `EventSource` on `url` and calls `onData(data, eventName)` for every message.
 * Returns a function that closes it.
 *
 * @example
 * const stop = subscribe(api.url('/api/events'), (data) => console.log(data), { signal });
 */
export function subscribe(
  url: string,
  onData: (data: unknown, eventName: string) => void,
  options: SubscribeOptions = {},
): () => void {
  const {
    signal,
    onOpen,
    onDrop,
    eventNames = STREAM_EVENT_NAMES,
    withCredentials = false,
    headers = {},
  } = options;
  if (signal?.aborted) return () => {};
  if (Object.keys(headers).length > 0) return fetchEventStream(url, onData, headers, options);
  let source: EventSource;
  let opened = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listener = (event: Event) => {
    const { data, type } = event as MessageEvent<string>;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return; // Comments and keep-alives are not ours to show.
    }
    onData(parsed, type);
  };
  const open = () => {
    source = new EventSource(url, { withCredentials });
    source.addEventListener('open', () => {
      onOpen?.(opened);
      opened = true;
    });
    source.addEventListener('error', () => {
      onDrop?.(true);
      // EventSource retries a broken connection itself, but gives up on an answer that is not a
      // stream (a proxy's 502 while the server restarts): open a new one after the usual delay.
      if (source.readyState === EventSource.CLOSED && !closed) timer = setTimeout(open, DEFAULT_RETRY_MS);
    });
    for (const name of ['message', ...eventNames]) source.addEventListener(name, listener);
  };
  open();
  const close = () => {
    closed = true;
    clearTimeout(timer);
    source.close();
    signal?.removeEventListener('abort', close);
  };
  signal?.addEventListener('abort', close, { once: true });
  return close;
}

/** What an `EventSource` waits before reconnecting when the server does not say (`retry:`). */
const DEFAULT_RETRY_MS = 3000;

/** The `fetch` reading of an event stream, for when headers must be sent. */
function fetchEventStream(
  url: string,
  onData: (data: unknown, eventName: string) => void,
  headers: Record<string, string>,
  { signal, onOpen, onDrop, withCredentials = false }: SubscribeOptions,
): () => void {
  const controller = new AbortController();
  const close = () => {
    controller.abort();
    signal?.removeEventListener('abort', close);
  };
  signal?.addEventListener('abort', close, { once: true });
  let lastEventId = '';
  let retryMs = DEFAULT_RETRY_MS;

  const dispatch = (block: string) => {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon === 0) continue; // a comment (heartbeat)
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') data.push(value);
      else if (field === 'event') name = value;
      else if (field === 'id') lastEventId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (data.length === 0) return;
    try {
      onData(JSON.parse(data.join('\n')), name);
    } catch {
      // Not JSON: not a message for us.
    }
  };

  const run = async () => {
    let opened = false;
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(url, {
          headers: {
            ...headers,
            accept: 'text/event-stream',
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
          credentials: withCredentials ? 'include' : 'same-origin',
          cache: 'no-store',
          signal: controller.signal,
        });
        // A refusal (4xx) ends the subscription for good; a server error is retried, as a break is.
        if (response.status < 500 && (!response.ok || !response.body)) {
          onDrop?.(false);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`${response.status}`);
        onOpen?.(opened);
        opened = true;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: RegExpExecArray | null;
          while ((end = /\r?\n\r?\n/.exec(buffer))) {
            dispatch(buffer.slice(0, end.index));
            buffer = buffer.slice(end.index + end[0].length);
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      onDrop?.(true);
      // The stream ended or broke: reconnect after the server's delay, resuming after the last id.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryMs);
        controller.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
  };
  void run();
  return close;
}
