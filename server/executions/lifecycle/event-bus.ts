/** Telling subscribers of each recorded event, once it is committed, with the execution as it then is. */
import type { ExecutionEvent } from '../../../api/execution.js';
import type { ExecutionListener, Logger } from '../executions-service.js';
import { toExecution, type ExecutionRecord } from '../store/execution-record.js';

export class EventBus {
  readonly #listeners = new Set<ExecutionListener>();

  constructor(private readonly logger: Logger | undefined) {}

  subscribe(listener: ExecutionListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Tells every listener of `events`; a listener that throws is logged, the others still hear. */
  emit(events: readonly ExecutionEvent[], record: ExecutionRecord): void {
    if (this.#listeners.size === 0 || events.length === 0) return;
    const execution = toExecution(record);
    for (const event of events) {
      for (const listener of this.#listeners) {
        try {
          listener(event, execution);
        } catch (err) {
          this.logger?.warn({ err }, 'an execution listener threw');
        }
      }
    }
  }
}
