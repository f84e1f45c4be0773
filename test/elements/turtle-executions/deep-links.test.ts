import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait } from '../support/api.js';

/** The test page's own URL, put back after each test (the tests move it). */
const testPage = location.href;

async function linked(template?: string): Promise<TurtleExecutions> {
  return fixture<TurtleExecutions>(
    html`<turtle-executions
      api-base=${await apiUrl()}
      function="echo"
      link
      href-template=${template ?? ''}
    ></turtle-executions>`,
  );
}

const detailId = (el: TurtleExecutions) =>
  el.shadowRoot!.querySelector<TurtleExecution>('turtle-execution')?.executionId ?? '';
const detailsButton = (el: TurtleExecutions, id: string) =>
  shadow<HTMLButtonElement>(el, `tr[data-id="${id}"] button[aria-expanded]`);

async function twoRuns(): Promise<[Execution, Execution]> {
  const first = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Ada', count: 1 });
  const second = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Bo', count: 2 });
  return [first, second];
}

describe('<turtle-executions link>', () => {
  it('opens the run the URL names (#run=<id>), keeps the open run in the URL, and follows back and forward', async () => {
    const [first, second] = await twoRuns();
    try {
      history.replaceState(null, '', `${testPage.split('#')[0]}#run=${first.id}`);
      const el = await linked();
      await waitUntil(() => detailId(el) === first.id, 'the linked run did not open');

      await waitUntil(() => el.shadowRoot!.querySelector(`tr[data-id="${second.id}"]`), 'not listed');
      detailsButton(el, second.id).click();
      await el.updateComplete;
      expect(location.hash).to.equal(`#run=${second.id}`);
      expect(detailId(el)).to.equal(second.id);

      const back = oneEvent(window, 'popstate');
      history.back();
      await back;
      await el.updateComplete;
      expect(detailId(el)).to.equal(first.id);

      // Closing the detail takes the run out of the URL; a hash typed in the address bar opens one.
      detailsButton(el, first.id).click();
      await el.updateComplete;
      expect(location.href).to.equal(testPage.split('#')[0]);
      expect(detailId(el)).to.equal('');
      const changed = oneEvent(window, 'hashchange');
      location.hash = `run=${second.id}`;
      await changed;
      await el.updateComplete;
      expect(detailId(el)).to.equal(second.id);
    } finally {
      history.replaceState(null, '', testPage);
    }
  });

  it('with href-template="/runs/{id}", puts the run in the path, and that URL opens it', async () => {
    const [first] = await twoRuns();
    try {
      const el = await linked('/runs/{id}');
      await waitUntil(() => el.shadowRoot!.querySelector(`tr[data-id="${first.id}"]`), 'not listed');
      detailsButton(el, first.id).click();
      await el.updateComplete;
      expect(location.pathname).to.equal(`/runs/${first.id}`);
      el.remove();

      const again = await linked('/runs/{id}');
      await waitUntil(() => detailId(again) === first.id, 'the linked run did not open');
      const detail = shadow<TurtleExecution>(again, 'turtle-execution');
      expect(detail.hrefTemplate).to.equal('/runs/{id}');
      expect(detail.href).to.equal(new URL(`/runs/${first.id}`, location.href).href);
    } finally {
      history.replaceState(null, '', testPage);
    }
  });
});

describe('<turtle-execution href-template>', () => {
  it('copies the link of the shown run', async () => {
    const [run] = await twoRuns();
    const el = await fixture<TurtleExecution>(
      html`<turtle-execution
        api-base=${await apiUrl()}
        execution-id=${run.id}
        href-template="#run={id}"
      ></turtle-execution>`,
    );
    const copy = await shadowWait<HTMLButtonElement>(el, '[part~="copy-link"]');
    const href = `${location.href.split('#')[0]}#run=${run.id}`;
    expect(el.href).to.equal(href);
    copy.click();
    await waitUntil(() => shadow(el, '[part~="copied"]').textContent !== '', 'nothing said after copying');
    expect(shadow(el, '[part~="copied"]').textContent).to.equal('Link copied');
    expect(await navigator.clipboard.readText()).to.equal(href);
    await expect(el).to.be.accessible();
  });

  it('has no "Copy link" without href-template', async () => {
    const [run] = await twoRuns();
    const el = await fixture<TurtleExecution>(
      html`<turtle-execution api-base=${await apiUrl()} execution-id=${run.id}></turtle-execution>`,
    );
    await shadowWait(el, 'article');
    expect(el.shadowRoot!.querySelector('[part~="copy-link"]')).to.equal(null);
    expect(el.href).to.equal('');
  });
});
