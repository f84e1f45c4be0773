import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, initialState } from '@lit/task';
import { TurtleElement } from '../internal/turtle-element.js';
import { defineElement } from '../internal/define-element.js';
import { TurtleApiError } from '../internal/api-error.js';
import {
  ExecutionStatus,
  isFinalStatus,
  type ExecutionEvent,
  type ExecutionPage,
  type ExecutionSummary,
  type FunctionInfo,
} from '../../api/index.js';
import { withLoadedBelow } from '../internal/reloaded-page.js';
import { DEFAULT_RUN_LINK, runHref, runIdOf, withoutRun } from '../internal/run-link.js';
import { subscribe } from '../internal/event-stream.js';
import { applyStreamEvent } from '../internal/live-execution.js';
import { formatTime, renderTime } from '../internal/format-date.js';
import { renderProgress, renderStatus } from '../internal/render-status.js';
import { renderLoadError } from '../internal/render-load-error.js';
import { turtleExecutionsStyles } from './turtle-executions.styles.js';
import { filterableParams, filterKindOf } from '../../manifest/filterable.js';
import type { Schema } from '../../manifest/manifest.js';
import '../turtle-execution/turtle-execution.js';

/**
 * @tagname turtle-executions
 * @summary The history of executions, newest first, with filters by function, status and user (and
 * by schedule, as an attribute; once a function is chosen, by each of its `@filterable` inputs), live
 * status updates, cancel buttons, and the detail of the chosen execution below the table.
 *
 * With `link`, the open execution is kept in the page's URL (`#run=<id>`, or the form of
 * `href-template`, put there with `history.pushState`), so that URL opens it again: the element reads
 * it when connected and on `popstate`/`hashchange` (back and forward open and close the detail).
 * The detail then offers "Copy link". A path template (`/runs/{id}`) needs the server to serve the
 * page at those paths too.
 *
 * @example
 * <turtle-executions function="deidentify" limit="10"></turtle-executions>
 * <turtle-executions link></turtle-executions>
 * <turtle-executions link href-template="/runs/{id}"></turtle-executions>
 *
 * @event {CustomEvent<TurtleSelectDetail>} turtle-select - An execution was chosen; `detail.id` (cancel the event to keep the detail closed).
 * @event {CustomEvent<TurtleUpdateDetail>} turtle-update - A listed execution changed; `detail.execution` (its summary, as listed).
 * @event {CustomEvent<TurtleErrorDetail>} turtle-error - An API call failed (loading the list, too); `detail.error` is a `TurtleApiError`.
 *
 * @csspart filters - The filter controls.
 * @csspart table - The table of executions.
 * @csspart row - One execution's row.
 * @csspart status - A status badge.
 * @csspart progress - A progress bar.
 * @csspart cancel - A cancel button.
 * @csspart more - The "load more" button.
 * @csspart detail - The `<turtle-execution>` of the chosen row.
 * @csspart connection - Says "Reconnecting…" while the live updates cannot reach the server (a `role="status"` region, empty otherwise).
 *
 * @cssproperty --turtle-font-family - Default: `system-ui, sans-serif`.
 * @cssproperty --turtle-font-size - Default: `1rem`.
 * @cssproperty --turtle-color - Text colour. Default: `#1f2328` (light), `#f0f6fc` (dark).
 * @cssproperty --turtle-background - Control background. Default: `#ffffff` (light), `#0d1117` (dark).
 * @cssproperty --turtle-muted-color - Secondary text. Default: `#59636e` (light), `#9198a1` (dark).
 * @cssproperty --turtle-muted-background - Header and chosen row. Default: `#f6f8fa` (light), `#151b23` (dark).
 * @cssproperty --turtle-border-color - Default: `#d1d9e0` (light), `#3d444d` (dark).
 * @cssproperty --turtle-accent-color - Focus ring, progress. Default: `#0b5cad` (light), `#4493f8` (dark).
 * @cssproperty --turtle-error-color - Default: `#b3261e` (light), `#f85149` (dark).
 * @cssproperty --turtle-success-color - Default: `#1a7f37` (light), `#3fb950` (dark).
 * @cssproperty --turtle-radius - Corner radius. Default: `4px`.
 * @cssproperty --turtle-spacing - Default: `0.75rem`.
 * @cssproperty --turtle-focus-ring - The outline of a focused control. Default: `2px solid` the accent colour.
 */
