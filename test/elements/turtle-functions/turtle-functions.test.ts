import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../elements/index.js';
import type { Execution, TurtleExecutions, TurtleForm, TurtleFunctions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait, type } from '../support/api.js';

const button = (el: TurtleFunctions, name: string) =>
  shadow<HTMLButtonElement>(el, `[part~="function"][data-name="${name}"]`);
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<turtle-functions>', () => {
  it('lists every registered function with its title, description and mode', async () => {
    const el = await fixture<TurtleFunctions>(
      html`<turtle-functions api-base=${await apiUrl()}></turtle-functions>`,
    );
    await shadowWait(el, '[part~="function"]', 'no functions listed');
    const listed = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="function"]')].map(
      (b) => b.dataset['name'],
    );
    const { items } = await api<{ items: { name: string }[] }>('GET', '/api/functions');
    expect(listed).to.deep.equal(items.map((f) => f.name));

    const countUp = button(el, 'countUp');
    expect(text(countUp.querySelector('.title'))).to.equal('Count up');
    expect(text(countUp.querySelector('.name'))).to.equal('countUp');
    expect(text(countUp.querySelector('[part~="mode"]'))).to.equal('background');
    const checkCode = button(el, 'checkCode');
    expect(text(checkCode.querySelector('.title'))).to.equal('checkCode');
    expect(text(checkCode.querySelector('.description'))).to.match(/^Refuses every code but `?OK`?/);
    expect(text(button(el, 'resendReport').querySelector('[part~="mode"]'))).to.equal('in the request');
    expect(countUp.getAttribute('aria-pressed')).to.equal('false');
    expect(el.shadowRoot!.querySelector('[part~="chosen"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows the chosen function’s form and history, chosen with the keyboard', async () => {
    const el = await fixture<TurtleFunctions>(
      html`<turtle-functions api-base=${await apiUrl()}></turtle-functions>`,
    );
    await shadowWait(el, '[part~="function"]', 'no functions listed');
    button(el, 'checkCode').focus();
    const chosen = oneEvent(el, 'turtle-function-select');
    await sendKeys({ press: 'Enter' });
    expect((await chosen).detail.name).to.equal('checkCode');
    await el.updateComplete;
    expect(el.selected).to.equal('checkCode');
    expect(button(el, 'checkCode').getAttribute('aria-pressed')).to.equal('true');
    const section = shadow(el, '[part~="chosen"]');
    expect(el.shadowRoot!.activeElement?.id).to.equal('chosen-heading');
    expect(text(section.querySelector('h2'))).to.equal('checkCode');

    const form = shadow<TurtleForm>(el, 'turtle-form[part~="form"]');
    const history = shadow<TurtleExecutions>(el, 'turtle-executions[part~="history"]');
    expect(form.fn).to.equal('checkCode');
    expect(history.functionName).to.equal('checkCode');
    expect(history.apiBase).to.equal(await apiUrl());

    // A run started in the form appears in the history below it.
    await shadowWait(form, '[data-path="/code"] [part~="control"]');
    type(shadow<HTMLInputElement>(form, '[data-path="/code"] [part~="control"]'), 'OK');
    const created = oneEvent(form, 'turtle-created');
    await form.submit();
    const execution = (await created).detail.execution as Execution;
    await waitUntil(
      () => history.shadowRoot!.querySelector(`tr[data-id="${execution.id}"]`),
      'new run not in the history',
    );
    await expect(el).to.be.accessible();

    // Choosing it again clears the choice.
    button(el, 'checkCode').click();
    await el.updateComplete;
    expect(el.selected).to.equal('');
    expect(el.shadowRoot!.querySelector('[part~="chosen"]')).to.equal(null);
  });

  it('opens the function named by `selected`', async () => {
    const el = await fixture<TurtleFunctions>(
      html`<turtle-functions api-base=${await apiUrl()} selected="countUp"></turtle-functions>`,
    );
    const form = await shadowWait<TurtleForm>(el, 'turtle-form[part~="form"]');
    expect(form.fn).to.equal('countUp');
    expect(text(shadow(el, '[part~="chosen"] h2'))).to.equal('Count up');
  });

  it('says when the functions cannot be loaded', async () => {
    const el = document.createElement('turtle-functions');
    el.apiBase = 'http://127.0.0.1:9';
    const failed = oneEvent(el, 'turtle-error');
    await fixture(el);
    expect((await failed).detail.error.type).to.equal('NetworkError');
    const alert = await shadowWait(el, '[role="alert"]');
    expect(alert.textContent).to.match(/Could not reach the server/);
  });
});
