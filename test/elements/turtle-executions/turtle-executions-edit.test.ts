/** `<turtle-executions>`: a chosen run's enum inputs by label, and "edit and run again" from the history. */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution, TurtleExecutions, TurtleForm } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait, type } from '../support/api.js';

describe('<turtle-executions> edit and labels', () => {
  it('shows the chosen run with enum labels, and edits and runs it again from the history', async () => {
    const run = await api<Execution>('POST', '/api/functions/paint/executions', { colour: 3, coats: 2 });
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions api-base=${await apiUrl()} function="paint" limit="50"></turtle-executions>`,
    );
    const row = await shadowWait(el, `tr[data-id="${run.id}"]`);
    row.querySelector('button')!.click();
    const detail = await shadowWait<TurtleExecution>(el, '[part~="detail"]');
    await shadowWait(detail, 'article');
    await waitUntil(() => shadow(detail, '[part~="inputs"]').textContent.includes('Blue'), 'no label');

    shadow<HTMLButtonElement>(detail, '[part~="edit"]').click();
    const form = await shadowWait<TurtleForm>(detail, '[part~="edit-form"]');
    await shadowWait(form, 'form');
    type(shadow<HTMLInputElement>(form, '[data-path="/coats"] [part~="control"]'), '6');
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(form, '[part~="submit"]').click();
    const next = (await created).detail.execution;
    expect(next.input).to.deep.equal({ colour: 3, coats: 6 });
    await waitUntil(
      () => el.shadowRoot!.querySelector(`tr[data-id="${next.id}"][aria-selected="true"]`),
      'the new run is not listed and chosen',
    );
    expect(detail.executionId).to.equal(next.id);
  });
});
