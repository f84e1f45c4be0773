import { html, nothing, type TemplateResult } from 'lit';
import { describeOutput, type OutputView } from './output-view.js';

/**
 * Renders a value the server sent as DOM, every piece as text (Lit escapes interpolated strings),
 * never as HTML. Parts: `output-table`, `output-record`, `output-list`, `output-text`, `output-empty`.
 */
export function renderOutput(value: unknown): TemplateResult {
  return renderView(describeOutput(value));
}

function renderView(view: OutputView): TemplateResult {
  switch (view.kind) {
    case 'empty':
      return html`<span part="output-empty" class="empty">—</span>`;
    case 'text':
      return html`<span part="output-text" class="text">${view.text}</span>`;
    case 'list':
      return view.items.length === 0
        ? html`<span part="output-empty" class="empty">(none)</span>`
        : html`<ul part="output-list">
            ${view.items.map((item) => html`<li>${renderView(item)}</li>`)}
          </ul>`;
    case 'record':
      return view.entries.length === 0
        ? html`<span part="output-empty" class="empty">(none)</span>`
        : html`<dl part="output-record">
            ${view.entries.map(
              ({ key, value }) =>
                html`<div class="entry">
                  <dt>${key}</dt>
                  <dd>${renderView(value)}</dd>
                </div>`,
            )}
          </dl>`;
    case 'table':
      return html`<div class="table-scroll">
        <table part="output-table">
          <thead>
            <tr>
              ${view.columns.map((c) => html`<th scope="col">${c}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${view.rows.map(
              (row) =>
                html`<tr>
                  ${row.map((cell) => html`<td>${renderView(cell)}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
    default:
      return html`${nothing}`;
  }
}
