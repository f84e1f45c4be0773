/** Which rows of an output table show, in which order. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OutputView } from '../../../elements/internal/output-view.js';
import { nextSort, sortedOrder, tablePage } from '../../../elements/internal/table-rows.js';

const text = (t: string): OutputView => ({ kind: 'text', text: t });
const number = (value: number): OutputView => ({ kind: 'number', value, text: String(value) });

describe('sorting and paging a table', () => {
  const rows: OutputView[][] = [
    [text('S10'), number(100)],
    [{ kind: 'empty' }, number(9)],
    [text('S9'), { kind: 'empty' }],
    [text('s2'), number(10)],
    [{ kind: 'date', iso: '2026-01-02T00:00:00Z', text: '' }, number(10)],
  ];

  it('sorts numbers numerically and text in the locale, empty cells last either way', () => {
    assert.deepEqual(sortedOrder(rows, { column: 1, direction: 'ascending' }), [1, 3, 4, 0, 2]);
    assert.deepEqual(sortedOrder(rows, { column: 1, direction: 'descending' }), [0, 3, 4, 1, 2]);
    // Dates sort as their time, numbers before text; S2 < S9 < S10, whatever the case.
    assert.deepEqual(sortedOrder(rows, { column: 0, direction: 'ascending' }), [4, 3, 2, 0, 1]);
    assert.deepEqual(sortedOrder(rows, { column: 0, direction: 'descending' }), [0, 2, 3, 4, 1]);
  });

  it('sorts ascending on the first click of a header, then toggles', () => {
    const first = nextSort(undefined, 2);
    assert.deepEqual(first, { column: 2, direction: 'ascending' });
    assert.deepEqual(nextSort(first, 2), { column: 2, direction: 'descending' });
    assert.deepEqual(nextSort(nextSort(first, 2), 2), { column: 2, direction: 'ascending' });
    assert.deepEqual(nextSort(first, 0), { column: 0, direction: 'ascending' });
  });

  it('says how many rows of a long table show', () => {
    const format = (n: number) => new Intl.NumberFormat().format(n);
    assert.deepEqual(tablePage(1000, 50), {
      shown: 50,
      total: 1000,
      summary: `Showing 50 of ${format(1000)} rows`,
    });
    assert.deepEqual(tablePage(30, 50), { shown: 30, total: 30, summary: '' });
    assert.deepEqual(tablePage(1000, Number.POSITIVE_INFINITY), { shown: 1000, total: 1000, summary: '' });
  });
});
