import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../elements/index.js';
import type { TurtleForm } from '../../../elements/index.js';
import type { Execution } from '../../../api/index.js';
import { describe, it } from '../support/mocha.js';
import { apiUrl, shadow, shadowWait, type } from '../support/api.js';
import { utcOffset } from '../../../elements/internal/form-values.js';

/** A `<turtle-form>` for `fn` on the test API, once its form has rendered. */
async function form(fn: string): Promise<TurtleForm> {
  const el = await fixture<TurtleForm>(html`<turtle-form fn=${fn} api-base=${await apiUrl()}></turtle-form>`);
  await shadowWait(el, 'form', `the form of ${fn} never rendered`);
  return el;
}

const control = <E extends HTMLElement = HTMLInputElement>(el: TurtleForm, path: string) =>
  shadow<E>(el, `[data-path="${path}"] [part~="control"]`);
const button = (el: TurtleForm, label: string) =>
  shadow<HTMLButtonElement>(el, `button[aria-label="${label}"]`);
const add = (el: TurtleForm, path: string) =>
  shadow<HTMLButtonElement>(el, `[data-path="${path}"] [part~="add"]`);
const focused = (el: TurtleForm) => el.shadowRoot!.activeElement;

async function run(el: TurtleForm): Promise<unknown> {
  let execution: Execution | undefined;
  el.addEventListener('turtle-created', (e) => (execution = e.detail.execution), { once: true });
  await el.submit();
  await el.updateComplete;
  const errors = [...el.shadowRoot!.querySelectorAll('[part~="field-error"], [part~="form-errors"]')];
  expect(execution, `not sent: ${errors.map((e) => e.textContent?.trim()).join('; ')}`).to.not.equal(
    undefined,
  );
  expect(execution!.error, JSON.stringify(execution!.error)).to.equal(null);
  return execution!.output;
}

