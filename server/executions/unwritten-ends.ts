/**
 * The ends of runs this process could not write (the database kept failing), by execution id. The
 * next `advance` of such an execution writes its end instead of running the function again; each
 * end is also tried again on its own, with backoff, so that it is written once the database is back
 * even when no scheduler retries (or another process holds the job), well within a heartbeat ttl.
 */

/** First wait before an end is tried again on its own; it doubles with each failure. */
const FIRST_RETRY_MS = 1_000;
/** The longest wait between two tries: under the default heartbeat ttl (60 s), so the claim stays fresh. */
const MAX_RETRY_MS = 15_000;

interface Entry<E> {
  end: E;
  failures: number;
  timer?: NodeJS.Timeout;
  writing?: Promise<unknown> | undefined;
}

/** Ends kept in memory until written; `retry(id)` is called when one is due to be tried again. */
export class UnwrittenEnds<E> {
  readonly #entries = new Map<string, Entry<E>>();

  constructor(private readonly retry: (id: string) => Promise<unknown>) {}

  /** The end kept for `id`, if any. */
  get(id: string): E | undefined {
    return this.#entries.get(id)?.end;
  }

  /** Keeps (or replaces) the end of `id` after a failed write, and schedules its next try. */
  keep(id: string, end: E): void {
    const entry = this.#entries.get(id) ?? { end, failures: 0 };
    entry.end = end;
    entry.failures++;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(
      () => {
        this.retry(id).catch(() => undefined);
      },
      Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (entry.failures - 1)),
    );
    entry.timer.unref();
    this.#entries.set(id, entry);
  }

  /** Forgets the end of `id` (written, or no longer this process's to write). */
  forget(id: string): void {
    clearTimeout(this.#entries.get(id)?.timer);
    this.#entries.delete(id);
  }

  /** Runs `write` for the kept end of `id`, or joins the write under way: one at a time per execution. */
  once<T>(id: string, write: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(id);
    if (!entry) return write();
    clearTimeout(entry.timer);
    entry.writing ??= write().finally(() => {
      entry.writing = undefined;
    });
    return entry.writing as Promise<T>;
  }
}