export class TurtleExecutions extends TurtleElement {
  static override styles = turtleExecutionsStyles;

  /** Show only executions of this function. Default: all. */
  @property({ attribute: 'function', reflect: true }) functionName = '';

  /** Show only executions in this status. Default: all. */
  @property({ reflect: true }) status = '';

  /** Show only executions created by this user. Default: all. */
  @property({ reflect: true }) user = '';

  /** Show only executions fired by this schedule (its id, as `<turtle-schedules>` lists it). Default: all. */
  @property({ reflect: true }) schedule = '';

  /**
   * Show only executions whose inputs have exactly these values (`@filterable` parameters of the
   * chosen `function`, values as text: `{ flowcell: "IPS", reportId: "7" }`); set by the input fields
   * and emptied when the function changes. Default: `{}`.
   */
  @property({ attribute: false }) input: Record<string, string> = {};

  /** How many executions a page holds. Default: `20`. */
  @property({ type: Number }) limit = 20;

  /** Hide the filter controls (the attributes still filter). Default: `false`. */
  @property({ type: Boolean, attribute: 'hide-filters' }) hideFilters = false;

  /** Keep the open execution in the page's URL, so the URL opens it. Default: `false`. */
  @property({ type: Boolean, reflect: true }) link = false;

  /**
   * With `link`: the form of a run's URL, `{id}` standing for its id, relative to the page
   * (`#run={id}`, `?run={id}` or a path from the root, `/runs/{id}`). Default: `#run={id}`.
   */
  @property({ attribute: 'href-template' }) hrefTemplate = '';

  /** The executions shown (summaries: the detail loads the whole one), patched live. */
  @state() private items: ExecutionSummary[] = [];
  @state() private next: string | null = null;
  @state() private selected = '';
  @state() private actionError = '';
  @state() private functions: FunctionInfo[] = [];
  /** The live stream broke and is not open again yet. */
  @state() private reconnecting = false;

  private closeStream: (() => void) | undefined;
  /** The page's URL without a run, as it was when connected (where closing the detail goes back to). */
  private pageHref: string | undefined;
  private streamKey = '';

  /**
   * False from (re)opening the live stream until it is open (or failed): a list loaded before that
   * could miss what happens in between, so the first load of each stream waits for it (one request
   * per view, not one before the stream and one after).
   */
  @state() private streamReady = false;

  /** Set by a live update: its reload keeps the executions loaded below the first page ("Load more" pages stay). */
  private keepLoaded = false;
  /** The filters of the last list loaded: a load with others is a filter change. */
  private loadedFilters: string | undefined;

  private readonly listTask = new Task(this, {
    task: async ([functionName, status, user, schedule, limit, input, ready], { signal }) => {
      if (!ready) return initialState;
      const keep = this.keepLoaded;
      this.keepLoaded = false;
      let fresh: ExecutionPage;
      try {
        fresh = await this.api.listExecutions(
          { function: functionName, status, user, schedule, limit, input: functionName ? input : {} },
          signal,
        );
      } catch (error) {
        // The page hears of a refused token too, not only the element's reader.
        if (!signal.aborted) this.emit('turtle-error', { error: TurtleApiError.from(error) });
        throw error;
      }
      const page = keep ? withLoadedBelow(fresh, this.items, this.next) : fresh;
      this.items = page.items;
      this.next = page.next;
      this.actionError = '';
      // The detail belongs to the list: once other filters leave its execution out, it closes.
      const filters = JSON.stringify([functionName, status, user, schedule, functionName ? input : {}]);
      const changed = this.loadedFilters !== undefined && this.loadedFilters !== filters;
      this.loadedFilters = filters;
      if (changed && this.selected && !page.items.some((e) => e.id === this.selected))
        this.show('', 'replaceState');
      return page;
    },
    args: () =>
      [
        this.functionName,
        this.status,
        this.user,
        this.schedule,
        this.limit,
        this.input,
        this.streamReady,
        this.apiBase,
        this.token,
      ] as const,
  });