describe('<turtle-form> with records, enum arrays, object arrays, formats and widgets', () => {
  it('renders each with its control, label, placeholder and help, and is accessible', async () => {
    const el = await form('richForm');
    // Arrays of enums: a labelled checkbox group.
    const shades = el.shadowRoot!.querySelectorAll<HTMLInputElement>(
      '[data-path="/shades"] input[type="checkbox"]',
    );
    expect([...shades].map((c) => c.labels![0]!.textContent.trim())).to.deep.equal(['Red', 'Green', 'Blue']);
    expect(shadow(el, '[data-path="/shades"] legend').textContent).to.contain('required');
    // Formats: email, url, date and time inputs.
    expect(control(el, '/contact').type).to.equal('email');
    expect(control(el, '/contact').placeholder).to.equal('name@example.org');
    expect(control(el, '/site').type).to.equal('url');
    expect(control(el, '/day').type).to.equal('date');
    expect(control(el, '/at').type).to.equal('time');
    // Widgets: a range showing its value, radios with the help of the widgets option, nothing for hidden.
    expect(control(el, '/level').type).to.equal('range');
    expect([control(el, '/level').min, control(el, '/level').max]).to.deep.equal(['0', '10']);
    expect(shadow(el, '[data-path="/level"] output').textContent).to.equal('5');
    const radios = el.shadowRoot!.querySelectorAll<HTMLInputElement>(
      '[data-path="/shade"] input[type="radio"]',
    );
    expect([...radios].map((r) => [r.labels![0]!.textContent.trim(), r.checked])).to.deep.equal([
      ['Red', false],
      ['Green', true],
      ['Blue', false],
    ]);
    expect(shadow(el, '[data-path="/shade"] [part~="help"]').textContent).to.equal('Pick one.');
    expect(el.shadowRoot!.querySelector('[data-path="/source"] input')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('sends what was entered: records, ticked options in order, rows as moved, formats', async () => {
    const el = await form('richForm');
    add(el, '/labels').click();
    await el.updateComplete;
    type(shadow(el, '#field-labels-0-key'), 'batch');
    type(shadow(el, '#field-labels-0-value'), 'B7');
    for (const i of [2, 0]) shadow<HTMLInputElement>(el, `#field-shades-${i}`).click();
    for (const id of ['S1', 'S2', 'S3']) {
      add(el, '/samples').click();
      await el.updateComplete;
      const row = el.shadowRoot!.querySelectorAll('[data-path="/samples"] [part~="row"]').length - 1;
      type(control(el, `/samples/${row}/id`), id);
    }
    type(control(el, '/samples/1/count'), '4');
    add(el, '/extra').click();
    await el.updateComplete;
    type(shadow(el, '#field-extra-0-key'), 'deep');
    type(shadow(el, '#field-extra-0-value'), '{"a": [1, null]}');
    type(control(el, '/contact'), 'ada@example.org');
    type(control(el, '/site'), 'https://example.org/x');
    type(control(el, '/day'), '2026-02-28');
    type(control(el, '/at'), '09:30');
    type(control(el, '/level'), '8');
    shadow<HTMLInputElement>(el, '#field-shade-2').click();
    // S3 up one, then S1 (now first) removed.
    button(el, 'Move Samples 3 up').click();
    await el.updateComplete;
    button(el, 'Remove Samples 1').click();
    await el.updateComplete;
    expect(await run(el)).to.deep.equal([
      { batch: 'B7' },
      [1, 3],
      [{ id: 'S3' }, { id: 'S2', count: 4 }],
      { deep: { a: [1, null] } },
      null,
      'ada@example.org',
      'https://example.org/x',
      '2026-02-28',
      `09:30:00${utcOffset(new Date())}`,
      8,
      3,
      'form',
    ]);
  });

  it('moves rows from the keyboard, keeping focus on the moved row', async () => {
    const el = await form('richForm');
    for (const id of ['A', 'B', 'C']) {
      add(el, '/samples').click();
      await el.updateComplete;
      const row = el.shadowRoot!.querySelectorAll('[data-path="/samples"] [part~="row"]').length - 1;
      type(control(el, `/samples/${row}/id`), id);
    }
    button(el, 'Move Samples 3 up').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(focused(el)?.getAttribute('aria-label')).to.equal('Move Samples 2 up');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    // At the top, "up" is disabled: focus goes to "down" of the same row.
    expect(focused(el)?.getAttribute('aria-label')).to.equal('Move Samples 1 down');
    expect(button(el, 'Move Samples 1 up').disabled).to.equal(true);
    const ids = [0, 1, 2].map((i) => control(el, `/samples/${i}/id`).value);
    expect(ids).to.deep.equal(['C', 'A', 'B']);
  });

  it('refuses before sending what the server would refuse, at the field', async () => {
    const el = await form('richForm');
    add(el, '/labels').click();
    await el.updateComplete;
    type(shadow(el, '#field-labels-0-value'), 'no key');
    add(el, '/extra').click();
    await el.updateComplete;
    type(shadow(el, '#field-extra-0-key'), 'k');
    type(shadow(el, '#field-extra-0-value'), '{not json');
    add(el, '/samples').click();
    await el.updateComplete;
    type(control(el, '/contact'), 'not an address');
    let created = false;
    el.addEventListener('turtle-created', () => (created = true));
    await el.submit();
    await el.updateComplete;
    const error = (path: string) =>
      el.shadowRoot!.querySelector(`[data-path="${path}"] > [part~="field-error"]`)?.textContent?.trim();
    expect(created).to.equal(false);
    expect(error('/labels')).to.equal('Row 1: enter a key.');
    expect(error('/extra')).to.equal('k: Enter valid JSON.');
    expect(error('/shades')).to.equal('Choose at least one.');
    expect(error('/samples/0/id')).to.equal('This field is required.');
    expect(error('/contact')).to.equal('Enter an email address.');
  });

  it("gives a Text parameter a one-line box through the widgets option (django-turtle-shell's test_custom_widgets)", async () => {
    const el = await form('custom_widgets');
    const box = control(el, '/str_large_text_field');
    expect([box.localName, box.type, box.placeholder]).to.deep.equal(['input', 'text', 'A long line']);
    expect(shadow(el, '[data-path="/str_large_text_field"] [part~="help"]').textContent).to.equal('some doc');
    expect(await run(el)).to.equal('');
  });
});
