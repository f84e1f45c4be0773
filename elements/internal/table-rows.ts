/**
 * Which rows of an output table show, in which order: the sort a header click chooses, each cell's
 * sort key, and the page of a long table. Pure, so it can be tested alone; `output-controller.ts`
 * keeps each table's choice.
 */
import { formatNumber, type OutputView } from './output-view.js';
import { timeOf } from './format-date.js';

/** Rows a table shows at first, and how many more each "Show more" adds. */
export const PAGE_SIZE = 50;

/** Which way a table is sorted, as `aria-sort` says it. */
export type SortDirection = 'ascending' | 'descending';

/** A table's sort: the column's index and the direction. */
export interface TableSort {
  column: number;
  direction: SortDirection;
}

/** The sort after a click on `column`'s header: ascending first, then the other way round. */
export function nextSort(current: TableSort | undefined, column: number): TableSort {
  return current?.column === column && current.direction === 'ascending'
    ? { column, direction: 'descending' }
    : { column, direction: 'ascending' };
}

/** What a cell sorts by: a number (numbers, dates, booleans), text, or nothing (sorted last). */
export function sortKey(view: OutputView): number | string | undefined {
  switch (view.kind) {
    case 'number':
      return view.value;
    case 'boolean':
      return view.value ? 1 : 0;
    case 'date':
      return timeOf(view.iso);
    case 'text':
    case 'long-text':
    case 'enum':
    case 'link':
      return view.text;
    default:
      return undefined;
  }
}

let collator: Intl.Collator | undefined;

/**
 * The indexes of `rows` in the order of a column (ties keep their order): numbers by value, text in
 * the user's locale (`S2` before `S10`), numbers before text, and empty cells last either way.
 */
export function sortedOrder(rows: readonly OutputView[][], sort: TableSort): number[] {
  collator ??= new Intl.Collator(undefined, { numeric: true });
  const compareText = collator.compare;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row, index) => {
    const cell = row[sort.column];
    return { index, key: cell && sortKey(cell) };
  });
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined)
      return a.key === b.key ? a.index - b.index : a.key === undefined ? 1 : -1;
    let order: number;
    if (typeof a.key === 'number' && typeof b.key === 'number') order = a.key - b.key;
    else if (typeof a.key === 'string' && typeof b.key === 'string') order = compareText(a.key, b.key);
    else order = typeof a.key === 'number' ? -1 : 1;
    return order === 0 || Number.isNaN(order) ? a.index - b.index : sign * order;
  });
  return keyed.map((k) => k.index);
}

/** How much of a long table shows: `shown` of `total` rows, and the sentence that says so. */
export interface TablePage {
  shown: number;
  total: number;
  /** `Showing 50 of 1,000 rows`; empty when every row shows. */
  summary: string;
}

/** The page of a table of `total` rows of which the user asked for `limit`. */
export function tablePage(total: number, limit: number): TablePage {
  const shown = Math.min(total, Math.max(limit, 0));
  return {
    shown,
    total,
    summary: shown < total ? `Showing ${formatNumber(shown)} of ${formatNumber(total)} rows` : '',
  };
}
