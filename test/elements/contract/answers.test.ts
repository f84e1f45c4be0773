/**
 * The elements trust the API's contract: every answer they get, driven through the states they have
 * (form submitted ok and refused, a background run followed live, list, detail, rerun, cancel, a
 * missing run, the functions overview, schedules paused and resumed), is checked against the OpenAPI
 * document the server serves. The elements reach the API through a gate that records every answer
 * (test/elements/support/api-gate.ts); the last test asks it for the check
 * (test/support/openapi-answers.ts): documented operation and status, valid body, no undeclared field.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type {
  Execution,
  Schedule,
  TurtleExecution,
  TurtleExecutions,
  TurtleForm,
  TurtleFunctions,
  TurtleSchedules,
} from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, contractReport, shadow, shadowWait, testApi, type } from '../support/api.js';

/** The API base the elements use here: every answer is recorded. */
const base = async () => (await testApi()).contractUrl;

const control = (el: TurtleForm, path: string) =>
  shadow<HTMLInputElement>(el, `[data-path="${path}"] [part~="control"]`);
const status = (el: TurtleExecution) => el.shadowRoot!.querySelector('header [part~="status"]')?.textContent;

async function form(fn: string, novalidate = false): Promise<TurtleForm> {
  const el = await fixture<TurtleForm>(
    html`<turtle-form fn=${fn} api-base=${await base()} ?novalidate=${novalidate}></turtle-form>`,
  );
  await shadowWait(el, 'form', `the form of ${fn} never rendered`);
  return el;
}

async function detail(id: string): Promise<TurtleExecution> {
  return fixture<TurtleExecution>(
    html`<turtle-execution execution-id=${id} api-base=${await base()}></turtle-execution>`,
  );
}

describe('every answer the elements use matches the OpenAPI document', () => {
  it('<turtle-form>: a sync run, an input the server refuses, a background run followed to its end', async () => {
    const sync = await form('echo');
    type(control(sync, '/name'), 'Ada');
    type(control(sync, '/count'), '2');
    const created = oneEvent(sync, 'turtle-created');
    await sync.submit();
    expect((await created).detail.execution.status).to.equal('done');

    const refused = await form('echo', true);
    type(control(refused, '/name'), 'A');
    type(control(refused, '/count'), '11');
    const failed = oneEvent(refused, 'turtle-error');
    await refused.submit();
    expect((await failed).detail.error.status).to.equal(400);

    const background = await form('countUp');
    type(control(background, '/steps'), '2');
    const finished = oneEvent(background, 'turtle-finish');
    await background.submit();
    expect((await finished).detail.execution.status).to.equal('done');
  });

  it('<turtle-executions>: the live list, a detail with its function version, and a rerun', async () => {
    const run = await api<Execution>('POST', '/api/functions/echo/executions', { name: 'Bo', count: 1 });
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions api-base=${await base()} function="echo" limit="5"></turtle-executions>`,
    );
    const row = await shadowWait(el, `tr[data-id="${run.id}"]`, 'not listed');
    row.querySelector<HTMLButtonElement>('button[aria-expanded]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('turtle-execution'), 'detail not open');
    const shown = el.shadowRoot!.querySelector<TurtleExecution>('turtle-execution')!;
    const rerun = await shadowWait(shown, '[part~="rerun"]', 'detail not shown');
    const created = oneEvent(shown, 'turtle-created');
    rerun.click();
    expect((await created).detail.execution.rerunOf).to.equal(run.id);
    // The list hears of the rerun on its stream.
    await shadowWait(el, `tr[data-id="${(await created).detail.execution.id}"]`, 'rerun not listed');
  });

  it('<turtle-execution>: a running execution followed live and cancelled, and one that does not exist', async () => {
    const running = await api<Execution>('POST', '/api/functions/waitForCancel/executions', {});
    const el = await detail(running.id);
    await waitUntil(() => status(el) === 'running', 'never running', { timeout: 5000 });
    shadow<HTMLButtonElement>(el, '[part~="cancel"]').click();
    await waitUntil(() => status(el) === 'cancelled', 'never cancelled', { timeout: 5000 });

    const missing = await detail('no-such-execution');
    await shadowWait(missing, '[role="alert"]', 'no error shown');
  });

  it('<turtle-functions> and <turtle-schedules>: the overview, and a schedule paused and resumed', async () => {
    const functions = await fixture<TurtleFunctions>(
      html`<turtle-functions api-base=${await base()}></turtle-functions>`,
    );
    await shadowWait(functions, '[part~="function"]', 'no functions listed');

    const nightly = await api<Schedule>('POST', '/api/schedules', {
      function: 'checkCode',
      cron: '0 4 * * *',
      input: { code: 'OK' },
    });
    const el = await fixture<TurtleSchedules>(
      html`<turtle-schedules api-base=${await base()} function="checkCode"></turtle-schedules>`,
    );
    const button = (part: string) => `tr[data-id="${nightly.id}"] [part~="${part}"]`;
    const paused = oneEvent(el, 'turtle-schedule-change');
    (await shadowWait<HTMLButtonElement>(el, button('pause'), 'schedule not listed')).click();
    expect((await paused).detail.schedule.paused).to.equal(true);
    const resumed = oneEvent(el, 'turtle-schedule-change');
    (await shadowWait<HTMLButtonElement>(el, button('resume'), 'not shown paused')).click();
    expect((await resumed).detail.schedule.paused).to.equal(false);
  });

  it('every answer recorded above is documented and matches its schema, for every operation they use', async () => {
    const { covered, problems } = await contractReport();
    expect(problems).to.deep.equal([]);
    expect(covered).to.include.members([
      'GET /api/functions 200',
      'GET /api/functions/{name} 200',
      'GET /api/functions/{name}/versions/{version} 200',
      'POST /api/functions/echo/executions 201',
      'POST /api/functions/echo/executions 400',
      'POST /api/functions/countUp/executions 202',
      'GET /api/executions 200',
      'GET /api/executions/{id} 200',
      'GET /api/executions/{id} 404',
      'GET /api/executions/{id}/events 200',
      'GET /api/events 200',
      'POST /api/executions/{id}/cancel 200',
      'POST /api/executions/{id}/rerun 202',
      'GET /api/schedules 200',
      'POST /api/schedules/{id}/pause 200',
      'POST /api/schedules/{id}/resume 200',
    ]);
  });
});
