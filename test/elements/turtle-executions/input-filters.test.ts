import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait, type } from '../support/api.js';

const ids = (el: Element) =>
  [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tr[part~="row"]')].map((r) => r.dataset['id']);

describe('<turtle-executions> input filters', () => {
  it('shows a field per @filterable parameter of the chosen function and lists only matching runs', async () => {
    const run = (input: Record<string, unknown>) =>
      api<Execution>('POST', '/api/functions/resendReport/executions', input);
    const ips7 = await run({ flowcell: 'IPS', reportId: 7, urgent: true });
    const hiseq7 = await run({ flowcell: 'HISEQ', reportId: 7 });
    const ips8 = await run({ flowcell: 'IPS', reportId: 8 });
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions api-base=${await apiUrl()} limit="50"></turtle-executions>`,
    );
    await shadowWait(el, '[part~="filters"] option[value="resendReport"]');
    expect(el.shadowRoot!.querySelector('[data-input]')).to.equal(null, 'no fields without a function');

    type(shadow<HTMLSelectElement>(el, '[part~="filters"] label:nth-of-type(1) select'), 'resendReport');
    const flowcell = await shadowWait<HTMLSelectElement>(el, 'select[data-input="flowcell"]');
    const reportId = shadow<HTMLInputElement>(el, 'input[data-input="reportId"]');
    const urgent = shadow<HTMLSelectElement>(el, 'select[data-input="urgent"]');
    expect([...flowcell.options].map((o) => o.value)).to.deep.equal(['', 'IPS', 'HISEQ']);
    expect(reportId.type).to.equal('number');
    expect([...urgent.options].map((o) => o.value)).to.deep.equal(['', 'true', 'false']);
    await waitUntil(() => ids(el).includes(ips8.id), 'function not listed');

    type(flowcell, 'IPS');
    await waitUntil(() => !ids(el).includes(hiseq7.id), 'flowcell filter not applied');
    expect(ids(el)).to.deep.equal([ips8.id, ips7.id].filter((id) => ids(el).includes(id)));
    expect(ids(el)).to.include.members([ips8.id, ips7.id]);

    type(reportId, '7');
    await waitUntil(() => !ids(el).includes(ips8.id), 'reportId filter not applied');
    expect(ids(el)).to.include(ips7.id);
    expect(el.input).to.deep.equal({ flowcell: 'IPS', reportId: '7' });

    type(urgent, 'false');
    await waitUntil(() => !ids(el).includes(ips7.id), 'urgent filter not applied');
    type(urgent, '');
    await waitUntil(() => ids(el).includes(ips7.id), 'clearing a field lifts its filter');
    await expect(el).to.be.accessible();

    type(shadow<HTMLSelectElement>(el, '[part~="filters"] label:nth-of-type(1) select'), '');
    await waitUntil(() => ids(el).includes(hiseq7.id), 'the filters went with the function');
    expect(el.input).to.deep.equal({});
    expect(el.shadowRoot!.querySelector('[data-input]')).to.equal(null);
  });
});
