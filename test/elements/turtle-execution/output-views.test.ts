import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait } from '../support/api.js';

/** A done run of `sampleReport` (tests/elements/fixtures/functions.ts), shown in a `<turtle-execution>`. */
async function report(input: { samples: number; note?: string }): Promise<[TurtleExecution, Execution]> {
  const run = await api<Execution>('POST', '/api/functions/sampleReport/executions', input);
  expect(run.status).to.equal('done');
  const el = await fixture<TurtleExecution>(
    html`<turtle-execution execution-id=${run.id} api-base=${await apiUrl()}></turtle-execution>`,
  );
  // The table appears once the run's function version (its `returns`) is known.
  await shadowWait(el, '[part~="output"] [part~="output-table"]');
  return [el, run];
}

const trim = (el: Element) => el.textContent.replace(/\s+/g, ' ').trim();
const table = (el: TurtleExecution) => shadow<HTMLTableElement>(el, '[part~="output-table"]');
const headers = (el: TurtleExecution) => [...table(el).querySelectorAll('th')];
/** The header of the column labelled `label` (its sort mark, ▲ or ▼, hidden from assistive tech, aside). */
const header = (el: TurtleExecution, label: string) =>
  headers(el).find((th) => trim(th).replace(/ ?[▲▼]$/, '') === label)!;
/** The text of column `index` of every rendered row. */
const column = (el: TurtleExecution, index: number) =>
  [...table(el).tBodies[0]!.rows].map((row) => trim(row.cells[index]!));
const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 });

