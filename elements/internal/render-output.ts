import { html, nothing, type TemplateResult } from 'lit';
import type { OutputField, OutputView } from './output-view.js';
import { PAGE_SIZE, tablePage, type TableSort } from './table-rows.js';

/** What a secret shows, in outputs and inputs alike: never its value, which the server does not send. */
export const SECRET_TEXT = '•••• (hidden)';

/** What a rendered table needs from its host: its sort and how many rows to show, and how to change them. */
export interface TableControls {
  /** The sort and the row limit of the table at `path`. */
  table(path: string): { sort: TableSort | undefined; limit: number };
  /** The indexes of the table's `rows` in the order {@link TableControls.table} sorts them. */
  order(path: string, rows: OutputView[][]): readonly number[];
  /** A click on the header of `column`. */
  sortBy(path: string, column: number): void;
  /** "Show more" (`PAGE_SIZE` more rows) or "Show all". */
  showMore(path: string, all: boolean): void;
}

/**
 * Renders a laid-out value as DOM, every piece as text (Lit escapes interpolated strings), never as
 * HTML; links only to http(s) URLs, opened apart (`rel="noopener noreferrer"`). `path` names each
 * table for `controls`. Parts: `output-table`, `output-table-page`, `output-more`, `output-record`,
 * `output-list`, `output-text`, `output-long-text`, `output-number`, `output-date`, `output-link`,
 * `output-secret`, `output-empty`.
 */
export function renderView(view: OutputView, controls: TableControls, path: string): TemplateResult {
  switch (view.kind) {
    case 'empty':
      return html`<span part="output-empty" class="empty">—</span>`;
    case 'text':
    case 'enum':
    case 'boolean':
      return html`<span part="output-text" class="text">${view.text}</span>`;
    case 'long-text':
      // Focusable, so that a keyboard can scroll it.
      return html`<div part="output-long-text" class="long-text" tabindex="0">${view.text}</div>`;
    case 'number':
      return html`<span part="output-number" class="number">${view.text}</span>`;
    case 'secret':
      return html`<span part="output-secret" class="empty">${SECRET_TEXT}</span>`;
    case 'link':
      return html`<a part="output-link" href=${view.href} target="_blank" rel="noopener noreferrer"
        >${view.text}</a
      >`;
    case 'date':
      return html`<time part="output-date" datetime=${view.iso} title=${view.iso}>${view.text}</time>`;
    case 'list':
      return view.items.length === 0
        ? html`<span part="output-empty" class="empty">(none)</span>`
        : html`<ul part="output-list">
            ${view.items.map((item, i) => html`<li>${renderView(item, controls, `${path}/${i}`)}</li>`)}
          </ul>`;
    case 'record':
      return view.entries.length === 0
        ? html`<span part="output-empty" class="empty">(none)</span>`
        : html`<dl part="output-record">
            ${view.entries.map(
              (entry) =>
                html`<div class="entry">
                  <dt title=${entry.description ?? nothing}>${entry.label}</dt>
                  <dd>${renderView(entry.value, controls, `${path}/${escapeKey(entry.key)}`)}</dd>
                </div>`,
            )}
          </dl>`;
    case 'table':
      return renderTable(view.columns, view.rows, controls, path);
  }
}

function renderTable(
  columns: OutputField[],
  rows: OutputView[][],
  controls: TableControls,
  path: string,
): TemplateResult {
  const { sort, limit } = controls.table(path);
  const page = tablePage(rows.length, limit);
  const shown = controls.order(path, rows).slice(0, page.shown);
  const more = Math.min(PAGE_SIZE, page.total - page.shown);
  return html`<div class="table-scroll">
      <table part="output-table">
        <thead>
          <tr>
            ${columns.map(
              (column, i) =>
                html`<th scope="col" aria-sort=${sort?.column === i ? sort.direction : nothing}>
                  <button
                    type="button"
                    class="sort"
                    title=${column.description ?? nothing}
                    @click=${() => controls.sortBy(path, i)}
                  >
                    ${column.label}<span class="sort-mark" aria-hidden="true"
                      >${sort?.column === i ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span
                    >
                  </button>
                </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (index) =>
              html`<tr>
                ${rows[index]!.map((cell, i) => renderCell(cell, controls, path, index, columns[i]!.key))}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${
      page.summary
        ? html`<div part="output-table-page" class="table-page">
            <span role="status">${page.summary}</span>
            <button type="button" part="output-more" @click=${() => controls.showMore(path, false)}>
              Show ${more} more
            </button>
            <button type="button" part="output-all" @click=${() => controls.showMore(path, true)}>
              Show all
            </button>
          </div>`
        : nothing
    }`;
}

/**
 * A table cell. The common ones are one template each, text straight in the cell (a thousand rows
 * are five thousand cells: a template inside each would double the work).
 */
function renderCell(
  cell: OutputView,
  controls: TableControls,
  table: string,
  row: number,
  key: string,
): TemplateResult {
  switch (cell.kind) {
    case 'text':
    case 'number':
    case 'enum':
    case 'boolean':
      return html`<td class=${cell.kind}>${cell.text}</td>`;
    case 'link':
      return html`<td class="link">
        <a part="output-link" href=${cell.href} target="_blank" rel="noopener noreferrer">${cell.text}</a>
      </td>`;
    case 'date':
      return html`<td class="date">
        <time part="output-date" datetime=${cell.iso} title=${cell.iso}>${cell.text}</time>
      </td>`;
    default:
      return html`<td class=${cell.kind}>
        ${renderView(cell, controls, `${table}/${row}/${escapeKey(key)}`)}
      </td>`;
  }
}

function escapeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
