import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { TurtleElement } from '../internal/turtle-element.js';
import { defineElement } from '../internal/define-element.js';
import { TurtleApiError } from '../internal/api-error.js';
import {
  isFinalStatus,
  type Execution,
  type FunctionInfo,
  type SchemaChangedDetails,
} from '../../api/index.js';
import type { ApiClient } from '../internal/api-client.js';
import { LiveExecutionController } from '../internal/live-execution-controller.js';
import { OutputController } from '../internal/output-controller.js';
import { renderDeliveries } from '../internal/render-deliveries.js';
import { SECRET_TEXT } from '../internal/render-output.js';
import { runHref } from '../internal/run-link.js';
import { renderTime } from '../internal/format-date.js';
import { renderProgress, renderStatus } from '../internal/render-status.js';
import { timelineLines } from '../internal/timeline.js';
import { describeChange } from '../internal/describe-change.js';
import { renderLoadError } from '../internal/render-load-error.js';
import { turtleExecutionStyles } from './turtle-execution.styles.js';
import '../turtle-form/turtle-form.js';

/**
 * @tagname turtle-execution
 * @summary The detail of one execution: its inputs, status timeline, progress, output or error, kept
 * live while it runs, with cancel, rerun, "edit and run again" and (an errored run with a checkpoint)
 * resume buttons, and the completion webhooks of its end. Inputs and output are labelled as the function version the run was made with
 * labels them (its `functionVersion`), not as the function is now; enum values show as their labels
 * (the execution keeps the values). A rerun refused because the function's parameters changed
 * (`409 SchemaChanged`) shows what changed and offers "Edit and run again" with the inputs that
 * still fit.
 *
 * "Edit and run again" dispatches a cancelable `turtle-edit-request` event. By default the element
 * then opens the function's `<turtle-form from-execution="…">` below, prefilled with this run's
 * inputs (masked secrets left empty), and shows the new execution once the form runs it. A page with
 * a form of its own cancels the event and fills that form instead:
 *
 * With `href-template` (the form of a run's URL, such as `#run={id}` or `/runs/{id}`), a "Copy link"
 * button puts the shown run's URL on the clipboard (`<turtle-executions link>` sets it on its detail).
 *
 * @example
 * <turtle-execution execution-id="3f0c…"></turtle-execution>
 * <turtle-execution execution-id="3f0c…" href-template="/runs/{id}"></turtle-execution>
 * <script type="module">
 *   // Optional: edit in the page's own form rather than in the detail.
 *   document.addEventListener('turtle-edit-request', (event) => {
 *     event.preventDefault();
 *     const form = document.querySelector('turtle-form');
 *     form.fn = event.detail.function;
 *     form.setAttribute('from-execution', event.detail.executionId);
 *   });
 * </script>
 *
 * @event turtle-update - The execution changed; `detail.execution`.
 * @event turtle-finish - The execution ended while shown; `detail.execution`.
 * @event turtle-created - Rerun, resume or the edit form made a new execution; `detail.execution`.
 * @event turtle-edit-request - "Edit and run again" was chosen; `detail: { function, values, executionId }`
 * (`values`: the inputs without masked secrets). Bubbles, composed, cancelable: cancel it to handle the
 * edit elsewhere; otherwise the form opens in the detail.
 * @event turtle-error - An API call failed; `detail.error` is a `TurtleApiError`.
 * @event turtle-edit-request - "Edit and run again" after a `SchemaChanged` rerun; `detail.function`
 * is the function's name, `detail.values` the stored inputs that still fit (secrets left out).
 *
 * @csspart execution - The `<article>`.
 * @csspart status - The status badge.
 * @csspart progress - The progress bar and message.
 * @csspart inputs - The inputs, as key/value rows; a given secret shows as `•••• (given)`.
 * @csspart output - The rendered output, laid out by the function's declared return type: tables
 * (`output-table`, sortable by their column headers, long ones paged: `output-table-page`, `output-more`,
 * `output-all`), key/value groups (`output-record`), lists (`output-list`), and `output-text`,
 * `output-long-text`, `output-number`, `output-date`, `output-link`, `output-secret`, `output-empty`.
 * @csspart output-table - A table of records in the output (or inputs), its columns the record's properties.
 * @csspart output-record - A record's properties as key/value rows, labelled by their titles.
 * @csspart output-table-page - How many rows of a long table show, with "Show more" and "Show all".
 * @csspart output-long-text - Long or multi-line text, in a scrollable block.
 * @csspart output-link - An http(s) URL, as a link opened in a new tab.
 * @csspart output-date - A date and time in the user's locale (the exact time on hover).
 * @csspart copy-output - The "Copy as JSON" button of the output.
 * @csspart copied-output - Whether the output was copied.
 * @csspart error - The error type, message and traceback (when the server sends it).
 * @csspart timeline - The timeline: status changes with the time spent in each, retries and takeovers marked, progress and checkpoints folded into one line (expandable).
 * @csspart deliveries - The completion webhooks of its end, each with its attempts.
 * @csspart cancel - The cancel button.
 * @csspart rerun - The rerun button.
 * @csspart resume - The resume button (an errored run with a checkpoint: rerun from it).
 * @csspart edit - The "edit and run again" button.
 * @csspart copy-link - The "copy link" button (with `href-template`).
 * @csspart copied - Whether the link was copied (or, when the clipboard refused, the link to copy by hand).
 * @csspart edit-form - The `<turtle-form>` opened by "edit and run again".
 * @csspart schema-changed - Why a rerun was refused: the message and the list of changes.
 *
 * @cssproperty --turtle-font-family - Default: `system-ui, sans-serif`.
 * @cssproperty --turtle-font-size - Default: `1rem`.
 * @cssproperty --turtle-color - Text colour. Default: `#1f2328` (light), `#f0f6fc` (dark).
 * @cssproperty --turtle-muted-color - Secondary text. Default: `#59636e` (light), `#9198a1` (dark).
 * @cssproperty --turtle-muted-background - Table headers, code. Default: `#f6f8fa` (light), `#151b23` (dark).
 * @cssproperty --turtle-border-color - Default: `#d1d9e0` (light), `#3d444d` (dark).
 * @cssproperty --turtle-accent-color - Focus ring, progress. Default: `#0b5cad` (light), `#4493f8` (dark).
 * @cssproperty --turtle-error-color - Default: `#b3261e` (light), `#f85149` (dark).
 * @cssproperty --turtle-success-color - Default: `#1a7f37` (light), `#3fb950` (dark).
 * @cssproperty --turtle-radius - Corner radius. Default: `4px`.
 * @cssproperty --turtle-spacing - Space between sections. Default: `0.75rem`.
 * @cssproperty --turtle-focus-ring - The outline of a focused control. Default: `2px solid` the accent colour.
 */
