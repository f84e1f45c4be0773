import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { FunctionInfo } from '../../api/index.js';
import { TurtleApiError } from '../internal/api-error.js';
import { defineElement } from '../internal/define-element.js';
import { TurtleElement } from '../internal/turtle-element.js';
import { renderLoadError } from '../internal/render-load-error.js';
import { turtleFunctionsStyles } from './turtle-functions.styles.js';
import '../turtle-form/turtle-form.js';
import '../turtle-executions/turtle-executions.js';

/** How the overview names a function's mode. */
const MODE_LABELS: Record<FunctionInfo['mode'], string> = {
  async: 'background',
  sync: 'in the request',
};

/**
 * @tagname turtle-functions
 * @summary The overview of the registered functions: each with its title, description and mode
 * (runs in the background, or in the request); choosing one shows its `<turtle-form>` and its
 * history (`<turtle-executions>`). A whole page can be this one tag.
 *
 * @example
 * <turtle-functions></turtle-functions>
 * <turtle-functions selected="deidentify" history-limit="10"></turtle-functions>
 *
 * @event turtle-function-select - A function was chosen; `detail.name` (empty when the choice was cleared).
 * @event turtle-error - Loading the functions failed; `detail.error` is a `TurtleApiError`.
 *
 * @csspart list - The list of functions.
 * @csspart function - One function's button (title, name, description, mode).
 * @csspart mode - A function's mode badge ("background" or "in the request").
 * @csspart chosen - The chosen function's section (heading, form and history).
 * @csspart form - The chosen function's `<turtle-form>`.
 * @csspart history - The chosen function's `<turtle-executions>`.
 *
 * @cssproperty --turtle-font-family - Default: `system-ui, sans-serif`.
 * @cssproperty --turtle-color - Text colour. Default: `#1f2328`.
 * @cssproperty --turtle-background - Function buttons. Default: `#ffffff`.
 * @cssproperty --turtle-muted-color - Descriptions and names. Default: `#59636e`.
 * @cssproperty --turtle-muted-background - The chosen function's button. Default: `#f6f8fa`.
 * @cssproperty --turtle-border-color - Default: `#d1d9e0`.
 * @cssproperty --turtle-accent-color - The chosen function's border, focus ring. Default: `#0b5cad`.
 * @cssproperty --turtle-error-color - Default: `#b3261e`.
 * @cssproperty --turtle-radius - Corner radius. Default: `4px`.
 * @cssproperty --turtle-spacing - Default: `0.75rem`.
 */
export class TurtleFunctions extends TurtleElement {
  static override styles = turtleFunctionsStyles;

  /** The chosen function's name (its form and history are shown). Default: none. */
  @property({ reflect: true }) selected = '';

  /** How many executions a page of the chosen function's history holds. Default: `10`. */
  @property({ type: Number, attribute: 'history-limit' }) historyLimit = 10;

  @state() private functions: FunctionInfo[] = [];

  private readonly listTask = new Task(this, {
    task: async (_args, { signal }) => {
      try {
        this.functions = await this.api.listFunctions(signal);
      } catch (error) {
        if (!signal.aborted) this.emit('turtle-error', { error: TurtleApiError.from(error) });
        throw error;
      }
      return this.functions;
    },
    args: () => [this.apiBase, this.token] as const,
  });

  protected override render(): TemplateResult {
    return html`${this.listTask.render({
      initial: () => nothing,
      pending: () =>
        this.functions.length ? this.renderOverview() : html`<p class="muted" role="status">Loading…</p>`,
      error: (error) => renderLoadError(error),
      complete: () => this.renderOverview(),
    })}`;
  }

  private renderOverview(): TemplateResult {
    if (this.functions.length === 0) return html`<p class="muted" role="status">No functions.</p>`;
    const chosen = this.functions.find((f) => f.name === this.selected);
    return html`<nav aria-label="Functions">
        <ul part="list" class="list">
          ${this.functions.map((fn) => this.renderFunction(fn))}
        </ul>
      </nav>
      ${chosen ? this.renderChosen(chosen) : nothing}`;
  }

  private renderFunction(fn: FunctionInfo): TemplateResult {
    const chosen = fn.name === this.selected;
    return html`<li>
      <button
        type="button"
        part="function"
        class="function"
        data-name=${fn.name}
        aria-pressed=${chosen ? 'true' : 'false'}
        @click=${() => this.choose(chosen ? '' : fn.name)}
      >
        <span class="title">${fn.title ?? fn.name}</span>
        ${fn.title ? html`<code class="name">${fn.name}</code>` : nothing}
        <span part="mode" class="mode mode-${fn.mode}">${MODE_LABELS[fn.mode]}</span>
        ${fn.description ? html`<span class="description">${fn.description}</span>` : nothing}
      </button>
    </li>`;
  }

  private renderChosen(fn: FunctionInfo): TemplateResult {
    return html`<section part="chosen" class="chosen" aria-labelledby="chosen-heading">
      <h2 id="chosen-heading" tabindex="-1">${fn.title ?? fn.name}</h2>
      ${fn.description ? html`<p class="muted">${fn.description}</p>` : nothing}
      <turtle-form part="form" fn=${fn.name} api-base=${this.apiBase} .token=${this.token}></turtle-form>
      <h3>History</h3>
      <turtle-executions
        part="history"
        function=${fn.name}
        limit=${this.historyLimit}
        hide-filters
        api-base=${this.apiBase}
        .token=${this.token}
      ></turtle-executions>
    </section>`;
  }

  private choose(name: string): void {
    this.selected = name;
    this.emit('turtle-function-select', { name });
    // Keyboard users land on what they chose, not back at the top of the list.
    if (name)
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('#chosen-heading')?.focus(),
      );
  }
}

defineElement('turtle-functions', TurtleFunctions);

/** The detail of `turtle-function-select`. */
export interface TurtleFunctionSelectDetail {
  /** The chosen function's registered name; empty when the choice was cleared. */
  name: string;
}

declare global {
  interface HTMLElementTagNameMap {
    'turtle-functions': TurtleFunctions;
  }
  interface HTMLElementEventMap {
    'turtle-function-select': CustomEvent<TurtleFunctionSelectDetail>;
  }
}
