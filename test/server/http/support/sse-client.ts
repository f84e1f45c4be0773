/**
 * A small Server-Sent Events reader over fetch, for tests: collects events until a condition holds
 * or the server ends the stream, with a bounded wait.
 */

/** One received event. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** An open stream. */
export interface SseStream {
  status: number;
  headers: Headers;
  messages: SseMessage[];
  /** Comment lines seen (heartbeats). */
  comments: string[];
  /** Resolves when `predicate` holds for the messages so far, or rejects after `timeoutMs`. */
  waitFor(predicate: (messages: SseMessage[]) => boolean, timeoutMs?: number): Promise<SseMessage[]>;
  /** Resolves when the server ends the stream (rejects after `timeoutMs`). */
  ended(timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}

/** Opens `url` as an event stream. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const notify = (): void => {
    for (const w of waiters) w();
  };

  void (async () => {
    if (!response.body) {
      done = true;
      notify();
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) {
            message.data = data.join('\n');
            messages.push(message);
          }
        }
        notify();
      }
    } catch {
      // aborted by close()
    }
    done = true;
    notify();
  })();

  const wait = (check: () => boolean, timeoutMs: number, what: string): Promise<SseMessage[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(test);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(messages)}`),
        );
      }, timeoutMs);
      const test = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        waiters.delete(test);
        resolve(messages);
      };
      waiters.add(test);
      test();
    });

  return {
    status: response.status,
    headers: response.headers,
    messages,
    comments,
    waitFor: (predicate, timeoutMs = 5000) => wait(() => predicate(messages) || done, timeoutMs, 'events'),
    ended: (timeoutMs = 5000) => wait(() => done, timeoutMs, 'the end of the stream'),
    close: () => controller.abort(),
  };
}
