import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../../elements/index.js';
import type { Execution, TurtleExecutions } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow, shadowWait } from '../support/api.js';

describe('<turtle-executions> at 390 px', () => {
  it('shows each execution as a card with its actions in view, without scrolling sideways', async () => {
    const running = await api<Execution>('POST', '/api/functions/waitForCancel/executions', {});
    await setViewport({ width: 390, height: 844 });
    try {
      const el = await fixture<TurtleExecutions>(
        html`<turtle-executions api-base=${await apiUrl()} function="waitForCancel"></turtle-executions>`,
      );
      const cancel = await shadowWait<HTMLButtonElement>(
        el,
        `tr[data-id="${running.id}"] [part~="cancel"]`,
        'running execution not listed with its cancel button',
      );
      const scroller = shadow(el, '.table-scroll');
      expect(scroller.scrollWidth).to.be.at.most(scroller.clientWidth);
      expect(document.documentElement.scrollWidth).to.be.at.most(390);
      for (const button of [shadow(el, `tr[data-id="${running.id}"] button`), cancel]) {
        const box = button.getBoundingClientRect();
        expect(box.left).to.be.at.least(0);
        expect(box.right).to.be.at.most(390);
      }
      // Each line says what it is, as the hidden header would.
      const status = shadow(el, `tr[data-id="${running.id}"] td[data-label="Status"]`);
      expect(getComputedStyle(status, '::before').content).to.equal('"Status"');
      await expect(el).to.be.accessible();

      // The chosen execution's detail fits too.
      shadow<HTMLButtonElement>(el, `tr[data-id="${running.id}"] button`).click();
      const detail = await shadowWait(el, 'turtle-execution');
      await shadowWait(detail, '[part~="execution"]');
      expect(document.documentElement.scrollWidth).to.be.at.most(390);

      cancel.click();
      await waitUntil(
        () => el.shadowRoot!.querySelector(`tr[data-id="${running.id}"][data-status="cancelled"]`),
        'not cancelled',
      );
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
