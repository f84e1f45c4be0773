import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleExecution } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait } from '../support/api.js';

async function detail(id: string): Promise<TurtleExecution> {
  const el = await fixture<TurtleExecution>(
    html`<turtle-execution execution-id=${id} api-base=${await apiUrl()}></turtle-execution>`,
  );
  await shadowWait(el, 'article');
  return el;
}

const status = (el: Element) => el.shadowRoot!.querySelector('header [part~="status"]')?.textContent;

describe('<turtle-execution>', () => {
  it('shows a background execution live: inputs, progress, timeline, then its output', async () => {
    const started = await api<Execution>('POST', '/api/functions/countUp/executions', { steps: 3 });
    const el = await detail(started.id);
    expect(shadow(el, 'h2').textContent).to.equal('Count up', 'the title of the version it ran with');
    expect(shadow(el, '[part~="inputs"]').textContent).to.contain('Steps');
    const finished = oneEvent(el, 'turtle-finish');
    await waitUntil(() => status(el) === 'done', 'never done', { timeout: 10_000 });
    expect((await finished).detail.execution.status).to.equal('done');
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="output"] table'), 'no output table');
    expect(el.shadowRoot!.querySelectorAll('[part~="output"] tbody tr').length).to.equal(3);
    const timeline = [...el.shadowRoot!.querySelectorAll('[part~="timeline"] li')].map(
      (li) => li.textContent,
    );
    expect(timeline.some((line) => line.includes('→ done'))).to.equal(true);
    expect(timeline.some((line) => line.includes('progress'))).to.equal(true);
    // Three steps of progress (and checkpoints) are one line, expandable; the time in `running` is said.
    const folded = shadow(el, '[part~="timeline"] > li > details');
    expect(folded.querySelectorAll('li').length).to.be.greaterThan(2);
    expect(shadow(el, '[part~="timeline"] > li > details summary').textContent).to.match(
      /latest of \d+ updates/,
    );
    expect(timeline.some((line) => /running → done \(.+ running\)/.test(line))).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part~="cancel"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a given secret as hidden, never its value', async () => {
    const run = await api<Execution>('POST', '/api/functions/echo/executions', {
      name: 'ana',
      count: 2,
      apiKey: 'sup3r-secret-key',
    });
    expect(run.redactedInputs).to.deep.equal(['/apiKey']);
    const el = await detail(run.id);
    const inputs = shadow(el, '[part~="inputs"]').textContent;
    expect(inputs).to.contain('•••• (hidden)');
    expect(inputs).to.contain('ana');
    expect(el.shadowRoot!.textContent).to.not.contain('sup3r-secret-key');
  });

  it('shows an error as text and reruns with the same inputs', async () => {
    const failed = await api<Execution>('POST', '/api/functions/fail/executions', {
      message: '<script>alert(1)</script>',
    });
    expect(failed.status).to.equal('errored');
    const el = await detail(failed.id);
    const error = shadow(el, '[part~="error"]');
    expect(error.textContent).to.contain('<script>alert(1)</script>');
    expect(error.querySelector('script')).to.equal(null);
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(el, '[part~="rerun"]').click();
    const rerun = (await created).detail.execution;
    expect(rerun.rerunOf).to.equal(failed.id);
    expect(rerun.input).to.deep.equal(failed.input);
    await waitUntil(
      () => el.executionId === rerun.id && el.shadowRoot!.textContent.includes(rerun.id),
      'rerun not shown',
    );
  });

  it('shows an old run with the labels it ran with, and a rerun refused because the schema changed', async () => {
    // Seeded by the API server: `echo` run when its `name` was `fullName`, labelled "Person".
    const { items } = await api<{ items: Execution[] }>('GET', '/api/executions?user=old-schema');
    const el = await detail(items[0]!.id);
    const inputs = shadow(el, '[part~="inputs"]').textContent ?? '';
    expect(inputs).to.contain('Person');
    expect(inputs).to.contain('Ada');
    const refused = oneEvent<HTMLElementEventMap['turtle-error']>(el, 'turtle-error');
    shadow<HTMLButtonElement>(el, '[part~="rerun"]').click();
    const error = (await refused).detail.error;
    expect([error.status, error.type]).to.deep.equal([409, 'SchemaChanged']);
    const box = await shadowWait(el, '[part~="schema-changed"]');
    expect(box.getAttribute('role')).to.equal('alert');
    expect(box.textContent).to.contain(error.message);
    expect([...box.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal([
      'fullName looks renamed to name',
    ]);
    const request = oneEvent<HTMLElementEventMap['turtle-edit-request']>(el, 'turtle-edit-request');
    shadow<HTMLButtonElement>(el, '[part~="edit-request"]').click();
    const asked = (await request).detail;
    expect(asked.function).to.equal('echo');
    expect(asked.values).to.include({ count: 2, ratio: 0.5, flowcell: 'IPS' });
    expect(asked.values).to.not.have.property('fullName');
    expect(el.executionId).to.equal(items[0]!.id, 'nothing was rerun');
    await expect(el).to.be.accessible();
  });

  it('cancels a running execution', async () => {
    const running = await api<Execution>('POST', '/api/functions/waitForCancel/executions', {});
    const el = await detail(running.id);
    await waitUntil(() => status(el) === 'running', 'never running', { timeout: 5000 });
    shadow<HTMLButtonElement>(el, '[part~="cancel"]').click();
    await waitUntil(() => status(el) === 'cancelled', 'never cancelled', { timeout: 5000 });
    expect(el.shadowRoot!.querySelector('[part~="rerun"]')).to.not.equal(null);
  });

  it('picks its live updates up again when re-attached to the page', async () => {
    const running = await api<Execution>('POST', '/api/functions/waitForCancel/executions', {});
    const el = await detail(running.id);
    await waitUntil(() => status(el) === 'running', 'never running', { timeout: 5000 });
    const parent = el.parentElement!;
    el.remove();
    // Cancelled while nobody listens: only following it again on re-attachment can show this.
    await api<Execution>('POST', `/api/executions/${running.id}/cancel`, {});
    let finished: Execution | undefined;
    el.addEventListener('turtle-finish', (event) => {
      finished = event.detail.execution;
    });
    parent.append(el);
    await waitUntil(() => status(el) === 'cancelled', 'never showed cancelled after re-attachment', {
      timeout: 5000,
    });
    expect(finished?.status).to.equal('cancelled');
  });

  it('shows the completion webhooks of its end, with each attempt', async () => {
    const failed = await api<Execution>('POST', '/api/functions/fail/executions', { message: 'no' });
    // The test API's receiver answers 503, then 204; its stand-in worker tries at once.
    await waitUntil(
      async () =>
        (await api<Execution>('GET', `/api/executions/${failed.id}`)).deliveries?.[0]?.state === 'delivered',
      'never delivered',
      { timeout: 5000 },
    );
    const el = await detail(failed.id);
    const deliveries = shadow(el, '[part~="deliveries"]');
    const line = deliveries.querySelector('li')!;
    expect(line.dataset.state).to.equal('delivered');
    expect(line.textContent).to.contain('http://127.0.0.1:').and.contain('errored').and.contain('delivered');
    // Only the receiver's origin: the rest of a URL may hold a token.
    expect(deliveries.textContent).to.not.contain('/hooks/turtle');
    const attempts = [...deliveries.querySelectorAll('details li')].map((li) => li.textContent);
    expect(attempts).to.have.length(2);
    expect(attempts[0]).to.contain('HTTP 503');
    expect(attempts[1]).to.contain('HTTP 204');
    await expect(el).to.be.accessible();
  });

  it('says so when the execution does not exist', async () => {
    const el = await fixture<TurtleExecution>(
      html`<turtle-execution
        execution-id="00000000-0000-4000-8000-000000000000"
        api-base=${await apiUrl()}
      ></turtle-execution>`,
    );
    await shadowWait(el, '[role="alert"]');
  });
});
