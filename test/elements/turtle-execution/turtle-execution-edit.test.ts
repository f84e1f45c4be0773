/**
 * `<turtle-execution>`: "Edit and run again" (the `turtle-edit-request` event, and the form it opens
 * when nobody else handles it), "Resume" of an errored run with a checkpoint, and enum labels.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution, TurtleForm } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait, type } from '../support/api.js';

async function detail(id: string): Promise<TurtleExecution> {
  const el = await fixture<TurtleExecution>(
    html`<turtle-execution execution-id=${id} api-base=${await apiUrl()}></turtle-execution>`,
  );
  await shadowWait(el, 'article');
  return el;
}

const paint = () =>
  api<Execution>('POST', '/api/functions/paint/executions', {
    colour: 2,
    coats: 3,
    token: 't0ken',
    note: 'n',
  });

describe('<turtle-execution> edit, resume and labels', () => {
  it('shows enum inputs and outputs by their labels', async () => {
    const run = await paint();
    const el = await detail(run.id);
    await waitUntil(() => shadow(el, '[part~="inputs"]').textContent.includes('Green'), 'no input label');
    const output = shadow(el, '[part~="output"]').textContent;
    expect(output).to.contain('Green');
    expect(output).to.match(/Red\s*Blue/);
    expect(shadow(el, '[part~="inputs"]').textContent).to.not.match(/colour\s*2/);
  });

  it('asks the page with turtle-edit-request, then opens the prefilled form and shows the new run', async () => {
    const run = await paint();
    const el = await detail(run.id);
    const request = oneEvent(el, 'turtle-edit-request');
    shadow<HTMLButtonElement>(el, '[part~="edit"]').click();
    const event = await request;
    expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
    expect(event.detail).to.deep.equal({
      function: 'paint',
      values: { colour: 2, coats: 3, note: 'n' },
      executionId: run.id,
    });
    const form = await shadowWait<TurtleForm>(el, '[part~="edit-form"]');
    await shadowWait(form, 'form');
    const coats = shadow<HTMLInputElement>(form, '[data-path="/coats"] [part~="control"]');
    expect(coats.value).to.equal('3');
    expect(form.shadowRoot!.querySelector('[part~="prefill"]')!.textContent).to.contain('Token is a secret');
    type(coats, '4');
    type(shadow<HTMLInputElement>(form, '[data-path="/token"] [part~="control"]'), 'new');
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(form, '[part~="submit"]').click();
    const next = (await created).detail.execution;
    expect(next.input).to.deep.equal({ colour: 2, coats: 4, token: '••••', note: 'n' });
    await waitUntil(() => el.executionId === next.id && !el.shadowRoot!.querySelector('[part~="edit-form"]'));
    await waitUntil(() => el.shadowRoot!.textContent.includes(next.id), 'new run not shown');
    await expect(el).to.be.accessible();
  });

  it('leaves the edit to the page that cancels turtle-edit-request', async () => {
    const run = await paint();
    const el = await detail(run.id);
    const cancel = (event: Event) => event.preventDefault();
    document.addEventListener('turtle-edit-request', cancel);
    try {
      const request = oneEvent(el, 'turtle-edit-request');
      shadow<HTMLButtonElement>(el, '[part~="edit"]').click();
      await request;
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="edit-form"]')).to.equal(null);
    } finally {
      document.removeEventListener('turtle-edit-request', cancel);
    }
  });

  it('resumes an errored run from its checkpoint; offers no resume without one', async () => {
    const failed = await api<Execution>('POST', '/api/functions/resumable/executions', { failAt: 2 });
    expect([failed.status, failed.state]).to.deep.equal(['errored', { done: 2 }]);
    const el = await detail(failed.id);
    expect(shadow(el, '[part~="rerun"]')).to.not.equal(null);
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(el, '[part~="resume"]').click();
    const resumed = (await created).detail.execution;
    expect([resumed.rerunOf, resumed.status, resumed.output]).to.deep.equal([
      failed.id,
      'done',
      { start: 2, done: 4 },
    ]);
    await waitUntil(() => el.executionId === resumed.id, 'resumed run not shown');
    await waitUntil(
      () =>
        shadow(el, '[part~="timeline"]').textContent.includes(`resuming ${failed.id} from its checkpoint`),
      'the timeline does not say it resumed',
    );

    const early = await api<Execution>('POST', '/api/functions/resumable/executions', { failAt: 0 });
    const plain = await detail(early.id);
    expect(early.status).to.equal('errored');
    expect(plain.shadowRoot!.querySelector('[part~="resume"]')).to.equal(null);
    expect(plain.shadowRoot!.querySelector('[part~="rerun"]')).to.not.equal(null);
  });
});