export class TurtleExecution extends TurtleElement {
  static override styles = turtleExecutionStyles;

  /** The id of the execution to show. Required. */
  @property({ attribute: 'execution-id', reflect: true }) executionId = '';

  /**
   * The form of this run's URL, `{id}` standing for its id, relative to the page (`#run={id}`,
   * `/runs/{id}`); when set, a "Copy link" button copies it. Default: none (no button).
   */
  @property({ attribute: 'href-template' }) hrefTemplate = '';

  @state() private actionError = '';
  /** What the last "Copy link" did, shown next to the button. */
  @state() private copied = '';
  /** What the last "Copy as JSON" did, shown next to the button. */
  @state() private copiedOutput = '';

  /** Lays out inputs, output and error details, and keeps each table's sort and page. */
  private readonly outputs = new OutputController(this);
  /** Whether the edit form is open. */
  @state() private editing = false;
  /** What the edit form is filled with when not the run's own inputs (after a `SchemaChanged`). */
  @state() private editValues: Record<string, unknown> | undefined;

  /** The last rerun's `SchemaChanged` refusal, while it is shown. */
  @state() private schemaChanged: SchemaChangedDetails | undefined;

  /** The function as the shown run was made with (its version), when the server knows it. */
  @state() private ranWith: FunctionInfo | undefined;

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
      this.ranWith = await functionAsRun(this.api, execution, signal);
      this.live.show(execution);
      this.actionError = '';
      this.editing = false;
      this.schemaChanged = undefined;
      this.copied = '';
      this.copiedOutput = '';
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
      error: (error) => renderLoadError(error),
      complete: () => (this.live.value ? this.renderExecution(this.live.value) : html``),
    }) as TemplateResult;
  }

  private renderExecution(execution: Execution): TemplateResult {
    const final = isFinalStatus(execution.status);
    return html`<article part="execution" aria-labelledby="title">
      <header>
        <h2 id="title">${this.ranWith?.title ?? execution.functionName}</h2>
        <span role="status" aria-live="polite">${renderStatus(execution.status)}</span>
        <span class="muted meta">${execution.mode} · ${execution.id}</span>
      </header>
      <div class="meta muted">
        Created ${renderTime(execution.createdAt)}${execution.user ? ` by ${execution.user}` : ''}
        ${execution.startedAt ? html`· started ${renderTime(execution.startedAt)}` : nothing}
        ${execution.finishedAt ? html`· finished ${renderTime(execution.finishedAt)}` : nothing}
        ${execution.attempts > 1 ? html`· ${execution.attempts} attempts` : nothing}
        ${execution.rerunOf ? html`· rerun of ${execution.rerunOf}` : nothing}
      </div>
      ${renderProgress(execution)}
      <section aria-labelledby="inputs-title">
        <h3 id="inputs-title">Inputs</h3>
        <div part="inputs">
          ${this.outputs.render(shownInputs(execution), this.ranWith?.params, `${execution.id}/inputs`)}
        </div>
      </section>
      ${
        execution.status === 'done'
          ? html`<section aria-labelledby="output-title">
              <div class="section-head">
                <h3 id="output-title">Output</h3>
                <button type="button" part="copy-output" @click=${this.copyOutput}>Copy as JSON</button>
                <span part="copied-output" class="muted" role="status">${this.copiedOutput}</span>
              </div>
              <div part="output">
                ${this.outputs.render(execution.output, this.ranWith?.returns, `${execution.id}/output`)}
              </div>
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
              ${execution.error.details && Object.keys(execution.error.details).length ? this.outputs.render(execution.error.details, undefined, `${execution.id}/error`) : nothing}
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
                ${timelineLines(execution.events).map(
                  (line) =>
                    html`<li class=${line.notable ? 'notable' : ''}>
                      ${
                        line.folded.length
                          ? html`<details>
                              <summary>${line.text}</summary>
                              <ol>
                                ${line.folded.map((text) => html`<li>${text}</li>`)}
                              </ol>
                            </details>`
                          : line.text
                      }
                    </li>`,
                )}
              </ol>
            </section>`
          : nothing
      }
      ${renderDeliveries(execution.deliveries)}
      <div class="actions">
        ${final ? nothing : html`<button type="button" part="cancel" @click=${this.cancel}>Cancel</button>`}
        ${final ? html`<button type="button" part="rerun" @click=${this.rerun}>Rerun</button>` : nothing}
        ${
          this.hrefTemplate
            ? html`<button type="button" part="copy-link" @click=${this.copyLink}>Copy link</button>
                <span part="copied" class="muted" role="status">${this.copied}</span>`
            : nothing
        }
        ${
          execution.status === 'errored' && execution.state !== null && execution.state !== undefined
            ? html`<button type="button" part="resume" @click=${this.resume}>Resume from checkpoint</button>`
            : nothing
        }
        ${
          final
            ? html`<button
                type="button"
                part="edit"
                aria-expanded=${this.editing ? 'true' : 'false'}
                @click=${this.edit}
              >
                Edit and run again
              </button>`
            : nothing
        }
      </div>
      ${
        this.schemaChanged
          ? this.renderSchemaChanged(this.schemaChanged)
          : this.actionError
            ? html`<p class="error-text" role="alert">${this.actionError}</p>`
            : nothing
      }
      ${this.editing ? this.renderEditForm(execution) : nothing}
    </article>`;
  }

  private renderSchemaChanged(details: SchemaChangedDetails): TemplateResult {
    // What changed when the run's version is known, else why its inputs do not fit.
    const lines = details.changes.length
      ? details.changes.map(describeChange)
      : details.errors.map((e) => `${e.path || '(inputs)'} ${e.message}`);
    return html`<section part="schema-changed" role="alert" aria-labelledby="schema-changed-title">
      <h3 id="schema-changed-title" class="error-text">${this.actionError}</h3>
      <ul>
        ${lines.map((line) => html`<li>${line}</li>`)}
      </ul>
      <div class="actions">
        <button type="button" part="edit-request" @click=${this.editFitting}>Edit and run again</button>
      </div>
    </section>`;
  }

  private renderEditForm(execution: Execution): TemplateResult {
    return html`<section aria-labelledby="edit-title">
      <h3 id="edit-title">Edit and run again</h3>
      <turtle-form
        part="edit-form"
        fn=${execution.functionName}
        from-execution=${this.editValues ? nothing : execution.id}
        .values=${this.editValues}
        api-base=${this.apiBase}
        .token=${this.token}
        submit-label="Run again"
        @turtle-created=${this.onEdited}
      ></turtle-form>
      <button type="button" part="edit-close" @click=${() => (this.editing = false)}>Close</button>
    </section>`;
  }

  /** "Edit and run again" of the shown run: its inputs, secrets left out. */
  private readonly edit = (): void => {
    const shown = this.live.value;
    if (!shown) return;
    if (this.editing) {
      this.editing = false;
      return;
    }
    this.requestEdit(shown, editableInputs(shown), undefined);
  };

  /** "Edit and run again" after a `SchemaChanged` refusal: only the inputs that still fit. */
  private readonly editFitting = (): void => {
    const shown = this.live.value;
    if (shown && this.schemaChanged)
      this.requestEdit(shown, this.schemaChanged.values, this.schemaChanged.values);
  };

  /**
   * Asks the page whether it edits elsewhere; if nobody says so, opens the form here, filled from the
   * execution or, given `formValues`, with those.
   */
  private requestEdit(
    shown: Execution,
    values: Record<string, unknown>,
    formValues: Record<string, unknown> | undefined,
  ): void {
    const request = new CustomEvent('turtle-edit-request', {
      detail: { function: shown.functionName, values, executionId: shown.id },
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (!this.dispatchEvent(request)) return;
    this.editValues = formValues;
    this.editing = true;
  }

  /** The edit form ran the edited inputs: show the new execution, as a rerun does. */
  private readonly onEdited = (event: HTMLElementEventMap['turtle-created']): void => {
    this.editing = false;
    this.executionId = event.detail.execution.id;
  };

  /** The shown run's URL, by `href-template`. */
  get href(): string {
    return this.hrefTemplate && this.executionId ? runHref(this.hrefTemplate, this.executionId) : '';
  }

  private readonly copyLink = async (): Promise<void> => {
    const href = this.href;
    try {
      await navigator.clipboard.writeText(href);
      this.copied = 'Link copied';
    } catch {
      // No clipboard (an insecure page, or permission refused): the link to copy by hand.
      this.copied = href;
    }
  };

  /** Puts the output, as the function returned it (values, not labels), on the clipboard as JSON. */
  private readonly copyOutput = async (): Promise<void> => {
    const shown = this.live.value;
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(JSON.stringify(shown.output, null, 2));
      this.copiedOutput = 'Copied';
    } catch {
      this.copiedOutput = 'The clipboard refused; select the output to copy it.';
    }
  };

  private readonly cancel = async (): Promise<void> => {
    const shown = this.live.value;
    if (!shown) return;
    try {
      this.live.set({ ...shown, ...(await this.api.cancelExecution(shown.id)) });
    } catch (error) {
      this.fail(error);
    }
  };

  private readonly rerun = (): Promise<void> => this.rerunWith(false);

  private readonly resume = (): Promise<void> => this.rerunWith(true);

  private async rerunWith(resume: boolean): Promise<void> {
    const shown = this.live.value;
    if (!shown) return;
    try {
      this.schemaChanged = undefined;
      const execution = await this.api.rerunExecution(shown.id, { resume });
      this.emit('turtle-created', { execution });
      // Show the new run in place of the old one.
      this.executionId = execution.id;
    } catch (error) {
      const apiError = TurtleApiError.from(error);
      if (apiError.type === 'SchemaChanged')
        this.schemaChanged = apiError.details as unknown as SchemaChangedDetails;
      this.fail(apiError);
    }
  }

  private fail(error: unknown): void {
    const apiError = TurtleApiError.from(error);
    this.actionError = apiError.message;
    this.emit('turtle-error', { error: apiError });
  }
}

