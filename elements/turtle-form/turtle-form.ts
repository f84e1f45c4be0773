import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { Task, TaskStatus } from '@lit/task';
import { TurtleElement } from '../internal/turtle-element.js';
import { defineElement } from '../internal/define-element.js';
import { TurtleApiError } from '../internal/api-error.js';
import { isFinalStatus, type Execution, type ExecutionSummary, type FunctionInfo } from '../../api/index.js';
import { fieldsFromSchema, FieldKind, rowField, type Field } from '../internal/schema-fields.js';
import {
  addRow,
  collectInputs,
  errorsByPath,
  initialRawValues,
  moveRow,
  removeRow,
  rowsOf,
  type RawValues,
} from '../internal/form-values.js';
import { prefillRawValues } from '../internal/prefill-values.js';
import { LiveExecutionController } from '../internal/live-execution-controller.js';
import { OutputController } from '../internal/output-controller.js';
import { renderProgress, renderStatus } from '../internal/render-status.js';
import { turtleFormStyles } from './turtle-form.styles.js';

/**
 * @tagname turtle-form
 * @summary A form for one registered function, generated from its JSON Schema. A sync function's
 * result shows at once; a background one shows its live status and progress until it ends.
 *
 * Prefill: `values` (a property, or the `values` attribute as a JSON object) fills the fields, and
 * `from-execution="<id>"` fills them with that execution's inputs (its function is the form's when
 * `fn` is not set), for editing and running again; `values` wins over the execution's inputs. A value
 * that does not fit its field's schema, or names no field, is left out with a notice; a secret the
 * server masked stays empty, with a notice to enter it again. `reset()` goes back to this prefill.
 *
 * @example
 * <script type="module" src="https://turtle.example.org/turtle/elements.js"></script>
 * <turtle-form fn="deidentify"></turtle-form>
 * <turtle-form fn="deidentify" values='{"flowcell_type": "nextseq"}'></turtle-form>
 * <turtle-form from-execution="3f0c…" submit-label="Run again"></turtle-form>
 *
 * @attr {string} values - The initial values as a JSON object, e.g. `values='{"count": 3}'`; text that
 * is not a JSON object is ignored and said so in the form. The `values` property takes the object.
 *
 * @event {CustomEvent<TurtleExecutionDetail>} turtle-created - An execution was created; `detail.execution`.
 * @event {CustomEvent<TurtleUpdateDetail>} turtle-update - The execution changed (status, progress); `detail.execution`.
 * @event {CustomEvent<TurtleExecutionDetail>} turtle-finish - The execution ended (done, errored or cancelled); `detail.execution`.
 * @event {CustomEvent<TurtleErrorDetail>} turtle-error - An API call failed (loading the function, too); `detail.error` is a `TurtleApiError`.
 *
 * @csspart form - The `<form>`.
 * @csspart header - The title and description.
 * @csspart field - The wrapper of one field (label, control, help, error).
 * @csspart label - A field's label.
 * @csspart control - An input, select or textarea.
 * @csspart help - A field's help text (the schema's `description`).
 * @csspart field-error - The validation message of a field.
 * @csspart form-errors - Problems not tied to a field (also an invalid `values` attribute).
 * @csspart prefill - What the form was filled from, and the values it left out.
 * @csspart row - One row of a repeatable fieldset (an array of objects) or of a key/value editor (a record).
 * @csspart add - The button adding an item, a row or an entry.
 * @csspart row-action - The move up, move down and remove buttons of a row.
 * @csspart key - The key box of a record's row (also a `control`).
 * @csspart value - The value a range or colour input shows beside it ("Not set" until one is chosen).
 * @csspart submit - The run button.
 * @csspart result - The panel showing the execution started by the form.
 * @csspart status - The status badge.
 * @csspart progress - The progress bar and message.
 * @csspart output - The rendered output, laid out by the function's declared return type (see `<turtle-execution>`).
 * @csspart error - The execution's error.
 *
 * @cssproperty --turtle-font-family - Default: `system-ui, sans-serif`.
 * @cssproperty --turtle-font-size - Default: `1rem`.
 * @cssproperty --turtle-color - Text colour. Default: `#1f2328` (light), `#f0f6fc` (dark).
 * @cssproperty --turtle-background - Control background. Default: `#ffffff` (light), `#0d1117` (dark).
 * @cssproperty --turtle-muted-color - Help text. Default: `#59636e` (light), `#9198a1` (dark).
 * @cssproperty --turtle-muted-background - Buttons, table headers. Default: `#f6f8fa` (light), `#151b23` (dark).
 * @cssproperty --turtle-border-color - Default: `#d1d9e0` (light), `#3d444d` (dark).
 * @cssproperty --turtle-accent-color - The run button, focus ring, progress. Default: `#0b5cad` (light), `#4493f8` (dark).
 * @cssproperty --turtle-accent-text-color - Text on the accent colour. Default: `#ffffff` (light), `#0d1117` (dark).
 * @cssproperty --turtle-error-color - Default: `#b3261e` (light), `#f85149` (dark).
 * @cssproperty --turtle-success-color - Default: `#1a7f37` (light), `#3fb950` (dark).
 * @cssproperty --turtle-radius - Corner radius. Default: `4px`.
 * @cssproperty --turtle-spacing - Space between fields. Default: `0.75rem`.
 * @cssproperty --turtle-focus-ring - The outline of a focused control. Default: `2px solid` the accent colour.
 */