  constructor() {
    super();
    // Loads `functions` (for the filter and the labels) again whenever the API changes: the task
    // is a controller of this element, which keeps it.
    new Task(this, {
      task: async (_args, { signal }) => {
        this.functions = await this.api.listFunctions(signal);
        return this.functions;
      },
      args: () => [this.apiBase, this.token] as const,
    });
  }

  /** Reloads the first page with the current filters. */
  refresh(): Promise<unknown> {
    return this.listTask.run();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('popstate', this.readLink);
    addEventListener('hashchange', this.readLink);
    if (this.link) {
      if (!runIdOf(this.linkTemplate, location.href)) this.pageHref = location.href;
      this.readLink();
    }
    // Moved in the page: catch up on what happened while detached, and listen again.
    if (this.hasUpdated) {
      this.keepLoaded = true;
      this.follow(this.streamKey);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.readLink);
    removeEventListener('hashchange', this.readLink);
    this.stopStream();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Input filters belong to one function's parameters.
    if (changed.has('functionName') && changed.get('functionName') !== undefined) this.input = {};
    // One live stream per function filter; reopened when the filter or server changes. Here, before
    // the list task reads its arguments in this update, so that its load waits for the new stream.
    const key = `${this.apiBase}|${this.token}|${this.functionName}`;
    if (key !== this.streamKey || !this.closeStream) this.follow(key);
  }

  protected override render(): TemplateResult {
    return html`
      ${this.hideFilters ? nothing : this.renderFilters()}
      ${this.listTask.render({
        initial: () => this.renderLoading(),
        pending: () => this.renderLoading(),
        error: (error) => renderLoadError(error),
        complete: () => this.renderTable(),
      })}
      ${this.actionError ? html`<p class="error-text" role="alert">${this.actionError}</p>` : nothing}
      <div part="connection" class="muted" role="status">${this.reconnecting ? 'Reconnecting…' : ''}</div>
      ${
        this.selected
          ? html`<turtle-execution
              part="detail"
              execution-id=${this.selected}
              api-base=${this.apiBase}
              href-template=${this.link ? this.linkTemplate : nothing}
              .token=${this.token}
              @turtle-created=${this.onRerun}
            ></turtle-execution>`
          : nothing
      }
    `;
  }

  private renderLoading(): TemplateResult {
    return this.items.length ? this.renderTable() : html`<p class="muted" role="status">Loading…</p>`;
  }

  private renderFilters(): TemplateResult {
    const names = this.functions.map((f) => f.name);
    if (this.functionName && !names.includes(this.functionName)) names.push(this.functionName);
    return html`<div part="filters" class="filters" role="search" aria-label="Filter executions">
      <label
        >Function
        <select
          .value=${this.functionName}
          @change=${(e: Event) => (this.functionName = (e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${!this.functionName}>All</option>
          ${names.map((name) => html`<option value=${name} ?selected=${name === this.functionName}>${name}</option>`)}
        </select>
      </label>
      <label
        >Status
        <select
          .value=${this.status}
          @change=${(e: Event) => (this.status = (e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${!this.status}>All</option>
          ${Object.values(ExecutionStatus).map((s) => html`<option value=${s} ?selected=${s === this.status}>${s}</option>`)}
        </select>
      </label>
      <label
        >User
        <input
          type="search"
          .value=${this.user}
          @change=${(e: Event) => (this.user = (e.target as HTMLInputElement).value.trim())}
        />
      </label>
      ${this.renderInputFilters()}
      <button type="button" @click=${() => void this.refresh()}>Refresh</button>
    </div>`;
  }