/** Versions never change: each is fetched once per page (by API base, function and version). */
const versions = new Map<string, FunctionInfo>();

/**
 * The function as `execution` was made with: its version's entry, or the current function for a run
 * stored before versions were; undefined when the server has neither (the inputs keep their names).
 */
async function functionAsRun(
  api: ApiClient,
  execution: Execution,
  signal: AbortSignal,
): Promise<FunctionInfo | undefined> {
  const { functionName, functionVersion } = execution;
  const key = `${api.base}\n${functionName}\n${functionVersion ?? ''}`;
  const known = functionVersion === null ? undefined : versions.get(key);
  if (known) return known;
  try {
    if (functionVersion === null) return await api.getFunction(functionName, signal);
    const found = await api.getFunctionVersion(functionName, functionVersion, signal);
    versions.set(key, found);
    return found;
  } catch (error) {
    if (signal.aborted) throw error;
    return undefined;
  }
}

/**
 * The inputs to show: each secret the server masked (`redactedInputs`) as {@link SECRET_TEXT}, also
 * where the run's version of the function is unknown (its schema would mark the secret too).
 */
function shownInputs(execution: Execution): Record<string, unknown> {
  return atSecrets(execution, (parent, key) => (parent[key] = SECRET_TEXT));
}

/** The inputs to edit: without the secrets the server masked (they must be entered again). */
function editableInputs(execution: Execution): Record<string, unknown> {
  return atSecrets(execution, (parent, key) => delete parent[key]);
}

/** A copy of the inputs with `change` applied where each masked secret (`redactedInputs`) is. */
function atSecrets(
  execution: Execution,
  change: (parent: Record<string, unknown>, key: string) => void,
): Record<string, unknown> {
  if (!execution.redactedInputs?.length) return execution.input;
  const copy = structuredClone<Record<string, unknown>>(execution.input);
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
      change(parent as Record<string, unknown>, last);
  }
  return copy;
}

/** The detail of a `turtle-edit-request` event. */
export interface TurtleEditRequest {
  /** The registered name of the execution's function. */
  function: string;
  /** Its inputs, without the secrets the server masked. */
  values: Record<string, unknown>;
  /** The execution to edit (what `<turtle-form from-execution>` takes). */
  executionId: string;
}

defineElement('turtle-execution', TurtleExecution);

declare global {
  interface HTMLElementTagNameMap {
    'turtle-execution': TurtleExecution;
  }
  interface HTMLElementEventMap {
    /** "Edit and run again" on a `<turtle-execution>`; cancel it to edit elsewhere. */
    'turtle-edit-request': CustomEvent<TurtleEditRequest>;
  }
}
