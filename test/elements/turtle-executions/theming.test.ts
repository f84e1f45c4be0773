import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution, TurtleExecutions, TurtleForm } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait } from '../support/api.js';

/** The open detail of `el`'s row for `id`, once it rendered its execution. */
async function openDetail(el: TurtleExecutions, id: string): Promise<TurtleExecution> {
  const button = await shadowWait<HTMLButtonElement>(el, `tr[data-id="${id}"] button`);
  button.click();
  const detail = await shadowWait<TurtleExecution>(el, 'turtle-execution');
  await shadowWait(detail, '[part~="execution"]');
  return detail;
}

describe('theming', () => {
  it('gives the page’s --turtle-* values to an element nested in another’s shadow root', async () => {
    const run = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Theme', count: 1 });
    const page = await fixture<HTMLDivElement>(html`
      <div
        style="--turtle-font-family: Verdana; --turtle-font-size: 11px; --turtle-color: rgb(1, 2, 3);
          --turtle-muted-background: rgb(4, 5, 6); --turtle-border-color: rgb(7, 8, 9)"
      >
        <section>
          <turtle-executions api-base=${await apiUrl()} function="echo" hide-filters></turtle-executions>
        </section>
      </div>
    `);
    const list = page.querySelector<TurtleExecutions>('turtle-executions')!;
    const detail = await openDetail(list, run.id);

    const hostStyle = getComputedStyle(detail);
    expect(hostStyle.fontFamily).to.equal('Verdana');
    expect(hostStyle.fontSize).to.equal('11px');
    expect(hostStyle.color).to.equal('rgb(1, 2, 3)');
    const rerun = getComputedStyle(shadow(detail, '[part~="rerun"]'));
    expect(rerun.backgroundColor).to.equal('rgb(4, 5, 6)');
    expect(rerun.borderTopColor).to.equal('rgb(7, 8, 9)');
    expect(getComputedStyle(shadow(list, 'th')).backgroundColor).to.equal('rgb(4, 5, 6)');
  });

  it('gives the page’s --turtle-* values to the output of a nested detail: table, links, long text', async () => {
    const run = await api<Execution>('POST', '/api/functions/sampleReport/executions', { samples: 2 });
    const page = await fixture<HTMLDivElement>(html`
      <div
        style="--turtle-muted-background: rgb(4, 5, 6); --turtle-border-color: rgb(7, 8, 9);
          --turtle-accent-color: rgb(10, 11, 12); --turtle-color: rgb(240, 240, 240)"
      >
        <turtle-executions
          api-base=${await apiUrl()}
          function="sampleReport"
          hide-filters
        ></turtle-executions>
      </div>
    `);
    const list = page.querySelector<TurtleExecutions>('turtle-executions')!;
    const detail = await openDetail(list, run.id);
    const th = await shadowWait(detail, '[part~="output-table"] th');
    expect(getComputedStyle(th).backgroundColor).to.equal('rgb(4, 5, 6)');
    expect(getComputedStyle(shadow(detail, '[part~="output-table"] td')).borderTopColor).to.equal(
      'rgb(7, 8, 9)',
    );
    expect(getComputedStyle(shadow(detail, '[part~="output-link"]')).color).to.equal('rgb(10, 11, 12)');
    expect(getComputedStyle(shadow(detail, '[part~="output-long-text"]')).backgroundColor).to.equal(
      'rgb(4, 5, 6)',
    );
    expect(getComputedStyle(shadow(detail, 'th button')).color).to.equal('rgb(240, 240, 240)');
  });

  it('follows a dark page’s color-scheme where the page sets no --turtle-* value', async () => {
    await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Dark', count: 1 });
    const page = await fixture<HTMLDivElement>(html`
      <div style="color-scheme: dark; background: #000">
        <turtle-executions api-base=${await apiUrl()} function="echo"></turtle-executions>
      </div>
    `);
    const list = page.querySelector<TurtleExecutions>('turtle-executions')!;
    await waitUntil(() => list.shadowRoot!.querySelector('tr[part~="row"]'), 'no rows');
    const select = getComputedStyle(shadow(list, '[part~="filters"] select'));
    // The dark defaults: light text on a dark control, no hard-coded white.
    expect(select.backgroundColor).to.equal('rgb(13, 17, 23)');
    expect(getComputedStyle(list).color).to.equal('rgb(240, 246, 252)');
    await expect(list).to.be.accessible();
  });

  it('keeps a form readable on a dark page with the default colours', async () => {
    const page = await fixture<HTMLDivElement>(html`
      <div style="color-scheme: dark; background: rgb(13, 17, 23)">
        <turtle-form fn="echo" api-base=${await apiUrl()}></turtle-form>
      </div>
    `);
    const form = page.querySelector<TurtleForm>('turtle-form')!;
    const submit = await shadowWait(form, '[part~="submit"]');
    expect(getComputedStyle(submit).color).to.equal('rgb(13, 17, 23)');
    await expect(form).to.be.accessible();
  });
});
