/**
 * `<turtle-form>` prefilled: `values` (property and JSON attribute) and `from-execution`; values that
 * do not fit are left out with a notice, masked secrets stay empty, and enum outputs show labels.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Execution, TurtleForm } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait, type } from '../support/api.js';

const control = <E extends HTMLElement = HTMLInputElement>(el: TurtleForm, path: string) =>
  shadow<E>(el, `[data-path="${path}"] [part~="control"]`);
const chosen = (el: TurtleForm, path: string) =>
  control<HTMLSelectElement>(el, path).selectedOptions[0]?.text ?? '';
const prefill = (el: TurtleForm) =>
  [...el.shadowRoot!.querySelectorAll('[part~="prefill"] li')].map((li) => li.textContent.trim());

async function rendered(el: TurtleForm): Promise<TurtleForm> {
  await shadowWait(el, 'form', 'the form never rendered');
  return el;
}

describe('<turtle-form> prefill', () => {
  it('takes values as a property, submits them untouched, and shows the enum output by its label', async () => {
    const el = await rendered(
      await fixture<TurtleForm>(
        html`<turtle-form
          fn="paint"
          api-base=${await apiUrl()}
          .values=${{ colour: 3, coats: 2, note: 'hi' }}
        ></turtle-form>`,
      ),
    );
    expect([chosen(el, '/colour'), control(el, '/coats').value, control(el, '/note').value]).to.deep.equal([
      'Blue',
      '2',
      'hi',
    ]);
    expect(prefill(el)).to.deep.equal([]);
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(el, '[part~="submit"]').click();
    const execution = (await created).detail.execution;
    expect(execution.input).to.deep.equal({ colour: 3, coats: 2, note: 'hi' });
    expect((execution.output as { colour: number }).colour).to.equal(3, 'the value is stored');
    await shadowWait(el, '[part~="output"] dl');
    const output = shadow(el, '[part~="output"]').textContent;
    expect(output).to.contain('Blue');
    expect(output).to.match(/Red\s*Blue/, 'an array of enums shows labels too');

    // New values fill the loaded form again.
    el.values = { colour: 1 };
    await waitUntil(() => chosen(el, '/colour') === 'Red', 'new values not applied');
    expect(control(el, '/coats').value).to.equal('1', 'back to the default');
    await expect(el).to.be.accessible();
  });

  it('takes values as a JSON attribute, and says so, without breaking, when it is not JSON', async () => {
    const base = await apiUrl();
    const good = await rendered(
      await fixture<TurtleForm>(
        html`<turtle-form fn="paint" api-base=${base} values='{"coats": 4, "colour": 2}'></turtle-form>`,
      ),
    );
    expect([chosen(good, '/colour'), control(good, '/coats').value]).to.deep.equal(['Green', '4']);
    const bad = await rendered(
      await fixture<TurtleForm>(html`<turtle-form fn="paint" api-base=${base} values="{oops"></turtle-form>`),
    );
    expect(shadow(bad, '[role="alert"]').textContent).to.contain('The values attribute was ignored');
    expect(control(bad, '/coats').value).to.equal('1');
    const notObject = await rendered(
      await fixture<TurtleForm>(html`<turtle-form fn="paint" api-base=${base} values="[1]"></turtle-form>`),
    );
    expect(shadow(notObject, '[role="alert"]').textContent).to.contain('not a JSON object');
    // Fixed later, it applies.
    bad.setAttribute('values', '{"coats": 7}');
    await waitUntil(() => control(bad, '/coats').value === '7', 'fixed attribute not applied');
    expect(bad.shadowRoot!.querySelector('[role="alert"]')).to.equal(null);
  });

  it('leaves out values that do not fit the schema, with a notice each, and still works', async () => {
    const el = await rendered(
      await fixture<TurtleForm>(
        html`<turtle-form
          fn="paint"
          api-base=${await apiUrl()}
          .values=${{ colour: 9, coats: 'many', flavour: 'x', note: 'kept' }}
        ></turtle-form>`,
      ),
    );
    expect(prefill(el)).to.deep.equal([
      'Colour: the value 9 does not fit this field, so it was left out.',
      'Coats: the value "many" does not fit this field, so it was left out.',
      'flavour: this form has no such field, so the value was left out.',
    ]);
    expect([chosen(el, '/colour'), control(el, '/coats').value, control(el, '/note').value]).to.deep.equal([
      'Choose…',
      '1',
      'kept',
    ]);
    type(control<HTMLSelectElement>(el, '/colour'), '0');
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(el, '[part~="submit"]').click();
    expect((await created).detail.execution.input).to.deep.equal({ colour: 1, coats: 1, note: 'kept' });
  });

  it("fills in an execution's inputs (from-execution), leaving its secret empty with a notice, to run again", async () => {
    const original = await api<Execution>('POST', '/api/functions/paint/executions', {
      colour: 2,
      coats: 3,
      token: 'sup3r-secret',
      note: 'first',
    });
    const el = await rendered(
      await fixture<TurtleForm>(
        html`<turtle-form from-execution=${original.id} api-base=${await apiUrl()}></turtle-form>`,
      ),
    );
    expect(shadow(el, 'h2').textContent).to.equal('paint', 'the function comes from the execution');
    expect([chosen(el, '/colour'), control(el, '/coats').value, control(el, '/note').value]).to.deep.equal([
      'Green',
      '3',
      'first',
    ]);
    expect(control(el, '/token').value).to.equal('');
    expect(shadow(el, '[part~="prefill"]').textContent).to.contain(`from execution ${original.id}`);
    expect(prefill(el)).to.deep.equal(['Token is a secret: it was not copied. Enter it again.']);
    expect(el.shadowRoot!.textContent).to.not.contain('••••');

    type(control(el, '/coats'), '5');
    type(control(el, '/token'), 'again');
    const created = oneEvent(el, 'turtle-created');
    shadow<HTMLButtonElement>(el, '[part~="submit"]').click();
    const rerun = (await created).detail.execution;
    expect(rerun.input).to.deep.equal({ colour: 2, coats: 5, token: '••••', note: 'first' });
    expect((rerun.output as { tokenGiven: boolean }).tokenGiven).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('says so when from-execution is a run of another function', async () => {
    const other = await api<Execution>('POST', '/api/functions/fail/executions', { message: 'x' });
    const el = await fixture<TurtleForm>(
      html`<turtle-form fn="paint" from-execution=${other.id} api-base=${await apiUrl()}></turtle-form>`,
    );
    const error = await shadowWait(el, '[part~="form-errors"]');
    expect(error.textContent).to.contain(`is a run of fail, not of paint`);
  });
});
