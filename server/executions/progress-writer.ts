/**
 * Throttled storage of a running function's progress and checkpoints: at most one write per
 * `throttleMs` per execution (the first at once), the latest values win, and `close()` stores whatever
 * is still unwritten before the execution moves on.
 */
import type { ExecutionProgress } from '../../api/execution.js';

/** Stores the latest progress and/or state; resolves when written. */
export type ProgressSink = (update: {
  progress?: ExecutionProgress;
  state?: { value: unknown };
}) => Promise<void>;

/** One execution's throttled writer. */
export class ProgressWriter {
  #progress: ExecutionProgress | undefined;
  #state: { value: unknown } | undefined;
  #lastWrite = 0;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly throttleMs: number,
  ) {}

  /** Queues a progress report. */
  progress(progress: ExecutionProgress): void {
    if (this.#closed) return;
    this.#progress = progress;
    this.#schedule();
  }

  /** Queues a checkpoint. */
  checkpoint(state: unknown): void {
    if (this.#closed) return;
    this.#state = { value: state };
    this.#schedule();
  }

  /** Writes what is queued and stops taking reports. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flush();
    await this.#chain;
  }

  #schedule(): void {
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastWrite + this.throttleMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
    this.#timer.unref?.();
  }

  #flush(): void {
    const progress = this.#progress;
    const state = this.#state;
    if (!progress && !state) return;
    this.#progress = undefined;
    this.#state = undefined;
    this.#lastWrite = Date.now();
    this.#chain = this.#chain.then(() =>
      this.sink({ ...(progress ? { progress } : {}), ...(state ? { state } : {}) }),
    );
  }
}
