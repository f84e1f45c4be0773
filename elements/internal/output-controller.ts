import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { Schema } from '../../manifest/manifest.js';
import { describeOutput, type OutputView } from './output-view.js';
import { nextSort, PAGE_SIZE, sortedOrder, type TableSort } from './table-rows.js';
import { renderView, type TableControls } from './render-output.js';

/** One table's state: its sort, how many rows show, and its sorted order (kept until either changes). */
interface TableState {
  sort: TableSort | undefined;
  limit: number;
  sorted?: { rows: OutputView[][]; sort: TableSort; order: number[] };
}

/**
 * Renders values by their schema for an element, and keeps what the user did to each table in them
 * (sort, rows shown) across renders: a live update of the run redraws, it does not reset a table.
 * Tables are known by the `scope` given to {@link OutputController.render} (a run's id and which of
 * its values) and their place in the value.
 *
 * @example
 * private readonly outputs = new OutputController(this);
 * render() { return this.outputs.render(run.output, fn.returns, `${run.id}/output`); }
 */
export class OutputController implements ReactiveController, TableControls {
  private readonly tables = new Map<string, TableState>();
  /** The last layout of each scope, reused while its value and schema are the same objects. */
  private readonly views = new Map<
    string,
    { value: unknown; schema: Schema | undefined; view: OutputView }
  >();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The scopes rendered in the current update; the others' layouts are dropped after it. */
  private readonly used = new Set<string>();

  hostUpdate(): void {
    this.used.clear();
  }

  hostUpdated(): void {
    for (const scope of this.views.keys()) if (!this.used.has(scope)) this.views.delete(scope);
  }

  /** `value` laid out by `schema` (open when undefined) as DOM, always as text. */
  render(value: unknown, schema: Schema | undefined, scope: string): TemplateResult {
    this.used.add(scope);
    let known = this.views.get(scope);
    if (!known || known.value !== value || known.schema !== schema) {
      known = { value, schema, view: describeOutput(value, schema) };
      this.views.set(scope, known);
    }
    return renderView(known.view, this, scope);
  }

  table(path: string): TableState {
    let state = this.tables.get(path);
    if (!state) {
      state = { sort: undefined, limit: PAGE_SIZE };
      this.tables.set(path, state);
    }
    return state;
  }

  order(path: string, rows: OutputView[][]): readonly number[] {
    const state = this.table(path);
    const { sort } = state;
    if (!sort) return rows.map((_, i) => i);
    if (state.sorted?.rows !== rows || state.sorted.sort !== sort)
      state.sorted = { rows, sort, order: sortedOrder(rows, sort) };
    return state.sorted.order;
  }

  sortBy(path: string, column: number): void {
    const state = this.table(path);
    state.sort = nextSort(state.sort, column);
    this.host.requestUpdate();
  }

  showMore(path: string, all: boolean): void {
    const state = this.table(path);
    state.limit = all ? Number.POSITIVE_INFINITY : state.limit + PAGE_SIZE;
    this.host.requestUpdate();
  }
}
