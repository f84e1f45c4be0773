/**
 * The page of `bench/elements-table.ts`, bundled by esbuild and run in Chromium: renders a result of
 * 1,000 records as the elements do (`OutputController` → layout by the return schema → Lit templates,
 * with the elements' styles, in a shadow root), and the same rows as a plain `<table>` built by hand
 * with DOM calls. Each round times one render from nothing until layout is done (a forced
 * `offsetHeight`). `window.benchTable.run(kind, rounds)` answers the times in ms.
 */
import { LitElement, type TemplateResult } from 'lit';
import type { Schema } from '../../manifest/manifest.js';
import { OutputController } from '../../elements/internal/output-controller.js';
import { outputStyles } from '../../elements/internal/output-styles.js';
import { themeStyles } from '../../elements/internal/theme-styles.js';

/** What the bench renders: the whole table, its first page (as a user first sees it), or a plain table. */
export type BenchKind = 'all' | 'paged' | 'plain';

const ROWS = 1000;
const STATES = ['queued', 'sequenced', 'failed'];

const returns = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      sampleId: { type: 'string', description: 'The sample’s id in the lab.' },
      reads: { type: 'number', description: 'Reads sequenced, in millions.' },
      state: { type: 'string', enum: STATES, 'x-turtle-enum-labels': ['Queued', 'Sequenced', 'Failed'] },
      sequencedAt: { type: 'string', format: 'date-time' },
      dataUrl: { type: 'string', format: 'uri' },
    },
  },
} as unknown as Schema;

/** A fresh result each round, so that nothing is laid out from a cache. */
function rows(): Record<string, unknown>[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    sampleId: `S-${i + 1}`,
    reads: ((i * 7919) % 1000) + 0.5,
    state: STATES[i % 3],
    sequencedAt: new Date(Date.UTC(2026, 0, 1 + (i % 28), 12, 30)).toISOString(),
    dataUrl: `https://data.example.org/samples/S-${i + 1}`,
  }));
}

class BenchOutput extends LitElement {
  static override styles = [themeStyles, outputStyles];
  value: unknown;
  readonly outputs = new OutputController(this);

  protected override render(): TemplateResult {
    return this.outputs.render(this.value, returns, 'bench');
  }
}
customElements.define('bench-output', BenchOutput);

/** The elements' way: one `<bench-output>`, every row shown (`all`) or the first page. */
async function renderTurtle(kind: 'all' | 'paged', host: HTMLElement): Promise<void> {
  const el = document.createElement('bench-output') as BenchOutput;
  el.value = rows();
  // The root table's path is its scope: "Show all" before the first render.
  if (kind === 'all') el.outputs.showMore('bench', true);
  host.append(el);
  await el.updateComplete;
  void el.offsetHeight;
}

/** The baseline: the same rows' values as text in a plain table, built with DOM calls. */
function renderPlain(host: HTMLElement): void {
  const data = rows();
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

(globalThis as { benchTable?: unknown }).benchTable = { run, rows: ROWS };