export class TurtleForm extends TurtleElement {
  static override styles = turtleFormStyles;

  /** The registered name of the function to run. Required. */
  @property({ reflect: true }) fn = '';

  /** Skip the checks in the browser and let the server validate alone. Default: `false`. */
  @property({ type: Boolean, reflect: true }) novalidate = false;

  /** Text of the run button. Default: `Run`. */
  @property({ attribute: 'submit-label' }) submitLabel = 'Run';

  /**
   * Values to fill the form with, by parameter name (the inputs of an execution, say). Set as a
   * property, or as the `values` attribute holding a JSON object. Default: none (the defaults).
   */
  @property({ attribute: false }) values: Record<string, unknown> | undefined = undefined;

  /**
   * The id of an execution whose inputs fill the form, to edit them and run again (`GET
   * /api/executions/:id`). Its function is the form's when `fn` is empty; another function than
   * `fn` is an error. Default: none.
   */
  @property({ attribute: 'from-execution', reflect: true }) fromExecution = '';

  /** The texts of the controls, keyed by field path. */
  @state() private raw: RawValues = {};
  /** Validation messages (client or server), keyed by field path; `''` for the form as a whole. */
  @state() private errors = new Map<string, string[]>();
  @state() private submitting = false;
  /** What the prefill left out, for the person to know. */
  @state() private notices: string[] = [];
  /** Why the `values` attribute was ignored; `''` when it was not. */
  @state() private valuesError = '';
  private fields: Field[] = [];
  /** The execution the form was filled from (`from-execution`), once loaded. */
  private source: Execution | undefined;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'values'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === 'values') this.valuesFromAttribute(value);
    else super.attributeChangedCallback(name, old, value);
  }

  /** Lays the output out by the function's return type; keeps each table's sort and page. */
  private readonly outputs = new OutputController(this);

  /** The execution this form last started, kept live while it runs. */
  private readonly live = new LiveExecutionController(this, {
    api: () => this.api,
    onUpdate: (execution) => {
      this.emit('turtle-update', { execution });
      if (isFinalStatus(execution.status)) this.showRejectedInputs(execution);
    },
    onFinish: (execution) => this.emit('turtle-finish', { execution }),
    onError: (error) => this.handleError(error),
  });

  private readonly functionTask = new Task(this, {
    // api-base and token are arguments so that changing them reloads; `this.api` reads them.
    task: async ([fn, fromExecution], { signal }) => {
      try {
        return await this.load(fn, fromExecution, signal);
      } catch (error) {
        // The page hears of a refused token or an unknown function too, not only the form's reader.
        if (!signal.aborted) this.emit('turtle-error', { error: TurtleApiError.from(error) });
        throw error;
      }
    },
    args: () => [this.fn, this.fromExecution, this.apiBase, this.token] as const,
  });

  /** Loads the function (and the execution to edit, with `from-execution`) and fills the form in. */
  private async load(fn: string, fromExecution: string, signal: AbortSignal): Promise<FunctionInfo> {
    const source = fromExecution ? await this.api.getExecution(fromExecution, signal) : undefined;
    const name = fn || source?.functionName;
    if (!name)
      throw new TurtleApiError('InvalidRequest', 'Set the fn attribute to a registered function name.', 0);
    if (source && source.functionName !== name)
      throw new TurtleApiError(
        'InvalidRequest',
        `Execution ${source.id} is a run of ${source.functionName}, not of ${name}.`,
        0,
      );
    const info = await this.api.getFunction(name, signal);
    this.fields = fieldsFromSchema(info.params);
    this.source = source;
    this.fillIn();
    this.errors = new Map();
    return info;
  }

  /** The function's description as loaded from the server; undefined until loaded. */
  get info(): FunctionInfo | undefined {
    return this.functionTask.value;
  }

  /**
   * Validates and submits the form, as the run button does. Resolves once the request is answered;
   * does nothing before the function has loaded or while a submission is under way.
   */
  async submit(): Promise<void> {
    if (this.functionTask.status !== TaskStatus.COMPLETE || this.submitting) return;
    const { inputs, errors } = collectInputs(this.fields, this.raw, { check: !this.novalidate });
    this.errors = errorsByPath(errors, this.fields);
    if (this.errors.size > 0) {
      await this.updateComplete;
      this.focusFirstError();
      return;
    }
    this.live.stop();
    // The run button is disabled while sending, which drops its focus to <body>: give it to what the
    // submission produced instead, unless the page had moved focus elsewhere meanwhile.
    const hadFocus = this.matches(':focus-within');
    this.submitting = true;
    try {
      const execution = await this.api.createExecution(this.functionTask.value!.name, inputs);
      this.live.show(execution);
      this.showRejectedInputs(execution);
      this.emit('turtle-created', { execution });
      if (isFinalStatus(execution.status)) this.emit('turtle-finish', { execution });
    } catch (error) {
      this.handleError(error);
    } finally {
      this.submitting = false;
    }
    if (!hadFocus || !this.focusLost()) return;
    await this.updateComplete;
    if (this.errors.size > 0) this.focusFirstError();
    else this.renderRoot.querySelector<HTMLElement>('[part~="result"]')?.focus();
  }

  /** Focus is nowhere (on <body>) or still inside this element. */
  private focusLost(): boolean {
    const active = document.activeElement;
    return !active || active === document.body || active === this;
  }

  /** Sets the form back to what it started with (the defaults, then the prefill) and forgets the shown execution. */
  reset(): void {
    this.live.show(null);
    this.fillIn();
    this.errors = new Map();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // New values for a loaded form (in this update, not the next); before that, loading fills them in.
    if (changed.has('values') && this.functionTask.status === TaskStatus.COMPLETE) this.fillIn();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('fn') && changed.get('fn') !== undefined) this.reset();
  }

  /** The texts the form starts with: the defaults, the source execution's inputs, then `values`. */
  private fillIn(): void {
    let raw = initialRawValues(this.fields);
    const notices: string[] = [];
    for (const [values, secrets] of [
      [this.source?.input, this.source?.redactedInputs ?? []],
      [this.values, []],
    ] as const) {
      if (!values) continue;
      const prefill = prefillRawValues(this.fields, values, { secrets, base: raw });
      raw = prefill.raw;
      notices.push(...prefill.notices);
    }
    this.raw = raw;
    this.notices = notices;
  }

  private valuesFromAttribute(text: string | null): void {
    this.valuesError = '';
    if (text === null) {
      this.values = undefined;
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('it is not a JSON object');
      this.values = parsed as Record<string, unknown>;
    } catch (error) {
      this.valuesError = `The values attribute was ignored: ${(error as Error).message}`;
      this.values = undefined;
    }
  }

  protected override render(): TemplateResult {
    return this.functionTask.render({
      pending: () => html`<p class="muted" role="status">Loading…</p>`,
      error: (error) =>
        html`<p part="form-errors" class="form-errors" role="alert">
          ${TurtleApiError.from(error).message}
        </p>`,
      complete: (info) => this.renderForm(info),
    }) as TemplateResult;
  }

  private renderForm(info: FunctionInfo): TemplateResult {
    const title = info.title ?? info.name;
    const formErrors = this.errors.get('') ?? [];
    return html`
      <form
        part="form"
        novalidate
        aria-labelledby="title"
        @submit=${(event: SubmitEvent) => this.onSubmit(event)}
      >
        <header part="header">
          <h2 id="title">${title}</h2>
          ${info.description ? html`<p class="muted">${info.description}</p>` : nothing}
        </header>
        ${this.renderPrefill()}
        ${
          formErrors.length
            ? html`<div part="form-errors" class="form-errors" role="alert" tabindex="-1">
                ${formErrors.map((m) => html`<div>${m}</div>`)}
              </div>`
            : nothing
        }
        ${this.fields.map((field) => this.renderField(field))}
        <div class="actions">
          <button part="submit" class="primary" type="submit" ?disabled=${this.submitting}>
            ${this.submitLabel}
          </button>
          ${this.submitting ? html`<span class="muted" role="status">Sending…</span>` : nothing}
        </div>
      </form>
      ${this.live.value ? this.renderResult(this.live.value) : nothing}
    `;
  }

  /** Where the values came from, and what was left out of them. */
  private renderPrefill(): TemplateResult {
    return html`${
      this.valuesError
        ? html`<p part="form-errors" class="form-errors" role="alert">${this.valuesError}</p>`
        : nothing
    }
    ${
      this.source || this.notices.length
        ? html`<div part="prefill" class="prefill" role="status">
            ${
              this.source
                ? html`<p>
                    Filled in from execution ${this.source.id}: change what you need and run it again.
                  </p>`
                : nothing
            }
            ${
              this.notices.length
                ? html`<ul>
                    ${this.notices.map((notice) => html`<li>${notice}</li>`)}
                  </ul>`
                : nothing
            }
          </div>`
        : nothing
    }`;
  }

  private renderField(field: Field): TemplateResult {
    if (field.kind === FieldKind.object) {
      return html`<fieldset part="field" class="field" data-path=${field.path}>
        <legend>${field.label}${field.required ? requiredMark() : nothing}</legend>
        ${field.help ? html`<div part="help" class="help">${field.help}</div>` : nothing}
        ${this.renderFieldErrors(field)} ${(field.fields ?? []).map((child) => this.renderField(child))}
      </fieldset>`;
    }
    if (field.widget === 'hidden') return this.renderHidden(field);
    if (field.kind === FieldKind.list) return this.renderList(field);
    if (field.kind === FieldKind.yesNo) return this.renderYesNo(field);
    if (field.kind === FieldKind.multiChoice) return this.renderMultiChoice(field);
    if (field.kind === FieldKind.choice && field.widget === 'radio') return this.renderRadios(field);
    if (field.kind === FieldKind.objectList) return this.renderRows(field);
    if (field.kind === FieldKind.record) return this.renderRecord(field);
    if (field.kind === FieldKind.boolean) {
      return html`<div part="field" class="field inline" data-path=${field.path}>
        ${this.renderControl(field)}
        <label part="label" for=${field.id}>${field.label}</label>
        ${field.help ? html`<div part="help" class="help" id="${field.id}-help" style="grid-column: 1 / -1">${field.help}</div>` : nothing}
        ${this.renderFieldErrors(field)}
      </div>`;
    }
    return html`<div part="field" class="field" data-path=${field.path}>
      <label part="label" for=${field.id}>${field.label}${field.required ? requiredMark() : nothing}</label>
      ${this.renderControl(field)} ${this.renderHelp(field)} ${this.renderFieldErrors(field)}
    </div>`;
  }

  private renderList(field: Field): TemplateResult {
    const items = (this.raw[field.path] as string[] | undefined) ?? [];
    const item = field.item!;
    return this.renderGroup(
      field,
      html`${this.renderHelp(field)}
        ${items.map(
          (text, index) =>
            html`<div class="list-item">
              ${this.renderControl(
                { ...item, id: `${field.id}-${index}`, label: `${field.label} ${index + 1}` },
                text,
                (value) => {
                  const next = [...items];
                  next[index] = value;
                  this.setRaw(field.path, next);
                },
              )}
              <button
                type="button"
                aria-label="Remove ${field.label} ${index + 1}"
                @click=${() =>
                  this.setRaw(
                    field.path,
                    items.filter((_, i) => i !== index),
                  )}
              >
                Remove
              </button>
            </div>`,
        )}
        <div>
          <button type="button" part="add" @click=${() => this.addListItem(field, items)}>
            Add ${field.label.toLowerCase()}
          </button>
        </div>`,
    );
  }

  /** A required boolean without a default: Yes or No, neither chosen, so that nobody sends false by not looking. */
  private renderYesNo(field: Field): TemplateResult {
    const value = (this.raw[field.path] as string | undefined) ?? '';
    const invalid = this.errors.has(field.path) ? 'true' : 'false';
    const choice = (text: string, option: string) =>
      html`<label class="choice">
        <input
          part="control"
          type="radio"
          name=${field.id}
          id=${option === 'true' ? field.id : `${field.id}-no`}
          value=${option}
          .checked=${live(value === option)}
          aria-invalid=${invalid}
          @change=${(event: Event) => this.setRaw(field.path, (event.target as HTMLInputElement).value)}
        />
        ${text}</label
      >`;
    return this.renderGroup(
      field,
      html`<div class="choices">${choice('Yes', 'true')}${choice('No', 'false')}</div>
        ${this.renderHelp(field)}`,
      'radiogroup',
    );
  }

  /** Nothing to see: its value (the default) is sent as it is; a problem with it is still shown. */
  private renderHidden(field: Field): TemplateResult {
    return html`<div data-path=${field.path} class="field">${this.renderFieldErrors(field)}</div>`;
  }

  /** A group of labelled fieldset of choices: a radio per option, plus "Not set" when it may be left empty. */
  private renderRadios(field: Field): TemplateResult {
    const value = (this.raw[field.path] as string | undefined) ?? '';
    const invalid = this.errors.has(field.path) ? 'true' : 'false';
    const emptyChoice = !(field.default !== undefined && !field.nullable) && !field.required;
    const choices = [
      ...(emptyChoice ? [{ text: 'Not set', option: '' }] : []),
      ...(field.options ?? []).map((o, i) => ({ text: o.label, option: String(i) })),
    ];
    return this.renderGroup(
      field,
      html`<div class="choices wrap">
          ${choices.map(
            ({ text, option }, i) =>
              html`<label class="choice"
                ><input
                  part="control"
                  type="radio"
                  name=${field.id}
                  id=${i === 0 ? field.id : `${field.id}-${i}`}
                  value=${option}
                  .checked=${live(value === option)}
                  aria-invalid=${invalid}
                  @change=${() => this.setRaw(field.path, option)}
                />${text}</label
              >`,
          )}
        </div>
        ${this.renderHelp(field)}`,
      'radiogroup',
    );
  }

  /** An array of enums: a checkbox per option; the ticked values are sent in option order. */
  private renderMultiChoice(field: Field): TemplateResult {
    const ticked = new Set((this.raw[field.path] as string[] | undefined) ?? []);
    const invalid = this.errors.has(field.path) ? 'true' : 'false';
    return this.renderGroup(
      field,
      html`<div class="choices wrap">
          ${(field.options ?? []).map(
            (option, i) =>
              html`<label class="choice"
                ><input
                  part="control"
                  type="checkbox"
                  id=${`${field.id}-${i}`}
                  .checked=${live(ticked.has(String(i)))}
                  aria-invalid=${invalid}
                  @change=${(event: Event) => {
                    const next = new Set((this.raw[field.path] as string[] | undefined) ?? []);
                    if ((event.target as HTMLInputElement).checked) next.add(String(i));
                    else next.delete(String(i));
                    this.setRaw(field.path, [...next]);
                  }}
                />${option.label}</label
              >`,
          )}
        </div>
        ${this.renderHelp(field)}`,
    );
  }

  /** An array of objects: one fieldset per item, with buttons to move it up or down and to remove it. */
  private renderRows(field: Field): TemplateResult {
    const rows = rowsOf(this.raw, field);
    const button = (label: string, text: string, id: string, disabled: boolean, act: () => void) =>
      html`<button
        type="button"
        part="row-action"
        id=${id}
        aria-label=${label}
        ?disabled=${disabled}
        @click=${act}
      >
        ${text}
      </button>`;
    return this.renderGroup(
      field,
      html`${this.renderHelp(field)}
        ${rows.map((_, index) => {
          const row = rowField(field, index);
          return html`<fieldset part="row" class="row" data-row=${index}>
            <legend>${row.label}</legend>
            ${(row.fields ?? []).map((child) => this.renderField(child))}
            <div class="row-actions">
              ${button(
                `Move ${row.label} up`,
                'Move up',
                `${row.id}-up`,
                index === 0,
                () => void this.moveRow(field, index, index - 1, 'up'),
              )}
              ${button(
                `Move ${row.label} down`,
                'Move down',
                `${row.id}-down`,
                index === rows.length - 1,
                () => void this.moveRow(field, index, index + 1, 'down'),
              )}
              ${button(`Remove ${row.label}`, 'Remove', `${row.id}-remove`, false, () => void this.removeRow(field, index))}
            </div>
          </fieldset>`;
        })}
        <div>
          <button type="button" part="add" @click=${() => void this.addRow(field)}>
            Add ${field.label.toLowerCase()}
          </button>
        </div>`,
    );
  }

  /** A record (`Record<string, T>`): rows of a key box and a value control (JSON for anything). */
  private renderRecord(field: Field): TemplateResult {
    const texts = (this.raw[field.path] as string[] | undefined) ?? [];
    const item = field.item!;
    // Read at event time: two controls may change before the next render.
    const set = (index: number, text: string) => {
      const next = [...((this.raw[field.path] as string[] | undefined) ?? [])];
      next[index] = text;
      this.setRaw(field.path, next);
    };
    const rows = Array.from({ length: Math.floor(texts.length / 2) }, (_, i) => i);
    return this.renderGroup(
      field,
      html`${this.renderHelp(field)}
        ${rows.map(
          (i) =>
            html`<div part="row" class="record-row">
              <input
                part="control key"
                id=${`${field.id}-${i}-key`}
                type="text"
                autocomplete="off"
                aria-label=${`Key ${i + 1}`}
                .value=${live(texts[2 * i] ?? '')}
                @input=${(event: Event) => set(2 * i, (event.target as HTMLInputElement).value)}
              />
              ${this.renderControl(
                { ...item, id: `${field.id}-${i}-value`, label: `Value ${i + 1}` },
                texts[2 * i + 1] ?? '',
                (text) => set(2 * i + 1, text),
              )}
              <button
                type="button"
                part="row-action"
                aria-label=${`Remove entry ${i + 1}`}
                @click=${() => void this.removeEntry(field, i)}
              >
                Remove
              </button>
            </div>`,
        )}
        <div>
          <button type="button" part="add" @click=${() => void this.addEntry(field)}>Add entry</button>
        </div>`,
    );
  }

  private async addRow(field: Field): Promise<void> {
    const index = rowsOf(this.raw, field).length;
    this.raw = addRow(this.raw, field);
    this.clearErrorsUnder(field.path);
    await this.updateComplete;
    // The new row's first control, so a keyboard user goes on typing.
    this.renderRoot
      .querySelector<HTMLElement>(
        `[data-path="${CSS.escape(field.path)}"] [data-row="${index}"] [part~="control"]`,
      )
      ?.focus();
  }

  private async moveRow(field: Field, from: number, to: number, direction: 'up' | 'down'): Promise<void> {
    this.raw = moveRow(this.raw, field, from, to);
    this.clearErrorsUnder(field.path);
    await this.updateComplete;
    // Focus follows the moved row; at an edge its button is disabled, so the other one takes it.
    const row = rowField(field, to);
    const edge = direction === 'up' ? to === 0 : to === rowsOf(this.raw, field).length - 1;
    const id = `${row.id}-${edge ? (direction === 'up' ? 'down' : 'up') : direction}`;
    this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus();
  }

  private async removeRow(field: Field, index: number): Promise<void> {
    this.raw = removeRow(this.raw, field, index);
    this.clearErrorsUnder(field.path);
    await this.updateComplete;
    const left = rowsOf(this.raw, field).length;
    const target = left
      ? `#${CSS.escape(`${rowField(field, Math.min(index, left - 1)).id}-remove`)}`
      : `[data-path="${CSS.escape(field.path)}"] [part~="add"]`;
    this.renderRoot.querySelector<HTMLElement>(target)?.focus();
  }

  private async addEntry(field: Field): Promise<void> {
    const texts = (this.raw[field.path] as string[] | undefined) ?? [];
    this.setRaw(field.path, [...texts, '', '']);
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(`#${CSS.escape(`${field.id}-${texts.length / 2}-key`)}`)
      ?.focus();
  }

  private async removeEntry(field: Field, index: number): Promise<void> {
    const texts = (this.raw[field.path] as string[] | undefined) ?? [];
    this.setRaw(
      field.path,
      texts.filter((_, i) => Math.floor(i / 2) !== index),
    );
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(`[data-path="${CSS.escape(field.path)}"] [part~="add"]`)
      ?.focus();
  }

  /** Forgets the messages of a field and everything under it (its rows moved: they may no longer apply). */
  private clearErrorsUnder(path: string): void {
    const errors = new Map([...this.errors].filter(([p]) => p !== path && !p.startsWith(`${path}/`)));
    if (errors.size !== this.errors.size) this.errors = errors;
  }

  private async addListItem(field: Field, items: string[]): Promise<void> {
    this.setRaw(field.path, [...items, '']);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(`${field.id}-${items.length}`)}`)?.focus();
  }

  /**
   * One control for `field`. List items pass their own text and setter; other fields read and write
   * `raw[field.path]`.
   */
  private renderControl(field: Field, text?: string, set?: (value: string) => void): TemplateResult {
    const value = text ?? (this.raw[field.path] as string | undefined) ?? '';
    const onInput = (event: Event) => {
      const target = event.target as HTMLInputElement;
      const next = target.type === 'checkbox' ? String(target.checked) : target.value;
      if (set) set(next);
      else this.setRaw(field.path, next);
    };
    const invalid = this.errors.has(field.path) ? 'true' : 'false';
    const describedBy = ifDefined(set ? undefined : this.describedBy(field));
    const label = set ? field.label : undefined;
    const c = field.constraints;
    switch (field.kind) {
      case FieldKind.boolean:
        return html`<input
          part="control"
          id=${field.id}
          type="checkbox"
          .checked=${live(value === 'true')}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          aria-label=${ifDefined(label)}
          @change=${onInput}
        />`;
      case FieldKind.tristate:
        return html`<select
          part="control"
          id=${field.id}
          .value=${live(value)}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          aria-label=${ifDefined(label)}
          @change=${onInput}
        >
          <option value="" ?selected=${value === ''}>Not set</option>
          <option value="true" ?selected=${value === 'true'}>Yes</option>
          <option value="false" ?selected=${value === 'false'}>No</option>
        </select>`;
      case FieldKind.choice:
        return html`<select
          part="control"
          id=${field.id}
          .value=${live(value)}
          aria-invalid=${invalid}
          aria-required=${field.required ? 'true' : 'false'}
          aria-describedby=${describedBy}
          aria-label=${ifDefined(label)}
          @change=${onInput}
        >
          ${field.default !== undefined && !field.nullable ? nothing : html`<option value="" ?selected=${value === ''}>${field.required ? 'Choose…' : 'Not set'}</option>`}
          ${(field.options ?? []).map((option, i) => html`<option value=${String(i)} ?selected=${value === String(i)}>${option.label}</option>`)}
        </select>`;
      case FieldKind.textarea:
      case FieldKind.lines:
      case FieldKind.json:
        return html`<textarea
          part="control"
          id=${field.id}
          .value=${live(value)}
          aria-invalid=${invalid}
          aria-required=${field.required ? 'true' : 'false'}
          aria-describedby=${describedBy}
          aria-label=${ifDefined(label)}
          minlength=${ifDefined(c.minLength)}
          maxlength=${ifDefined(c.maxLength)}
          placeholder=${ifDefined(field.placeholder ?? (field.kind === FieldKind.lines ? 'One per line' : undefined))}
          @input=${onInput}
        ></textarea>`;
      default: {
        const numeric = field.kind === FieldKind.integer || field.kind === FieldKind.number;
        // A range or colour input always shows some value: say so when none is chosen yet.
        const shown =
          field.widget === 'range' || field.widget === 'color'
            ? html`<output part="value" class="muted" for=${field.id}
                >${value === '' ? 'Not set' : value}</output
              >`
            : nothing;
        const input = html`<input
          part="control"
          id=${field.id}
          type=${field.widget === 'range' || field.widget === 'color' ? field.widget : inputType(field.kind)}
          .value=${live(value)}
          aria-invalid=${invalid}
          aria-required=${field.required ? 'true' : 'false'}
          aria-describedby=${describedBy}
          aria-label=${ifDefined(label)}
          step=${ifDefined(field.kind === FieldKind.integer ? '1' : field.kind === FieldKind.number ? 'any' : field.kind === FieldKind.dateTime || field.kind === FieldKind.time ? '1' : undefined)}
          min=${ifDefined(numeric ? c.minimum : undefined)}
          max=${ifDefined(numeric ? c.maximum : undefined)}
          minlength=${ifDefined(c.minLength)}
          maxlength=${ifDefined(c.maxLength)}
          pattern=${ifDefined(c.pattern)}
          inputmode=${ifDefined(field.widget ? undefined : field.kind === FieldKind.integer ? 'numeric' : field.kind === FieldKind.number ? 'decimal' : undefined)}
          placeholder=${ifDefined(field.placeholder)}
          autocomplete=${field.kind === FieldKind.password ? 'new-password' : field.kind === FieldKind.email ? 'email' : 'off'}
          @input=${onInput}
        />`;
        return shown === nothing ? input : html`<div class="with-value">${input}${shown}</div>`;
      }
    }
  }

  private renderFieldErrors(field: Field): TemplateResult | typeof nothing {
    const messages = this.errors.get(field.path);
    if (!messages?.length) return nothing;
    return html`<div part="field-error" class="field-error" id="${field.id}-error">
      ${messages.join(' ')}
    </div>`;
  }

  private renderResult(execution: Execution): TemplateResult {
    const final = isFinalStatus(execution.status);
    return html`<section part="result" class="result" aria-labelledby="result-title" tabindex="-1">
      <h3 id="result-title">Result</h3>
      <div role="status" aria-live="polite">Status: ${renderStatus(execution.status)}</div>
      ${renderProgress(execution)}
      ${execution.status === 'done' ? html`<div part="output">${this.outputs.render(execution.output, this.info?.returns, execution.id)}</div>` : nothing}
      ${
        execution.error
          ? html`<div part="error" class="error-text" role="alert">
              ${execution.error.type ? html`<strong>${execution.error.type}</strong>: ` : nothing}${execution.error.message ?? ''}
            </div>`
          : nothing
      }
      ${final ? nothing : html`<div><button type="button" part="cancel" @click=${this.cancel}>Cancel</button></div>`}
    </section>`;
  }

  /** A field of several controls (choices, items, rows, entries): a fieldset with its legend, then its errors. */
  private renderGroup(field: Field, content: TemplateResult, role?: 'radiogroup'): TemplateResult {
    const choices = role === 'radiogroup';
    const mark = field.required ? requiredMark() : nothing;
    return html`<fieldset
      part="field"
      class=${choices ? 'field yes-no' : 'field'}
      data-path=${field.path}
      role=${ifDefined(role)}
      aria-required=${ifDefined(choices ? String(field.required) : undefined)}
      aria-describedby=${ifDefined(this.describedBy(field))}
    >
      <legend part=${ifDefined(choices ? 'label' : undefined)}>${field.label}${mark}</legend>
      ${content} ${this.renderFieldErrors(field)}
    </fieldset>`;
  }

  private renderHelp(field: Field): TemplateResult | typeof nothing {
    return field.help
      ? html`<div part="help" class="help" id="${field.id}-help">${field.help}</div>`
      : nothing;
  }

  private describedBy(field: Field): string | undefined {
    const ids = [
      field.help ? `${field.id}-help` : '',
      this.errors.has(field.path) ? `${field.id}-error` : '',
    ].filter(Boolean);
    return ids.length ? ids.join(' ') : undefined;
  }

  private setRaw(path: string, value: string | string[]): void {
    this.raw = { ...this.raw, [path]: value };
    if (this.errors.has(path)) {
      const errors = new Map(this.errors);
      errors.delete(path);
      this.errors = errors;
    }
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.submit();
  }

  private readonly cancel = async (): Promise<void> => {
    const shown = this.live.value;
    if (!shown) return;
    try {
      this.live.set(await this.api.cancelExecution(shown.id));
    } catch (error) {
      this.handleError(error);
    }
  };

  /** A function (or its `validate` hook) that rejected its inputs says which: show that by field too. */
  private showRejectedInputs(execution: Execution): void {
    if (execution.error?.type !== 'ValidationError') return;
    const details = execution.error.details ?? {};
    const rejected = new TurtleApiError('ValidationError', execution.error.message ?? '', 0, details)
      .fieldErrors;
    if (rejected.length) this.errors = errorsByPath(rejected, this.fields);
  }

  private handleError(error: unknown): void {
    const apiError = TurtleApiError.from(error);
    if (apiError.type === 'ValidationError') {
      const fieldErrors = apiError.fieldErrors;
      this.errors = errorsByPath(
        fieldErrors.length ? fieldErrors : [{ path: '', message: apiError.message }],
        this.fields,
      );
      void this.updateComplete.then(() => this.focusFirstError());
    } else {
      this.errors = new Map([['', [apiError.message]]]);
    }
    this.emit('turtle-error', { error: apiError });
  }

  private focusFirstError(): void {
    const invalid = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? this.renderRoot.querySelector<HTMLElement>('[part~="form-errors"]'))?.focus();
  }
}

function requiredMark(): TemplateResult {
  return html`<span class="required" aria-hidden="true"> *</span
    ><span class="visually-hidden"> (required)</span>`;
}

function inputType(kind: FieldKind): string {
  switch (kind) {
    case FieldKind.password:
      return 'password';
    case FieldKind.dateTime:
      return 'datetime-local';
    case FieldKind.date:
      return 'date';
    case FieldKind.time:
      return 'time';
    case FieldKind.email:
      return 'email';
    case FieldKind.url:
      return 'url';
    case FieldKind.integer:
    case FieldKind.number:
      return 'number';
    default:
      return 'text';
  }
}

/** The detail of `turtle-created` and `turtle-finish`. */
export interface TurtleExecutionDetail {
  /** The whole execution, as the API answered it. */
  execution: Execution;
}

/** The detail of `turtle-update`. */
export interface TurtleUpdateDetail {
  /** A whole execution, or a summary (no inputs, output, state or traceback) from `<turtle-executions>`. */
  execution: Execution | ExecutionSummary;
}

/** The detail of `turtle-error`. */
export interface TurtleErrorDetail {
  /** What failed: its `type`, `status` (`0` when no answer came) and message. */
  error: TurtleApiError;
}

defineElement('turtle-form', TurtleForm);

declare global {
  interface HTMLElementTagNameMap {
    'turtle-form': TurtleForm;
  }
  interface HTMLElementEventMap {
    'turtle-created': CustomEvent<TurtleExecutionDetail>;
    'turtle-update': CustomEvent<TurtleUpdateDetail>;
    'turtle-finish': CustomEvent<TurtleExecutionDetail>;
    'turtle-error': CustomEvent<TurtleErrorDetail>;
  }
}
