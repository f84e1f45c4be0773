/**
 * Who hears of an execution's end: the server-wide receivers (of `done` and `errored`) and the
 * function's own `notify` receivers (of the ends they list). Decided when the end is written, so
 * the deliveries are stored in the same commit.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_NOTIFY_ON, notifyTargets, type NotifyTarget } from '../registry/notify-option.js';
import type { BoundRegistry } from '../registry/bound-registry.js';
import type { RegisteredFunction } from '../registry/function-options.js';
import type { ExecutionStatus } from '../../api/execution.js';
import type { DeliveryDraft } from './delivery-rows.js';

/** The receivers of each function's ends. */
export class WebhookTargets {
  readonly #serverWide: NotifyTarget[];
  readonly #functions: Pick<BoundRegistry, 'get'>;

  /** `urls`: the server-wide receivers (already checked); `functions`: whose `notify` options are read. */
  constructor(urls: readonly string[], functions: Pick<BoundRegistry, 'get'>) {
    this.#serverWide = urls.map((url) => ({ url, on: DEFAULT_NOTIFY_ON }));
    this.#functions = functions;
  }

  /** Whether any receiver is configured at all. */
  static any(
    urls: readonly string[],
    functions: { list(): readonly Pick<RegisteredFunction, 'options'>[] },
  ): boolean {
    return urls.length > 0 || functions.list().some((fn) => fn.options.notify !== undefined);
  }

  /** The URLs (each once) that hear of `functionName` ending in `status`. */
  urlsFor(functionName: string, status: ExecutionStatus): string[] {
    const fn = this.#functions.get(functionName);
    const all = [...this.#serverWide, ...(fn ? notifyTargets(fn.name, fn.options.notify) : [])];
    return [...new Set(all.filter((t) => (t.on as readonly string[]).includes(status)).map((t) => t.url))];
  }

  /** The deliveries to store with the end of execution `executionId` in `status` at `at` (epoch ms). */
  draftsFor(executionId: string, functionName: string, status: ExecutionStatus, at: number): DeliveryDraft[] {
    return this.urlsFor(functionName, status).map((url) => ({
      id: randomUUID(),
      executionId,
      url,
      event: status as DeliveryDraft['event'],
      at,
    }));
  }
}
