import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait } from '../support/api.js';

async function list(attributes: { fn: string; user?: string }): Promise<TurtleExecutions> {
  const el = await fixture<TurtleExecutions>(
    html`<turtle-executions
      api-base=${await apiUrl()}
      function=${attributes.fn}
      user=${attributes.user ?? ''}
    ></turtle-executions>`,
  );
  await shadowWait(el, '[part~="filters"]');
  return el;
}

/** The accessible name Chromium computes for `el` (its text, as a screen reader reads it). */
const nameOf = (el: Element) => el.textContent.replace(/\s+/g, ' ').trim();

describe('<turtle-executions> accessibility', () => {
  it('keeps a done badge readable on a chosen row of a page with a darker muted background', async () => {
    const done = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Pill', count: 1 });
    // The demo's theme: its muted background under the default success colour was 4.1:1.
    const page = await fixture<HTMLDivElement>(html`
      <div style="--turtle-muted-background: #e8e8e8; --turtle-font-size: 11px">
        <turtle-executions api-base=${await apiUrl()} function="echo" hide-filters></turtle-executions>
      </div>
    `);
    const el = page.querySelector<TurtleExecutions>('turtle-executions')!;
    (await shadowWait<HTMLButtonElement>(el, `tr[data-id="${done.id}"] button`)).click();
    await shadowWait(el, 'turtle-execution');
    await waitUntil(() => el.shadowRoot!.querySelector('tr[aria-selected="true"]'), 'row not chosen');
    await expect(el).to.be.accessible();
  });

  it('passes axe with a structured output open: a sorted, paged table, nested groups, links, long text', async () => {
    const run = await api<Execution>('POST', '/api/functions/sampleReport/executions', { samples: 60 });
    const el = await list({ fn: 'sampleReport' });
    (await shadowWait<HTMLButtonElement>(el, `tr[data-id="${run.id}"] button`)).click();
    const detail = await shadowWait<TurtleExecution>(el, 'turtle-execution');
    const sort = await shadowWait<HTMLButtonElement>(detail, '[part~="output-table"] th button');
    sort.click();
    await detail.updateComplete;
    expect(sort.closest('th')!.getAttribute('aria-sort')).to.equal('ascending');
    expect(nameOf(shadow(detail, '[part~="output-table-page"] [role="status"]'))).to.equal(
      'Showing 50 of 60 rows',
    );
    shadow(detail, '[part~="output-long-text"]');
    await expect(detail).to.be.accessible();
    // On a dark page too: links, headers and the long text keep their contrast.
    el.parentElement!.style.colorScheme = 'dark';
    el.parentElement!.style.background = '#000';
    await expect(detail).to.be.accessible();
  });

  it('has no axe violations when empty', async () => {
    const el = await list({ fn: 'echo', user: 'nobody-at-all' });
    await shadowWait(el, 'p[role="status"]:not(:empty)');
    await waitUntil(() => nameOf(shadow(el, 'p[role="status"]')) === 'No executions yet.', 'not empty');
    await expect(el).to.be.accessible();
  });

  it('names the row button by its visible label, and passes axe with a done row chosen', async () => {
    const done = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Axe', count: 1 });
    const failed = await api<Execution>('POST', '/api/functions/fail/executions', { message: 'no' });
    const el = await list({ fn: '' });
    const button = await shadowWait<HTMLButtonElement>(el, `tr[data-id="${done.id}"] button`);
    expect(nameOf(button)).to.match(/^Details of echo /);
    expect(button.getAttribute('aria-label')).to.equal(null);

    button.click();
    const detail = await shadowWait<TurtleExecution>(el, 'turtle-execution');
    await shadowWait(detail, '[part~="execution"]');
    await el.updateComplete;
    expect(nameOf(button)).to.match(/^Hide details of echo /);
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
    await expect(detail).to.be.accessible();

    shadow<HTMLButtonElement>(el, `tr[data-id="${failed.id}"] button`).click();
    await waitUntil(() => detail.shadowRoot!.querySelector('[part~="error"]'), 'errored detail not shown');
    await expect(el).to.be.accessible();
    await expect(detail).to.be.accessible();
  });
});