describe('<turtle-execution> output by the declared return type', () => {
  it('shows records as a table with the schema’s columns, nested groups, labels, links, numbers, dates and long text', async () => {
    const [el, run] = await report({ samples: 4 });
    const output = shadow(el, '[part~="output"]');

    // Columns in the schema's order, labelled as parameters are, each with its JSDoc on hover.
    expect(headers(el).map(trim)).to.deep.equal(['Sample id', 'Reads', 'State', 'Sequenced at', 'Data url']);
    expect(header(el, 'Reads').querySelector('button')!.title).to.equal('Reads sequenced, in millions.');
    expect(column(el, 0)).to.deep.equal(['S-1', 'S-2', 'S-3', 'S-4']);
    // Numbers in the user's locale; enum values by their labels.
    expect(column(el, 1)).to.deep.equal([100, 10, 12, 1237.5].map((n) => numbers.format(n)));
    expect(column(el, 2)).to.deep.equal(['Sequenced', 'Queued', 'Failed', 'Sequenced']);

    // A date-time: in the user's locale, the exact time on hover.
    const time = table(el).tBodies[0]!.rows[0]!.cells[3]!.querySelector('time')!;
    expect(time.dateTime).to.equal('2026-01-01T12:30:00.000Z');
    expect(time.title).to.equal('2026-01-01T12:30:00.000Z');
    expect(time.textContent).to.equal(new Date('2026-01-01T12:30:00.000Z').toLocaleString());

    // A uri: a link opened apart.
    const link = table(el).querySelector<HTMLAnchorElement>('a[part~="output-link"]')!;
    expect(link.href).to.equal('https://data.example.org/samples/S-1');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.equal('noopener noreferrer');

    // Nested objects as key/value groups labelled by their properties.
    const top = output.querySelector(':scope > dl[part~="output-record"]')!;
    const keys = [...top.querySelectorAll(':scope > .entry > dt')].map(trim);
    expect(keys).to.deep.equal(['Run', 'Summary', 'Samples']);
    const summary = top.querySelector(':scope > .entry > dd > dl[part~="output-record"]')!;
    const entries = [...summary.querySelectorAll(':scope > .entry')].map((e) => [
      trim(e.querySelector('dt')!),
      e.querySelector('dt')!.title,
      trim(e.querySelector('dd')!),
    ]);
    const output_ = run.output as { summary: { totalReads: number; note: string } };
    expect(entries.slice(0, 3)).to.deep.equal([
      ['Samples', 'How many samples.', '4'],
      ['Total reads', 'Reads of every sample, in millions.', numbers.format(output_.summary.totalReads)],
      ['Passed', 'Whether every sample passed.', 'No'],
    ]);

    // Long text: a block of its own, scrolling rather than growing, reachable by keyboard.
    const note = shadow(el, '[part~="output-long-text"]');
    expect(note.textContent).to.equal(output_.summary.note);
    const style = getComputedStyle(note);
    expect([style.overflowY, style.whiteSpace]).to.deep.equal(['auto', 'pre-wrap']);
    expect(note.scrollHeight).to.be.greaterThan(note.clientHeight);
    expect(note.tabIndex).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('sorts a table by a click on a column header, numbers as numbers, and back the other way', async () => {
    const [el] = await report({ samples: 8 });
    const reads = () => header(el, 'Reads');
    expect(reads().hasAttribute('aria-sort')).to.equal(false);
    reads().querySelector('button')!.click();
    await el.updateComplete;
    expect(reads().getAttribute('aria-sort')).to.equal('ascending');
    // 10 < 12 < 100: as text it would be 10, 100, 104, 12, …
    const ascending = [10, 12, 14, 16, 100, 104, 1237.5, 1241.5].map((n) => numbers.format(n));
    expect(column(el, 1)).to.deep.equal(ascending);
    expect(column(el, 0)).to.deep.equal(['S-2', 'S-3', 'S-6', 'S-7', 'S-1', 'S-5', 'S-4', 'S-8']);

    reads().querySelector('button')!.click();
    await el.updateComplete;
    expect(reads().getAttribute('aria-sort')).to.equal('descending');
    expect(column(el, 1)).to.deep.equal([...ascending].reverse());

    header(el, 'State').querySelector('button')!.click();
    await el.updateComplete;
    expect(reads().hasAttribute('aria-sort')).to.equal(false, 'one sorted column at a time');
    expect(header(el, 'State').getAttribute('aria-sort')).to.equal('ascending');
    expect(column(el, 2)).to.deep.equal([...column(el, 2)].sort((a, b) => a.localeCompare(b)));
    await expect(el).to.be.accessible();
  });

  it('pages a long table, saying how many rows show, and sorts every row, not only the shown ones', async () => {
    const [el] = await report({ samples: 120 });
    const rows = () => table(el).tBodies[0]!.rows.length;
    const page = () => trim(shadow(el, '[part~="output-table-page"] [role="status"]'));
    expect(rows()).to.equal(50);
    expect(page()).to.equal('Showing 50 of 120 rows');

    header(el, 'Reads').querySelector('button')!.click();
    await el.updateComplete;
    header(el, 'Reads').querySelector('button')!.click();
    await el.updateComplete;
    // The largest of all 120 (sample 120: 1234.5 + 119), though it was not among the 50 shown.
    expect(column(el, 1)[0]).to.equal(numbers.format(1353.5));
    expect(rows()).to.equal(50);

    const more = shadow<HTMLButtonElement>(el, '[part~="output-more"]');
    expect(trim(more)).to.equal('Show 50 more');
    more.click();
    await el.updateComplete;
    expect(rows()).to.equal(100);
    expect(page()).to.equal('Showing 100 of 120 rows');
    expect(trim(shadow(el, '[part~="output-more"]'))).to.equal('Show 20 more');
    await expect(el).to.be.accessible();

    shadow<HTMLButtonElement>(el, '[part~="output-all"]').click();
    await el.updateComplete;
    expect(rows()).to.equal(120);
    expect(el.shadowRoot!.querySelector('[part~="output-table-page"]')).to.equal(null);
  });

  it('copies the output as JSON, its values as the function returned them', async () => {
    const [el, run] = await report({ samples: 2 });
    shadow<HTMLButtonElement>(el, '[part~="copy-output"]').click();
    await waitUntil(() => trim(shadow(el, '[part~="copied-output"]')) !== '', 'nothing said after copying');
    expect(trim(shadow(el, '[part~="copied-output"]'))).to.equal('Copied');
    const copied = await navigator.clipboard.readText();
    expect(copied).to.equal(JSON.stringify(run.output, null, 2));
    // Values, not labels: the enum as stored.
    expect((JSON.parse(copied) as { samples: { state: string }[] }).samples[0]!.state).to.equal('sequenced');
  });

  it('shows markup in an output as text, never as HTML', async () => {
    const note = '<img src=x onerror="window.__turtlePwned = 1">';
    const [el] = await report({ samples: 1, note });
    const output = shadow(el, '[part~="output"]');
    expect(output.querySelector('img')).to.equal(null);
    expect(output.textContent).to.contain(note);
    expect((window as { __turtlePwned?: number }).__turtlePwned).to.equal(undefined);
  });

  it('shows the run’s own times in the user’s locale, the exact time on hover', async () => {
    const [el, run] = await report({ samples: 1 });
    const times = [...el.shadowRoot!.querySelectorAll<HTMLTimeElement>('.meta time')];
    expect(times.map((t) => t.dateTime)).to.deep.equal([run.createdAt, run.startedAt, run.finishedAt]);
    for (const time of times) {
      expect(time.title).to.equal(time.dateTime);
      expect(time.textContent).to.equal(new Date(time.dateTime).toLocaleString());
    }
  });
});

describe('<turtle-executions> times', () => {
  it('shows when each run was created in the user’s locale, the exact time on hover', async () => {
    const run = await api<Execution>('POST', '/api/functions/sampleReport/executions', { samples: 1 });
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions api-base=${await apiUrl()} function="sampleReport"></turtle-executions>`,
    );
    const time = await shadowWait<HTMLTimeElement>(
      el,
      `tr[data-id="${run.id}"] td[data-label="Created"] time`,
    );
    expect(time.dateTime).to.equal(run.createdAt);
    expect(time.title).to.equal(run.createdAt);
    expect(time.textContent).to.equal(new Date(run.createdAt).toLocaleString());
  });
});