  /** A field per `@filterable` parameter of the chosen function: a select for enums and booleans, else a box. */
  private renderInputFilters(): TemplateResult[] {
    const fn = this.functions.find((f) => f.name === this.functionName);
    if (!fn) return [];
    return filterableParams(fn).map((name) => {
      const schema: Schema = fn.params.properties[name]!;
      const kind = filterKindOf(schema);
      const value = this.input[name] ?? '';
      const set = (e: Event) => this.setInput(name, (e.target as HTMLInputElement | HTMLSelectElement).value);
      const label = schema.title ?? name;
      if (kind === 'enum' || kind === 'boolean') {
        const values =
          kind === 'boolean'
            ? [
                ['true', 'Yes'],
                ['false', 'No'],
              ]
            : (schema.enum ?? [])
                .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
                .map((v, i) => [String(v), schema['x-turtle-enum-labels']?.[i] ?? String(v)]);
        return html`<label
          >${label}
          <select data-input=${name} .value=${value} @change=${set}>
            <option value="" ?selected=${!value}>Any</option>
            ${values.map(([v, text]) => html`<option value=${v!} ?selected=${v === value}>${text}</option>`)}
          </select>
        </label>`;
      }
      const numeric = kind === 'number' || kind === 'integer';
      return html`<label
        >${label}
        <input
          data-input=${name}
          type=${numeric ? 'number' : 'search'}
          step=${kind === 'integer' ? '1' : 'any'}
          .value=${value}
          @change=${set}
        />
      </label>`;
    });
  }

  private setInput(name: string, value: string): void {
    const rest = Object.fromEntries(Object.entries(this.input).filter(([key]) => key !== name));
    this.input = value.trim() === '' ? rest : { ...rest, [name]: value.trim() };
  }

  private renderTable(): TemplateResult {
    if (this.items.length === 0) return html`<p class="muted" role="status">No executions yet.</p>`;
    return html`<div class="table-scroll">
        <table part="table" aria-label="Executions">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Function</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">User</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.items.map((execution) => this.renderRow(execution))}
          </tbody>
        </table>
      </div>
      ${this.next ? html`<button type="button" part="more" class="more" @click=${this.loadMore}>Load more</button>` : nothing}`;
  }

  private renderRow(execution: ExecutionSummary): TemplateResult {
    const chosen = execution.id === this.selected;
    return html`<tr
      part="row"
      data-id=${execution.id}
      data-status=${execution.status}
      aria-selected=${chosen ? 'true' : 'false'}
    >
      <td data-label="Created">${renderTime(execution.createdAt)}</td>
      <td data-label="Function">${execution.functionName}</td>
      <td data-label="Status">${renderStatus(execution.status)}</td>
      <td data-label="Progress">${renderProgress(execution)}</td>
      <td data-label="User">${execution.user ?? '—'}</td>
      <td class="actions">
        <button
          type="button"
          aria-expanded=${chosen ? 'true' : 'false'}
          @click=${() => this.select(execution.id)}
        >
          ${chosen ? 'Hide' : 'Details'}<span class="visually-hidden">
            ${chosen ? 'details' : ''} of ${execution.functionName} ${formatTime(execution.createdAt)}</span
          >
        </button>
        ${
          isFinalStatus(execution.status)
            ? nothing
            : html`<button
                type="button"
                part="cancel"
                aria-label="Cancel ${execution.functionName} ${formatTime(execution.createdAt)}"
                @click=${() => void this.cancel(execution.id)}
              >
                Cancel
              </button>`
        }
      </td>
    </tr>`;
  }

