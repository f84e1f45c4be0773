import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait, testApi, type } from '../support/api.js';

async function list(attributes: { fn?: string } = {}): Promise<TurtleExecutions> {
  const el = await fixture<TurtleExecutions>(
    html`<turtle-executions
      api-base=${await apiUrl()}
      function=${attributes.fn ?? ''}
      limit="50"
    ></turtle-executions>`,
  );
  await shadowWait(el, '[part~="filters"]');
  return el;
}

const row = (el: Element, id: string) =>
  el.shadowRoot!.querySelector<HTMLTableRowElement>(`tr[data-id="${id}"]`);
const rows = (el: Element) => [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tr[part~="row"]')];

describe('<turtle-executions>', () => {
  it('lists executions newest first and filters them by function and status', async () => {
    const ok = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Ada', count: 1 });
    const bad = await api<Execution>('POST', '/api/functions/fail/executions', { message: 'no' });
    const el = await list();
    await waitUntil(() => row(el, ok.id) && row(el, bad.id), 'executions not listed');
    expect(rows(el)[0]!.dataset['id']).to.equal(bad.id);

    type(shadow<HTMLSelectElement>(el, '[part~="filters"] label:nth-of-type(2) select'), 'errored');
    await waitUntil(() => !row(el, ok.id) && row(el, bad.id), 'status filter not applied');
    expect(rows(el).every((r) => r.dataset['status'] === 'errored')).to.equal(true);

    type(shadow<HTMLSelectElement>(el, '[part~="filters"] label:nth-of-type(2) select'), '');
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part~="filters"] option[value="echo"]'),
      'functions not loaded',
    );
    type(shadow<HTMLSelectElement>(el, '[part~="filters"] label:nth-of-type(1) select'), 'echo');
    await waitUntil(() => row(el, ok.id) && !row(el, bad.id), 'function filter not applied');
    expect(rows(el).every((r) => r.cells[1]!.textContent === 'echo')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('says so when the token is refused, to the page too', async () => {
    const { authUrl } = await testApi();
    const refused: Array<HTMLElementEventMap['turtle-error']['detail']['error']> = [];
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions
        api-base=${authUrl}
        token="wrong"
        hide-filters
        @turtle-error=${(e: HTMLElementEventMap['turtle-error']) => refused.push(e.detail.error)}
      ></turtle-executions>`,
    );
    const message = await shadowWait(el, '[role="alert"]');
    expect(message.textContent).to.contain('token');
    expect(refused.map((error) => [error.type, error.status])).to.deep.equal([['Unauthorized', 401]]);
  });

  it('loads older executions a page at a time', async () => {
    const older = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Old', count: 1 });
    const newer = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'New', count: 2 });
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions
        api-base=${await apiUrl()}
        function="echo"
        limit="1"
        hide-filters
      ></turtle-executions>`,
    );
    await waitUntil(() => row(el, newer.id), 'first page not shown');
    expect(el.shadowRoot!.querySelector('[part~="filters"]')).to.equal(null);
    expect(rows(el).length).to.equal(1);
    shadow<HTMLButtonElement>(el, '[part~="more"]').click();
    await waitUntil(() => row(el, older.id), 'second page not shown');
    expect(rows(el).map((r) => r.dataset['id'])).to.deep.equal([newer.id, older.id]);
  });

  it('keeps the pages it loaded when a live update reloads the list', async () => {
    const older = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Older', count: 1 });
    const newer = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Newer', count: 2 });
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions
        api-base=${await apiUrl()}
        function="echo"
        limit="1"
        hide-filters
      ></turtle-executions>`,
    );
    await waitUntil(() => row(el, newer.id), 'first page not shown');
    shadow<HTMLButtonElement>(el, '[part~="more"]').click();
    await waitUntil(() => row(el, older.id), 'second page not shown');
    // A new execution's status events reload the list from the top.
    const newest = await api<Execution>('POST', '/api/functions/echo/executions', {
      name: 'Newest',
      count: 3,
    });
    await waitUntil(() => row(el, newest.id), 'the new execution never appeared', { timeout: 5000 });
    expect(
      rows(el)
        .map((r) => r.dataset['id'])
        .slice(0, 3),
    ).to.deep.equal([newest.id, newer.id, older.id]);
  });

  it('shows new executions and their status changes live', async () => {
    const el = await list({ fn: 'countUp' });
    const started = await api<Execution>('POST', '/api/functions/countUp/executions', { steps: 2 });
    await waitUntil(() => row(el, started.id), 'the new execution never appeared', { timeout: 5000 });
    await waitUntil(
      () => row(el, started.id)?.dataset['status'] === 'done',
      'never became done in the list',
      { timeout: 10_000 },
    );
  });

  it('cancels an execution from its row and opens its detail', async () => {
    const running = await api<Execution>('POST', '/api/functions/waitForCancel/executions', {});
    const el = await list({ fn: 'waitForCancel' });
    await waitUntil(() => row(el, running.id), 'not listed');
    row(el, running.id)!.querySelector<HTMLButtonElement>('[part~="cancel"]')!.click();
    await waitUntil(() => row(el, running.id)?.dataset['status'] === 'cancelled', 'never cancelled', {
      timeout: 5000,
    });
    expect((await api<Execution>('GET', `/api/executions/${running.id}`)).status).to.equal('cancelled');

    const details = row(el, running.id)!.querySelector<HTMLButtonElement>('button[aria-expanded]')!;
    details.click();
    await waitUntil(() => el.shadowRoot!.querySelector('turtle-execution'), 'no detail');
    expect(details.getAttribute('aria-expanded')).to.equal('true');
    const detail = el.shadowRoot!.querySelector('turtle-execution')!;
    expect(detail.getAttribute('execution-id')).to.equal(running.id);
    await shadowWait(detail, 'article');
  });
});
