import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { TurtleElement } from '../internal/turtle-element.js';
import { defineElement } from '../internal/define-element.js';
import { TurtleApiError } from '../internal/api-error.js';
import { isFinalStatus, type Execution, type ExecutionEvent } from '../../api/index.js';
import { LiveExecutionController } from '../internal/live-execution-controller.js';
import { renderDeliveries } from '../internal/render-deliveries.js';
import { renderOutput } from '../internal/render-output.js';
import { formatTime, renderProgress, renderStatus } from '../internal/render-status.js';
import { turtleExecutionStyles } from './turtle-execution.styles.js';

/**
 * @tagname turtle-execution
 * @summary The detail of one execution: its inputs, status timeline, progress, output or error, kept
 * live while it runs, with cancel and rerun buttons, and the completion webhooks of its end.
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
 * @csspart inputs - The inputs, as key/value rows; a given secret shows as `•••• (given)`.
 * @csspart output - The rendered output.
 * @csspart error - The error type, message and traceback (when the server sends it).
 * @csspart timeline - The list of timeline events.
 * @csspart deliveries - The completion webhooks of its end, each with its attempts.
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

  @state() private actionError = '';

  /** The execution as last loaded or updated live. */
  private readonly live = new LiveExecutionController(this, {
    api: () => this.api,
    onUpdate: (execution) => this.emit('turtle-update', { execution }),
    onFinish: (execution) => this.emit('turtle-finish', { execution }),
    onError: (error) => this.fail(error),
  });

  private readonly loadTask = new Task(this, {
    // api-base and token are arguments so that changing them reloads; `this.api` reads them.
    task: async ([id], { signal }) => {
      this.live.stop();
      if (!id) throw new TurtleApiError('InvalidRequest', 'Set the execution-id attribute.', 0);
      const execution = await this.api.getExecution(id, signal);
      this.live.show(execution);
      this.actionError = '';
      return execution;
    },
    args: () => [this.executionId, this.apiBase, this.token] as const,
  });

  protected override render(): TemplateResult {
    return this.loadTask.render({
      pending: () =>
        this.live.value
          ? this.renderExecution(this.live.value)
          : html`<p class="muted" role="status">Loading…</p>`,
      error: (error) =>
        html`<p class="error-text" role="alert">
          ${error instanceof Error ? error.message : String(error)}
        </p>`,
      complete: () => (this.live.value ? this.renderExecution(this.live.value) : html``),
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
        <div part="inputs">${renderOutput(shownInputs(execution))}</div>
      </section>
      ${
        execution.status === 'done'
          ? html`<section aria-labelledby="output-title">
              <h3 id="output-title">Output</h3>
              <div part="output">${renderOutput(execution.output)}</div>
            </section>`
          : nothing
      }
      ${
        execution.error
          ? html`<section aria-labelledby="error-title" part="error">
              <h3 id="error-title">Error</h3>
              <div class="error-text">
                ${execution.error.type ? html`<strong>${execution.error.type}</strong>: ` : nothing}${execution.error.message ?? ''}
              </div>
              ${execution.error.details && Object.keys(execution.error.details as object).length ? renderOutput(execution.error.details) : nothing}
              ${
                typeof execution.traceback === 'string'
                  ? html`<details>
                      <summary>Traceback</summary>
                      <pre>${execution.traceback}</pre>
                    </details>`
                  : nothing
              }
            </section>`
          : nothing
      }
      ${
        execution.events?.length
          ? html`<section aria-labelledby="timeline-title">
              <h3 id="timeline-title">Timeline</h3>
              <ol part="timeline" class="timeline">
                ${execution.events.map((event) => html`<li>${describeEvent(event)}</li>`)}
              </ol>
            </section>`
          : nothing
      }
      ${renderDeliveries(execution.deliveries)}
      <div class="actions">
        ${final ? nothing : html`<button type="button" part="cancel" @click=${this.cancel}>Cancel</button>`}
        ${final ? html`<button type="button" part="rerun" @click=${this.rerun}>Rerun</button>` : nothing}
      </div>
      ${this.actionError ? html`<p class="error-text" role="alert">${this.actionError}</p>` : nothing}
    </article>`;
  }

  private readonly cancel = async (): Promise<void> => {
    const shown = this.live.value;
    if (!shown) return;
    try {
      this.live.set({ ...shown, ...(await this.api.cancelExecution(shown.id)) });
    } catch (error) {
      this.fail(error);
    }
  };

  private readonly rerun = async (): Promise<void> => {
    const shown = this.live.value;
    if (!shown) return;
    try {
      const execution = await this.api.rerunExecution(shown.id);
      this.emit('turtle-created', { execution });
      // Show the new run in place of the old one.
      this.executionId = execution.id;
    } catch (error) {
      this.fail(error);
    }
  };

  private fail(error: unknown): void {
    const apiError = TurtleApiError.from(error);
    this.actionError = apiError.message;
    this.emit('turtle-error', { error: apiError });
  }
}

/** What a given secret shows: the server never sends its value, only that it was given. */
const GIVEN_SECRET = '•••• (given)';

/** The inputs to show: each secret the server masked (`redactedInputs`) as {@link GIVEN_SECRET}. */
function shownInputs(execution: Execution): unknown {
  if (!execution.redactedInputs?.length) return execution.input;
  const copy = structuredClone(execution.input) as Record<string, unknown>;
  for (const pointer of execution.redactedInputs) {
    const keys = pointer
      .split('/')
      .slice(1)
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    let parent: unknown = copy;
    for (const key of keys)
      parent =
        typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>)[key] : undefined;
    if (last !== undefined && typeof parent === 'object' && parent !== null)
      (parent as Record<string, unknown>)[last] = GIVEN_SECRET;
  }
  return copy;
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
