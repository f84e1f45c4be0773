import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { TurtleElement } from '../internal/turtle-element.js';
import { defineElement } from '../internal/define-element.js';
import { TurtleApiError } from '../internal/api-error.js';
import { isFinalStatus, type Execution, type ExecutionEvent } from '../internal/api-types.js';
import { subscribe } from '../internal/event-stream.js';
import { applyStreamData } from '../internal/live-execution.js';
import { renderOutput } from '../internal/render-output.js';
import { formatTime, renderProgress, renderStatus } from '../internal/render-status.js';
import { turtleExecutionStyles } from './turtle-execution.styles.js';

/**
 * @tagname turtle-execution
 * @summary The detail of one execution: its inputs, status timeline, progress, output or error, kept
 * live while it runs, with cancel and rerun buttons.
 *
 * @example
 * <turtle-execution execution-id="3f0c…"></turtle-execution>
 *
 * @event turtle-update - The execution changed; `detail.execution`.
 * @event turtle-finish - The execution ended while shown; `detail.execution`.
 * @event turtle-created - Rerun made a new execution; `detail.execution`.
 * @event turtle-error - An API call failed; `detail.error` is a `TurtleApiError`.
 *
 * @csspart execution - The `<article>`.
 * @csspart status - The status badge.
 * @csspart progress - The progress bar and message.
 * @csspart inputs - The inputs, as key/value rows.
 * @csspart output - The rendered output.
 * @csspart error - The error type, message and traceback.
 * @csspart timeline - The list of timeline events.
 * @csspart cancel - The cancel button.
 * @csspart rerun - The rerun button.
 *
 * @cssproperty --turtle-font-family - Default: `system-ui, sans-serif`.
 * @cssproperty --turtle-color - Text colour. Default: `#1f2328`.
 * @cssproperty --turtle-muted-color - Secondary text. Default: `#59636e`.
 * @cssproperty --turtle-muted-background - Table headers, code. Default: `#f6f8fa`.
 * @cssproperty --turtle-border-color - Default: `#d1d9e0`.
 * @cssproperty --turtle-accent-color - Focus ring, progress. Default: `#0b5cad`.
 * @cssproperty --turtle-error-color - Default: `#b3261e`.
 * @cssproperty --turtle-success-color - Default: `#1a7f37`.
 * @cssproperty --turtle-radius - Corner radius. Default: `4px`.
 * @cssproperty --turtle-spacing - Space between sections. Default: `0.75rem`.
 */
export class TurtleExecution extends TurtleElement {
  static override styles = turtleExecutionStyles;

  /** The id of the execution to show. Required. */
  @property({ attribute: 'execution-id', reflect: true }) executionId = '';

  /** The execution as last loaded or updated live. */
  @state() private execution: Execution | null = null;
  @state() private actionError = '';

  private closeStream: (() => void) | undefined;

  private readonly loadTask = new Task(this, {
    // api-base and token are arguments so that changing them reloads; `this.api` reads them.
    task: async ([id], { signal }) => {
      this.stopStream();
      if (!id) throw new TurtleApiError('InvalidRequest', 'Set the execution-id attribute.', 0);
      const execution = await this.api.getExecution(id, signal);
      this.execution = execution;
      this.actionError = '';
      if (!isFinalStatus(execution.status) && this.isConnected) this.follow(execution.id);
      return execution;
    },
    args: () => [this.executionId, this.apiBase, this.token] as const,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.execution && !isFinalStatus(this.execution.status) && !this.closeStream) this.follow(this.execution.id);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopStream();
  }

  protected override render(): TemplateResult {
    return this.loadTask.render({
      pending: () => (this.execution ? this.renderExecution(this.execution) : html`<p class="muted" role="status">Loading…</p>`),
      error: (error) => html`<p class="error-text" role="alert">${error instanceof Error ? error.message : String(error)}</p>`,
      complete: () => (this.execution ? this.renderExecution(this.execution) : html``),
    }) as TemplateResult;
  }

