/**
 * A Lit reactive controller holding one execution an element shows live: it follows the execution's
 * event stream while the host is connected and the execution has not ended, patches what the stream
 * says in, and reloads the whole execution when it must (the stream (re)opened, or the run ended and
 * its output or error is needed).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isFinalStatus, type Execution, type ExecutionEvent } from '../../api/index.js';
import type { ApiClient } from './api-client.js';
import { TurtleApiError } from './api-error.js';
import { subscribe } from './event-stream.js';
import { applyStreamEvent } from './live-execution.js';

/** Where a {@link LiveExecutionController} stands. */
export const LiveExecutionStatus = {
  /** No execution is shown. */
  empty: 'empty',
  /** The execution's event stream is open. */
  live: 'live',
  /** The execution may still change but is not followed (the host is disconnected). */
  paused: 'paused',
  /** The execution ended; nothing more will come. */
  final: 'final',
} as const;

/** One of {@link LiveExecutionStatus}. */
export type LiveExecutionStatus = (typeof LiveExecutionStatus)[keyof typeof LiveExecutionStatus];

/** Options of {@link LiveExecutionController}. */
export interface LiveExecutionOptions {
  /** The client to call; read at every call so that a changed `api-base` or token applies. Required. */
  api: () => ApiClient;
  /** Called after every change made by {@link LiveExecutionController.set} (stream, reload, cancel). Default: none. */
  onUpdate?: (execution: Execution) => void;
  /** Called once when a followed execution reaches a final status. Default: none. */
  onFinish?: (execution: Execution) => void;
  /** Called when reloading the execution fails. Default: none. */
  onError?: (error: TurtleApiError) => void;
}

/**
 * Holds the execution an element shows and keeps it live.
 *
 * @example
 * private readonly live = new LiveExecutionController(this, {
 *   api: () => this.api,
 *   onUpdate: (execution) => this.emit('turtle-update', { execution }),
 * });
 * // after loading or creating an execution:
 * this.live.show(execution);
 */
export class LiveExecutionController implements ReactiveController {
  /** The execution shown; `null` when there is none. */
  value: Execution | null = null;

  private stream: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: LiveExecutionOptions,
  ) {
    host.addController(this);
  }

  /** Where the controller stands; see {@link LiveExecutionStatus}. */
  get status(): LiveExecutionStatus {
    if (!this.value) return LiveExecutionStatus.empty;
    if (isFinalStatus(this.value.status)) return LiveExecutionStatus.final;
    return this.stream ? LiveExecutionStatus.live : LiveExecutionStatus.paused;
  }

  /**
   * Shows `execution` as it is, without calling `onUpdate`, and follows it while it runs and the
   * host is connected; `null` shows nothing.
   */
  show(execution: Execution | null): void {
    this.stop();
    this.value = execution;
    this.host.requestUpdate();
    if (execution && !isFinalStatus(execution.status) && this.host.isConnected) this.follow();
  }

  /** Replaces the shown execution with a newer state of it; stops following once it has ended. */
  set(execution: Execution): void {
    const wasFinal = this.value ? isFinalStatus(this.value.status) : false;
    this.value = execution;
    this.host.requestUpdate();
    this.options.onUpdate?.(execution);
    if (isFinalStatus(execution.status)) {
      this.stop();
      if (!wasFinal) this.options.onFinish?.(execution);
    }
  }

  /** Fetches the shown execution again (with its output, error and timeline) and {@link set}s it. */
  async reload(signal?: AbortSignal): Promise<void> {
    const id = this.value?.id;
    if (id === undefined) return;
    try {
      const execution = await this.options.api().getExecution(id, signal);
      // Another execution may be shown by now.
      if (this.value?.id === id) this.set(execution);
    } catch (error) {
      if (!signal?.aborted) this.options.onError?.(TurtleApiError.from(error));
    }
  }

  /** Closes the event stream (and drops a reload it started); the execution stays shown. */
  stop(): void {
    this.stream?.abort();
    this.stream = undefined;
  }

  /** Re-attached while the execution runs: pick its updates up again. */
  hostConnected(): void {
    if (this.status === LiveExecutionStatus.paused) this.follow();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private follow(): void {
    this.stop();
    const id = this.value!.id;
    const stream = new AbortController();
    this.stream = stream;
    const api = this.options.api();
    const url = api.url(`/api/executions/${encodeURIComponent(id)}/events`);
    subscribe<ExecutionEvent>(
      url,
      (event) => {
        if (!this.value) return;
        const { execution, reload } = applyStreamEvent(this.value, event);
        // The end is shown once the full execution (with its output or error) is loaded.
        if (reload) void this.reload(stream.signal);
        else if (execution !== this.value) this.set(execution);
      },
      {
        signal: stream.signal,
        // Whatever happened while the stream was down (or before it opened) is in the execution.
        onOpen: () => void this.reload(stream.signal),
        headers: api.authHeaders(),
      },
    );
  }
}
