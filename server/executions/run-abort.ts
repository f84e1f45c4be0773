/**
 * A run's abort switch (cancel, timeout, worker shutdown, lost claim) whose `AbortSignal` is made on
 * first use: creating an AbortController costs more than a fast run's own work, and most runs never
 * look at their signal. Aborting before the signal exists makes it already aborted, with the reason.
 */
export class RunAbort {
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;
  readonly #waiting = new Set<(reason: unknown) => void>();

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it was aborted (`Cancelled`, `Timeout`, …); undefined while it was not. */
  get reason(): unknown {
    return this.#reason;
  }

  /** The signal handed to the function and its hooks. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts with `reason`; only the first call counts. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    for (const reject of this.#waiting) reject(reason);
    this.#waiting.clear();
  }

  /** Settles as `promise` does, or rejects with the reason as soon as this is aborted. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.#aborted) return Promise.reject(this.#reason);
    return new Promise<T>((resolve, reject) => {
      this.#waiting.add(reject);
      promise.then(
        (value) => {
          this.#waiting.delete(reject);
          resolve(value);
        },
        (err: unknown) => {
          this.#waiting.delete(reject);
          reject(err);
        },
      );
    });
  }
}
