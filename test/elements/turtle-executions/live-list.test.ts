import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, gateRequests, setGate, shadow, testApi, type } from '../support/api.js';

const row = (el: Element, id: string) =>
  el.shadowRoot!.querySelector<HTMLTableRowElement>(`tr[data-id="${id}"]`);
const detailId = (el: TurtleExecutions) =>
  el.shadowRoot!.querySelector<TurtleExecution>('turtle-execution')?.executionId ?? '';
const statusFilter = (el: TurtleExecutions) =>
  shadow<HTMLSelectElement>(el, '[part~="filters"] label:nth-of-type(2) select');

describe('<turtle-executions> live list', () => {
  it('closes the detail once a filter leaves its execution out (and takes it out of the URL)', async () => {
    const testPage = location.href;
    const run = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Ada', count: 1 });
    try {
      const el = await fixture<TurtleExecutions>(
        html`<turtle-executions api-base=${await apiUrl()} function="echo" link></turtle-executions>`,
      );
      await waitUntil(() => row(el, run.id), 'not listed');
      row(el, run.id)!.querySelector<HTMLButtonElement>('button[aria-expanded]')!.click();
      await waitUntil(() => detailId(el) === run.id, 'detail not open');

      // Still in the list with the filter: stays open.
      type(statusFilter(el), 'done');
      await waitUntil(() => el.status === 'done' && row(el, run.id), 'done filter not applied');
      await el.updateComplete;
      expect(detailId(el)).to.equal(run.id);

      type(statusFilter(el), 'errored');
      await waitUntil(() => !row(el, run.id), 'errored filter not applied');
      await waitUntil(() => detailId(el) === '', 'the filtered-out detail stayed open');
      expect(location.hash).to.equal('');
    } finally {
      history.replaceState(null, '', testPage);
    }
  });

  it('shows "Reconnecting…" while the server cannot be reached, and catches up by itself', async () => {
    const { gateUrl } = await testApi();
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions api-base=${gateUrl} function="echo" limit="5"></turtle-executions>`,
    );
    const connection = () => shadow(el, '[part~="connection"]');
    expect(connection().getAttribute('role')).to.equal('status');
    await waitUntil(() => el.shadowRoot!.querySelector('tr[part~="row"], p[role="status"]'), 'no list');
    expect(connection().textContent).to.equal('');
    try {
      await setGate('down');
      await waitUntil(() => connection().textContent === 'Reconnecting…', 'no sign of the lost server');
      await expect(el).to.be.accessible();
      // Made while the element could not hear of it.
      const missed = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Cy', count: 3 });
      await setGate('up');
      await waitUntil(() => connection().textContent === '', 'never reconnected', { timeout: 15_000 });
      await waitUntil(() => row(el, missed.id), 'the missed execution never appeared', { timeout: 5000 });
    } finally {
      await setGate('up');
    }
  });

  it('with a token, reconnects its stream with the token and catches up', async () => {
    const { authGateUrl, token } = await testApi();
    const alreadyForwarded = (await gateRequests(authGateUrl)).length;
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions
        api-base=${authGateUrl}
        token=${token}
        function="echo"
        limit="5"
      ></turtle-executions>`,
    );
    const connection = () => shadow(el, '[part~="connection"]');
    const streams = async () =>
      (await gateRequests(authGateUrl))
        .slice(alreadyForwarded)
        .filter((request) => request.method === 'GET' && request.url.startsWith('/api/events'));
    await waitUntil(async () => (await streams()).length === 1, 'the stream never opened');
    try {
      await setGate('down', authGateUrl);
      await waitUntil(() => connection().textContent === 'Reconnecting…', 'no sign of the lost server');
      const missed = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Di', count: 2 });
      await setGate('up', authGateUrl);
      await waitUntil(() => connection().textContent === '', 'never reconnected', { timeout: 15_000 });
      await waitUntil(() => row(el, missed.id), 'the missed execution never appeared', { timeout: 5000 });
      expect((await streams()).map((request) => request.authorization)).to.deep.equal([
        `Bearer ${token}`,
        `Bearer ${token}`,
      ]);
    } finally {
      await setGate('up', authGateUrl);
    }
  });
});