  private renderExecution(execution: Execution): TemplateResult {
    const final = isFinalStatus(execution.status);
    return html`<article part="execution" aria-labelledby="title">
      <header>
        <h2 id="title">${execution.functionName}</h2>
        <span role="status" aria-live="polite">${renderStatus(execution.status)}</span>
        <span class="muted meta">${execution.mode} · ${execution.id}</span>
      </header>
      <div class="meta muted">
        Created ${formatTime(execution.createdAt)}${execution.user ? ` by ${execution.user}` : ''}
        ${execution.startedAt ? html`· started ${formatTime(execution.startedAt)}` : nothing}
        ${execution.finishedAt ? html`· finished ${formatTime(execution.finishedAt)}` : nothing}
        ${execution.attempts > 1 ? html`· ${execution.attempts} attempts` : nothing}
        ${execution.rerunOf ? html`· rerun of ${execution.rerunOf}` : nothing}
      </div>
      ${renderProgress(execution)}
      <section aria-labelledby="inputs-title">
        <h3 id="inputs-title">Inputs</h3>
        <div part="inputs">${renderOutput(execution.input)}</div>
      </section>
      ${execution.status === 'done'
        ? html`<section aria-labelledby="output-title"><h3 id="output-title">Output</h3><div part="output">${renderOutput(execution.output)}</div></section>`
        : nothing}
      ${execution.error
        ? html`<section aria-labelledby="error-title" part="error">
            <h3 id="error-title">Error</h3>
            <div class="error-text">${execution.error.type ? html`<strong>${execution.error.type}</strong>: ` : nothing}${execution.error.message ?? ''}</div>
            ${execution.error.details && Object.keys(execution.error.details as object).length ? renderOutput(execution.error.details) : nothing}
            ${typeof (execution as { traceback?: unknown }).traceback === 'string'
              ? html`<details><summary>Traceback</summary><pre>${(execution as { traceback?: string }).traceback}</pre></details>`
              : nothing}
          </section>`
        : nothing}
      ${execution.events?.length
        ? html`<section aria-labelledby="timeline-title">
            <h3 id="timeline-title">Timeline</h3>
            <ol part="timeline" class="timeline">${execution.events.map((event) => html`<li>${describeEvent(event)}</li>`)}</ol>
          </section>`
        : nothing}
      <div class="actions">
        ${final ? nothing : html`<button type="button" part="cancel" @click=${this.cancel}>Cancel</button>`}
        ${final ? html`<button type="button" part="rerun" @click=${this.rerun}>Rerun</button>` : nothing}
      </div>
      ${this.actionError ? html`<p class="error-text" role="alert">${this.actionError}</p>` : nothing}
    </article>`;
  }

  private readonly cancel = async (): Promise<void> => {
    if (!this.execution) return;
    try {
      this.setExecution({ ...this.execution, ...(await this.api.cancelExecution(this.execution.id)) });
    } catch (error) {
      this.fail(error);
    }
  };

  private readonly rerun = async (): Promise<void> => {
    if (!this.execution) return;
    try {
      const execution = await this.api.rerunExecution(this.execution.id);
      this.emit('turtle-created', { execution });
      // Show the new run in place of the old one.
      this.executionId = execution.id;
    } catch (error) {
      this.fail(error);
    }
  };

  private follow(id: string): void {
    this.stopStream();
    const api = this.api;
    const url = api.url(`/api/executions/${encodeURIComponent(id)}/events`);
    this.closeStream = subscribe(url, (data) => {
      if (!this.execution) return;
      const { execution, reload } = applyStreamData(this.execution, data);
      // The end is shown once the full execution (with its output or error) is loaded.
      if (reload) void this.reload(id);
      else if (execution !== this.execution) this.setExecution(execution);
    }, { onOpen: () => void this.reload(id), headers: api.authHeaders() });
  }

  private async reload(id: string): Promise<void> {
    try {
      const execution = await this.api.getExecution(id);
      if (this.execution?.id === id) this.setExecution(execution);
    } catch (error) {
      this.fail(error);
    }
  }

  private setExecution(execution: Execution): void {
    const wasFinal = this.execution ? isFinalStatus(this.execution.status) : false;
    this.execution = execution;
    this.emit('turtle-update', { execution });
    if (isFinalStatus(execution.status)) {
      this.stopStream();
      if (!wasFinal) this.emit('turtle-finish', { execution });
    }
  }

  private stopStream(): void {
    this.closeStream?.();
    this.closeStream = undefined;
  }

  private fail(error: unknown): void {
    const apiError = error instanceof TurtleApiError
      ? error
      : new TurtleApiError('InternalError', error instanceof Error ? error.message : String(error), 0);
    this.actionError = apiError.message;
    this.emit('turtle-error', { error: apiError });
  }
}

/** One timeline event as a line of text. */
function describeEvent(event: ExecutionEvent): string {
  const when = formatTime(event.at);
  if (event.kind === 'status') return `${when} — ${event.from ? `${event.from} → ` : ''}${event.to ?? ''}`;
  if (event.kind === 'progress' && typeof event.data === 'object' && event.data !== null) {
    const { fraction, message } = event.data as { fraction?: number; message?: string };
    return `${when} — progress ${Math.round((fraction ?? 0) * 100)}%${message ? `: ${message}` : ''}`;
  }
  return `${when} — ${event.kind}`;
}

defineElement('turtle-execution', TurtleExecution);

declare global {
  interface HTMLElementTagNameMap {
    'turtle-execution': TurtleExecution;
  }
}
