import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../elements/index.js';
import type { TurtleForm } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait, testApi, type } from '../support/api.js';
// Only types come from turtle-shell there: the functions themselves run here too, for a direct call.
import { Color, Flag, convert_args, example_func } from '../../schema-gen/fixtures/lib/django-example.js';

/** A `<turtle-form>` for `fn` on the test API, once its form has rendered. */
async function form(fn: string, attributes: { novalidate?: boolean } = {}): Promise<TurtleForm> {
  const el = await fixture<TurtleForm>(
    html`<turtle-form
      fn=${fn}
      api-base=${await apiUrl()}
      ?novalidate=${attributes.novalidate ?? false}
    ></turtle-form>`,
  );
  await shadowWait(el, 'form', `the form of ${fn} never rendered`);
  return el;
}

const control = <E extends HTMLElement = HTMLInputElement>(el: TurtleForm, path: string) =>
  shadow<E>(el, `[data-path="${path}"] [part~="control"]`);
const fieldError = (el: TurtleForm, path: string) =>
  el.shadowRoot!.querySelector(`[data-path="${path}"] [part~="field-error"]`)?.textContent?.trim() ?? '';

describe('<turtle-form>', () => {
  it('renders every kind of field of a real manifest, each with its label', async () => {
    const el = await form('echo');
    expect(shadow(el, 'h2').textContent).to.equal('echo');
    expect(control(el, '/name').type).to.equal('text');
    expect(control(el, '/name').getAttribute('minlength')).to.equal('2');
    expect(control(el, '/count').type).to.equal('number');
    expect(control(el, '/count').step).to.equal('1');
    expect([control(el, '/count').min, control(el, '/count').max]).to.deep.equal(['1', '10']);
    expect(control(el, '/ratio').value).to.equal('0.5');
    expect(control(el, '/notes').localName).to.equal('textarea');
    expect(control(el, '/apiKey').type).to.equal('password');
    expect(control(el, '/when').type).to.equal('datetime-local');
    const flowcell = control<HTMLSelectElement>(el, '/flowcell');
    expect([...flowcell.options].map((o) => o.text)).to.deep.equal(['IPS', 'HISEQ']);
    expect(flowcell.selectedOptions[0]!.text).to.equal('IPS');
    expect(control(el, '/confirm').type).to.equal('checkbox');
    const notify = control<HTMLSelectElement>(el, '/notify');
    expect([...notify.options].map((o) => o.text)).to.deep.equal(['Not set', 'Yes', 'No']);
    expect(control(el, '/sampleIds').localName).to.equal('textarea');
    expect(shadow(el, '[data-path="/sizes"] legend').textContent).to.contain('Sizes');
    expect(shadow(el, '[data-path="/options"] legend').textContent).to.contain('Options');
    expect(control(el, '/options/depth').type).to.equal('number');
    expect(control(el, '/code').pattern).to.equal('^[A-Z]{2}-\\d+$');
    expect(shadow(el, '[data-path="/count"] [part~="help"]').textContent).to.equal('How many samples.');
    // Every control is named by a label (or an aria-label for list items).
    for (const c of el.shadowRoot!.querySelectorAll<HTMLInputElement>('[part~="control"]')) {
      expect(Boolean(c.labels?.length || c.getAttribute('aria-label')), `label of #${c.id}`).to.equal(true);
    }
    await expect(el).to.be.accessible();
  });

  it('shows `| null = null` fields empty, and submitted untouched gives the function what a direct call gives', async () => {
    const el = await form('nullables');
    expect(control(el, '/text').value).to.equal('');
    expect(control(el, '/count').value).to.equal('');
    const colour = control<HTMLSelectElement>(el, '/colour');
    expect([...colour.options].map((o) => o.text)).to.deep.equal(['Not set', 'Red', 'Green', 'Blue']);
    expect(colour.selectedOptions[0]!.text).to.equal('Not set');
    // The seed's `Optional[bool] = False`: not set, yes or no, with No chosen.
    const sendEmail = control<HTMLSelectElement>(el, '/sendEmail');
    expect([...sendEmail.options].map((o) => o.text)).to.deep.equal(['Not set', 'Yes', 'No']);
    expect(sendEmail.selectedOptions[0]!.text).to.equal('No');
    // `label: string | null` must be sent, but null will do: nothing for a person to fill in.
    expect(shadow(el, '[data-path="/label"] label').textContent).to.not.contain('required');
    const created = oneEvent(el, 'turtle-created');
    await el.submit();
    const { execution } = (await created).detail;
    expect(fieldError(el, '/count')).to.equal('');
    expect(execution.status).to.equal('done');
    // nullables(null)
    expect(execution.output).to.deep.equal({
      label: null,
      text: null,
      count: null,
      colour: null,
      sendEmail: false,
      note: '(undefined)',
    });
  });

  it('submitted filled in gives the function the typed values, and an emptied field null', async () => {
    const el = await form('nullables');
    type(control(el, '/label'), 'L');
    type(control(el, '/text'), 'null');
    type(control(el, '/count'), '0');
    type(control(el, '/colour'), '1');
    type(control(el, '/sendEmail'), '');
    const created = oneEvent(el, 'turtle-created');
    await el.submit();
    const { execution } = (await created).detail;
    // nullables('L', 'null', 0, Colour.Green, null)
    expect(execution.output).to.deep.equal({
      label: 'L',
      text: 'null',
      count: 0,
      colour: 2,
      sendEmail: null,
      note: '(undefined)',
    });
  });

  it("renders django-turtle-shell's example_func: checkboxes for defaulted booleans, Yes/No for a required one, labelled choices", async () => {
    const el = await form('example_func');
    expect(control(el, '/bool_arg_default_true').type).to.equal('checkbox');
    expect(control(el, '/bool_arg_default_true').checked).to.equal(true);
    expect(control(el, '/bool_arg_default_false').checked).to.equal(false);
    // Required, no default: two radios, neither chosen, and a required mark.
    const radios = el.shadowRoot!.querySelectorAll<HTMLInputElement>(
      '[data-path="/bool_arg_no_default"] input[type="radio"]',
    );
    expect([...radios].map((r) => [r.labels?.[0]?.textContent?.trim(), r.checked])).to.deep.equal([
      ['Yes', false],
      ['No', false],
    ]);
    expect(shadow(el, '[data-path="/bool_arg_no_default"] legend').textContent).to.contain('(required)');
    expect(shadow(el, '[data-path="/bool_arg_no_default"]').getAttribute('aria-required')).to.equal('true');
    expect(control(el, '/text_arg').localName).to.equal('textarea');
    expect(control(el, '/text_arg_with_default').value).to.equal('something');
    const labels = (path: string) => [...control<HTMLSelectElement>(el, path).options].map((o) => o.text);
    expect(labels('/enum_auto')).to.deep.equal(['Choose…', 'red', 'green', 'yellow']);
    expect(labels('/enum_auto_not_required')).to.deep.equal(['Not set', 'red', 'green', 'yellow']);
    expect(control<HTMLSelectElement>(el, '/enum_auto_with_default').selectedOptions[0]!.text).to.equal(
      'green',
    );
    expect(control(el, '/undocumented_arg').value).to.equal('');
    // Help text comes from @param alone: an undocumented enum parameter has none (not its enum's JSDoc).
    expect(shadow(el, '[data-path="/enum_auto"] [part~="help"]').textContent).to.equal(
      'should be choices with key names',
    );
    expect(el.shadowRoot!.querySelector('[data-path="/enum_str_with_default"] [part~="help"]')).to.equal(
      null,
    );
    await expect(el).to.be.accessible();
  });

  it('refuses to submit until a required Yes/No is chosen, then gives the function what a direct call gives', async () => {
    const el = await form('example_func');
    let created = false;
    el.addEventListener('turtle-created', () => (created = true));
    type(control(el, '/int_arg'), '1');
    type(control(el, '/str_arg'), 's');
    type(control(el, '/text_arg'), 't');
    type(control(el, '/enum_auto'), '0');
    type(control(el, '/enum_str'), '1');
    await el.submit();
    expect(created).to.equal(false);
    expect(fieldError(el, '/bool_arg_no_default')).to.equal('Choose Yes or No.');
    expect(el.shadowRoot!.activeElement).to.equal(control(el, '/bool_arg_no_default'));
    el.shadowRoot!.querySelectorAll<HTMLInputElement>(
      '[data-path="/bool_arg_no_default"] input[type="radio"]',
    )[1]!.click();
    await el.updateComplete;
    expect(fieldError(el, '/bool_arg_no_default')).to.equal('');
    const done = oneEvent(el, 'turtle-created');
    await el.submit();
    const { execution } = (await done).detail;
    expect(execution.output).to.deep.equal(
      example_func({
        int_arg: 1,
        bool_arg_no_default: false,
        str_arg: 's',
        text_arg: 't',
        enum_auto: Color.red,
        enum_str: Flag.is_banana,
      }),
    );
  });

  it("gives test_convert_arg's function, submitted untouched but for the required fields, what a direct call gives", async () => {
    const el = await form('convert_args');
    const selected = (path: string) => control<HTMLSelectElement>(el, path).selectedOptions[0]!.text;
    // Optional[bool] = True / None: a tri-state with the default chosen.
    expect([
      selected('/optional_bool_true'),
      selected('/optional_bool_none'),
      selected('/bool_default_none'),
    ]).to.deep.equal(['Yes', 'Not set', 'Not set']);
    expect([control(el, '/bool_truthy').checked, control(el, '/bool_falsey').checked]).to.deep.equal([
      true,
      false,
    ]);
    expect(control(el, '/int_none_default_not_required').value).to.equal('');
    type(control(el, '/int'), '3');
    type(control(el, '/str_doc'), 'doc');
    control(el, '/bool_required').click();
    type(control(el, '/enum_str'), '0');
    const done = oneEvent(el, 'turtle-created');
    await el.submit();
    const { execution } = (await done).detail;
    expect(execution.output).to.deep.equal(convert_args(3, 'doc', true, Flag.is_apple));
  });

  it('checks the inputs in the browser and sends nothing while they are wrong', async () => {
    const el = await form('echo');
    let created = false;
    el.addEventListener('turtle-created', () => (created = true));
    type(control(el, '/name'), 'A');
    type(control(el, '/count'), '11');
    type(control(el, '/code'), 'ab-1');
    await el.submit();
    expect(created).to.equal(false);
    expect(fieldError(el, '/name')).to.equal('Use at least 2 characters.');
    expect(fieldError(el, '/count')).to.equal('Must be at most 10.');
    expect(fieldError(el, '/code')).to.contain('Must match the pattern');
    expect(control(el, '/count').getAttribute('aria-invalid')).to.equal('true');
    expect(control(el, '/count').getAttribute('aria-describedby')).to.contain('-error');
    // The first wrong field gets the focus, so a keyboard user lands on it.
    expect(el.shadowRoot!.activeElement).to.equal(control(el, '/name'));
    type(control(el, '/name'), 'Ada');
    await el.updateComplete;
    expect(fieldError(el, '/name')).to.equal('');
    expect(fieldError(el, '/count')).to.equal('Must be at most 10.');
  });

  it('runs a sync function when submitted and shows its result at once', async () => {
    const el = await form('echo');
    type(control(el, '/name'), 'Ada <b>Lovelace</b>');
    type(control(el, '/count'), '3');
    control(el, '/confirm').click();
    type(control(el, '/notify'), 'false');
    type(control(el, '/flowcell'), '1');
    type(control(el, '/sampleIds'), 's1\ns2');
    shadow(el, '[data-path="/sizes"] [part~="add"]').click();
    await el.updateComplete;
    type(control(el, '/sizes'), '42');
    type(control(el, '/options/depth'), '2');
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(el, '[part~="submit"]').click();
    const { detail } = await created;
    expect(detail.execution.status).to.equal('done');
    expect(detail.execution.input).to.include({
      name: 'Ada <b>Lovelace</b>',
      count: 3,
      confirm: true,
      notify: false,
      flowcell: 'HISEQ',
    });
    expect(detail.execution.input).to.deep.include({
      sampleIds: ['s1', 's2'],
      sizes: [42],
      options: { depth: 2 },
    });
    await el.updateComplete;
    expect(shadow(el, '[part~="result"] [part~="status"]').textContent).to.equal('done');
    const output = shadow(el, '[part~="output"]');
    const entries = Object.fromEntries(
      [...output.querySelectorAll('dl > .entry')].map((e) => [
        e.querySelector('dt')!.textContent,
        e.querySelector('dd')!.textContent.trim(),
      ]),
    );
    expect(entries).to.include({
      name: 'Ada <b>Lovelace</b>',
      count: '3',
      confirm: 'Yes',
      flowcell: 'HISEQ',
    });
    // The server's text stays text.
    expect(output.querySelector('b')).to.equal(null);
  });

  it('can be filled in and submitted with the keyboard alone', async () => {
    const el = await form('echo');
    control(el, '/name').focus();
    await sendKeys({ type: 'Grace' });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(control(el, '/count'));
    await sendKeys({ type: '7' });
    const created = oneEvent(el, 'turtle-created');
    await sendKeys({ press: 'Enter' });
    const { execution } = (await created).detail;
    expect(execution.input).to.include({ name: 'Grace', count: 7 });
  });

  it('moves focus to the result after a submission, not to <body>', async () => {
    const el = await form('echo');
    type(control(el, '/name'), 'Focus');
    type(control(el, '/count'), '2');
    shadow(el, '[part~="submit"]').focus();
    const created = oneEvent(el, 'turtle-created');
    await sendKeys({ press: 'Enter' });
    await created;
    const result = shadow(el, '[part~="result"]');
    await waitUntil(() => el.shadowRoot!.activeElement === result, 'focus not on the result');
    expect(result.getAttribute('aria-labelledby')).to.equal('result-title');
    await expect(el).to.be.accessible();
  });

  it('moves focus to the first field the server refused after a submission', async () => {
    const el = await form('echo', { novalidate: true });
    type(control(el, '/name'), 'A');
    type(control(el, '/count'), '11');
    shadow(el, '[part~="submit"]').focus();
    const failed = oneEvent(el, 'turtle-error');
    await sendKeys({ press: 'Enter' });
    await failed;
    await waitUntil(
      () => el.shadowRoot!.activeElement === control(el, '/name'),
      'focus not on the first refused field',
    );
    await expect(el).to.be.accessible();
  });

  it("shows the server's validation errors next to their fields", async () => {
    const el = await form('echo', { novalidate: true });
    type(control(el, '/name'), 'A');
    type(control(el, '/count'), '11');
    type(control(el, '/options/depth'), '0');
    const failed = oneEvent(el, 'turtle-error');
    await el.submit();
    const { detail } = await failed;
    expect(detail.error.type).to.equal('ValidationError');
    expect(detail.error.status).to.equal(400);
    await el.updateComplete;
    expect(fieldError(el, '/name')).to.not.equal('');
    expect(fieldError(el, '/count')).to.not.equal('');
    expect(fieldError(el, '/options/depth')).to.not.equal('');
    expect(fieldError(el, '/ratio')).to.equal('');
    expect(el.shadowRoot!.querySelector('[part~="result"]')).to.equal(null);
  });

  it("shows a background function's own rejection of an input next to the field", async () => {
    const el = await form('checkCode');
    type(control(el, '/code'), 'XYZ');
    const finished = oneEvent(el, 'turtle-finish');
    await el.submit();
    expect((await finished).detail.execution.error?.type).to.equal('ValidationError');
    await el.updateComplete;
    expect(fieldError(el, '/code')).to.equal('unknown code XYZ');
  });

  it('shows the error of a failed sync function as text', async () => {
    const el = await form('fail');
    type(control(el, '/message'), '<img src=x onerror="window.__pwned = true">broken');
    const created = oneEvent(el, 'turtle-created');
    await el.submit();
    expect((await created).detail.execution.status).to.equal('errored');
    await el.updateComplete;
    const error = shadow(el, '[part~="error"]');
    expect(error.textContent).to.contain('<img src=x onerror="window.__pwned = true">broken');
    expect(error.querySelector('img')).to.equal(null);
  });

  it('follows a background function live, with its progress, to its result', async () => {
    const el = await form('countUp');
    expect(shadow(el, 'h2').textContent).to.equal('Count up');
    type(control(el, '/steps'), '4');
    const finished = oneEvent(el, 'turtle-finish');
    const seen = new Set<string>();
    let sawProgress = false;
    el.addEventListener('turtle-update', (e) => {
      seen.add(e.detail.execution.status);
      if (e.detail.execution.progress && e.detail.execution.progress.fraction < 1) sawProgress = true;
    });
    const created = oneEvent(el, 'turtle-created');
    await el.submit();
    expect(['created', 'started', 'validated', 'running']).to.include(
      (await created).detail.execution.status,
    );
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part~="progress"]')?.textContent?.includes('step'),
      'no live progress shown',
      { timeout: 5000 },
    );
    const { detail } = await finished;
    expect(detail.execution.status).to.equal('done');
    expect(sawProgress).to.equal(true);
    expect(seen.has('running')).to.equal(true);
    await el.updateComplete;
    const table = shadow(el, '[part~="output"] table');
    // Columns labelled by the declared return type (`Square[]`), as parameters are.
    expect([...table.querySelectorAll('th')].map((th) => th.textContent.trim())).to.deep.equal([
      'Step',
      'Square',
    ]);
    expect(
      [...table.querySelectorAll<HTMLTableRowElement>('tbody tr')].map((tr) =>
        [...tr.cells].map((td) => td.textContent.trim()).join('|'),
      ),
    ).to.deep.equal(['1|1', '2|4', '3|9', '4|16']);
    expect(el.shadowRoot!.querySelector('[part~="cancel"]')).to.equal(null);
  });

  it('cancels the background execution it started', async () => {
    const el = await form('waitForCancel');
    const created = oneEvent(el, 'turtle-created');
    await el.submit();
    const { execution } = (await created).detail;
    await waitUntil(
      () => el.shadowRoot!.querySelector('[part~="result"] [part~="status"]')?.textContent === 'running',
      'never running',
      { timeout: 5000 },
    );
    const finished = oneEvent(el, 'turtle-finish');
    shadow<HTMLButtonElement>(el, '[part~="cancel"]').click();
    expect((await finished).detail.execution.status).to.equal('cancelled');
    const stored = await api<{ status: string }>('GET', `/api/executions/${execution.id}`);
    expect(stored.status).to.equal('cancelled');
  });

  it('sends its token, and follows the execution live with it', async () => {
    const { authUrl, token } = await testApi();
    const el = await fixture<TurtleForm>(
      html`<turtle-form fn="countUp" api-base=${authUrl} token=${token}></turtle-form>`,
    );
    await shadowWait(el, 'form');
    type(control(el, '/steps'), '2');
    const finished = oneEvent(el, 'turtle-finish');
    let sawProgress = false;
    el.addEventListener('turtle-update', (e) => {
      if (e.detail.execution.progress) sawProgress = true;
    });
    await el.submit();
    const { execution } = (await finished).detail;
    expect([execution.status, execution.user, sawProgress]).to.deep.equal(['done', 'tester', true]);
  });

  it('says so when the token is refused, to the page too', async () => {
    const { authUrl } = await testApi();
    const refused: Array<HTMLElementEventMap['turtle-error']['detail']['error']> = [];
    const el = await fixture<TurtleForm>(
      html`<turtle-form
        fn="countUp"
        api-base=${authUrl}
        token="wrong"
        @turtle-error=${(e: HTMLElementEventMap['turtle-error']) => refused.push(e.detail.error)}
      ></turtle-form>`,
    );
    const message = await shadowWait(el, '[role="alert"]');
    expect(message.textContent).to.contain('token');
    expect(refused.map((error) => [error.type, error.status])).to.deep.equal([['Unauthorized', 401]]);
  });

  it('says so when the function does not exist', async () => {
    const el = await fixture<TurtleForm>(
      html`<turtle-form fn="nope" api-base=${await apiUrl()}></turtle-form>`,
    );
    const message = await shadowWait(el, '[role="alert"]');
    expect(message.textContent).to.contain('nope');
  });
});
