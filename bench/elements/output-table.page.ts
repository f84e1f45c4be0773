/**
 * The page of `bench/elements/output-table.ts`, bundled by esbuild and run in Chromium: renders a result of
 * 1,000 records as the elements do (`OutputController` → layout by the return schema → Lit templates,
 * with the elements' styles, in a shadow root), and the same rows as a plain `<table>` built by hand
 * with DOM calls. Each round times one render from nothing until layout is done (a forced
 * `offsetHeight`). `window.benchTable.run(kind, rounds)` answers the times in ms.
 */
import { LitElement, type TemplateResult } from 'lit';
import { OutputController } from '../../elements/internal/output-controller.js';
import { outputStyles } from '../../elements/internal/output-styles.js';
import { themeStyles } from '../../elements/internal/theme-styles.js';
import { SAMPLE_RETURNS, sampleRows, TABLE_ROWS as ROWS } from './support/sample-rows.js';

/** What the bench renders: the whole table, its first page (as a user first sees it), or a plain table. */
export type BenchKind = 'all' | 'paged' | 'plain';

class BenchOutput extends LitElement {
  static override styles = [themeStyles, outputStyles];
  value: unknown;
  readonly outputs = new OutputController(this);

  protected override render(): TemplateResult {
    return this.outputs.render(this.value, SAMPLE_RETURNS, 'bench');
  }
}
customElements.define('bench-output', BenchOutput);

/** The elements' way: one `<bench-output>`, every row shown (`all`) or the first page. */
async function renderTurtle(kind: 'all' | 'paged', host: HTMLElement): Promise<void> {
  const el = document.createElement('bench-output') as BenchOutput;
  el.value = sampleRows(ROWS);
  // The root table's path is its scope: "Show all" before the first render.
  if (kind === 'all') el.outputs.showMore('bench', true);
  host.append(el);
  await el.updateComplete;
  void el.offsetHeight;
}

/** The baseline: the same rows' values as text in a plain table, built with DOM calls. */
function renderPlain(host: HTMLElement): void {
  const data = sampleRows(ROWS);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const key of Object.keys(data[0]!)) {
    const th = document.createElement('th');
    th.textContent = key;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of data) {
    const tr = body.insertRow();
    for (const value of Object.values(row)) tr.insertCell().textContent = String(value);
  }
  host.append(table);
  void table.offsetHeight;
}

async function run(kind: BenchKind, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const host = document.createElement('div');
    document.body.append(host);
    const start = performance.now();
    if (kind === 'plain') renderPlain(host);
    else await renderTurtle(kind, host);
    times.push(performance.now() - start);
    host.remove();
    // Let the removed tree go before the next round.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return times;
}

declare global {
  interface Window {
    benchTable: { run(kind: BenchKind, rounds: number): Promise<number[]> };
    benchReady: boolean;
  }
}

window.benchTable = { run };
window.benchReady = true;