  private select(id: string): void {
    if (this.selected === id) {
      this.show('');
      return;
    }
    const event = new CustomEvent('turtle-select', {
      detail: { id },
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (this.dispatchEvent(event)) this.show(id);
  }

  /** Opens (or, with `''`, closes) the detail; with `link`, the page's URL follows. */
  private show(id: string, history: 'pushState' | 'replaceState' = 'pushState'): void {
    this.selected = id;
    if (!this.link) return;
    const href = id
      ? runHref(this.linkTemplate, id)
      : (this.pageHref ?? withoutRun(this.linkTemplate, location.href));
    if (href !== location.href) globalThis.history[history](globalThis.history.state, '', href);
  }

  /** The run link form in use. */
  private get linkTemplate(): string {
    return this.hrefTemplate || DEFAULT_RUN_LINK;
  }

  /** With `link`: opens the run the page's URL names, or closes the detail when it names none. */
  private readonly readLink = (): void => {
    if (this.link) this.selected = runIdOf(this.linkTemplate, location.href);
  };

  private readonly onRerun = (event: HTMLElementEventMap['turtle-created']): void => {
    this.show(event.detail.execution.id);
    this.scheduleRefresh();
  };

  private readonly loadMore = async (): Promise<void> => {
    if (!this.next) return;
    try {
      const page = await this.api.listExecutions({
        function: this.functionName,
        status: this.status,
        user: this.user,
        schedule: this.schedule,
        input: this.functionName ? this.input : {},
        limit: this.limit,
        cursor: this.next,
      });
      const known = new Set(this.items.map((e) => e.id));
      this.items = [...this.items, ...page.items.filter((e) => !known.has(e.id))];
      this.next = page.next;
    } catch (error) {
      this.fail(error);
    }
  };

  private async cancel(id: string): Promise<void> {
    try {
      this.patch(await this.api.cancelExecution(id));
    } catch (error) {
      this.fail(error);
    }
  }

  private follow(key: string): void {
    this.stopStream();
    this.streamKey = key;
    this.streamReady = false;
    const api = this.api;
    const url = api.url('/api/events', { function: this.functionName });
    this.closeStream = subscribe<ExecutionEvent>(
      url,
      (event) => {
        const current = this.items.find((e) => e.id === event.executionId);
        if (!current) {
          // A status change of an execution not shown (a new one, or one filtered out or on a later
          // page): the first page with the filters decides. Its progress alone changes nothing here.
          if (event.kind === 'status') this.scheduleRefresh();
          return;
        }
        const { execution, reload } = applyStreamEvent(current, event);
        if (execution !== current) this.patch(execution);
        if (reload || (this.status && execution.status !== this.status)) this.scheduleRefresh();
      },
      {
        // The stream starts at "now": the first load waits for it (streamReady); after a reconnect,
        // or a load without it, reload so nothing from the gap is missed.
        onOpen: () => {
          this.reconnecting = false;
          if (this.streamReady) this.scheduleRefresh();
          else this.streamReady = true;
        },
        // No stream (yet): show the list anyway, and say so while it reconnects.
        onDrop: (retrying) => {
          this.streamReady = true;
          this.reconnecting = retrying;
        },
        headers: api.authHeaders(),
      },
    );
  }

  private refreshing = false;
  private refreshAgain = false;

  /**
   * Reloads the first page, coalescing: events arriving during a reload cause one more reload after
   * it, not one each (a busy server would otherwise abort every reload with the next).
   */
  private scheduleRefresh(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    void (async () => {
      try {
        do {
          this.refreshAgain = false;
          this.keepLoaded = true;
          await this.listTask.run().catch(() => undefined);
        } while (this.refreshAgain && this.isConnected);
      } finally {
        this.refreshing = false;
      }
    })();
  }

  private patch(execution: ExecutionSummary): void {
    this.items = this.items.map((e) => (e.id === execution.id ? { ...e, ...execution } : e));
    this.emit('turtle-update', { execution });
  }

  private stopStream(): void {
    this.closeStream?.();
    this.closeStream = undefined;
    this.reconnecting = false;
  }

  private fail(error: unknown): void {
    const apiError = TurtleApiError.from(error);
    this.actionError = apiError.message;
    this.emit('turtle-error', { error: apiError });
  }
}

/** The detail of `turtle-select`. */
export interface TurtleSelectDetail {
  /** The chosen execution's id. */
  id: string;
}

defineElement('turtle-executions', TurtleExecutions);

declare global {
  interface HTMLElementTagNameMap {
    'turtle-executions': TurtleExecutions;
  }
  interface HTMLElementEventMap {
    'turtle-select': CustomEvent<TurtleSelectDetail>;
  }
}
