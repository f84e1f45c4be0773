import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../elements/index.js';
import type { Schedule, TurtleExecutions, TurtleSchedules } from '../../../elements/index.js';
import { describe, it } from '../support/mocha.js';
import { api, apiUrl, shadow } from '../support/api.js';

const row = (el: Element, id: string) =>
  el.shadowRoot!.querySelector<HTMLTableRowElement>(`tr[data-id="${id}"]`);

describe('<turtle-schedules>', () => {
  it('lists schedules with cron, time zone, next run and state, and pauses and resumes them', async () => {
    const nightly = await api<Schedule>('POST', '/api/schedules', {
      function: 'checkCode',
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      input: { code: 'OK' },
    });
    const el = await fixture<TurtleSchedules>(
      html`<turtle-schedules api-base=${await apiUrl()} function="checkCode"></turtle-schedules>`,
    );
    await waitUntil(() => row(el, nightly.id), 'schedule not listed');
    const cells = () => [...row(el, nightly.id)!.cells].map((c) => (c.textContent ?? '').trim());
    expect(cells().slice(0, 3)).to.deep.equal(['checkCode', '0 3 * * *', 'Europe/Berlin']);
    expect(cells()[3]).to.equal(new Date(nightly.nextRunAt!).toLocaleString());
    expect(cells()[4]).to.equal('active');
    await expect(el).to.be.accessible();

    const paused = oneEvent(el, 'turtle-schedule-change');
    shadow<HTMLButtonElement>(el, `tr[data-id="${nightly.id}"] [part~="pause"]`).click();
    expect((await paused).detail.schedule.paused).to.equal(true);
    await waitUntil(() => row(el, nightly.id)!.dataset['paused'] === 'true', 'not shown paused');
    expect(cells().slice(3, 5)).to.deep.equal(['—', 'paused']);
    expect((await api<Schedule>('GET', `/api/schedules/${nightly.id}`)).paused).to.equal(true);

    shadow<HTMLButtonElement>(el, `tr[data-id="${nightly.id}"] [part~="resume"]`).click();
    await waitUntil(() => row(el, nightly.id)!.dataset['paused'] === 'false', 'not shown resumed');
    expect(cells()[4]).to.equal('active');
  });

  it('shows a failed change (paused elsewhere meanwhile) and the schedule as it is', async () => {
    const s = await api<Schedule>('POST', '/api/schedules', {
      function: 'checkCode',
      cron: '*/5 * * * *',
      input: { code: 'OK' },
    });
    const el = await fixture<TurtleSchedules>(
      html`<turtle-schedules api-base=${await apiUrl()}></turtle-schedules>`,
    );
    await waitUntil(() => row(el, s.id), 'schedule not listed');
    await api('POST', `/api/schedules/${s.id}/pause`, {});
    const failed = oneEvent(el, 'turtle-error');
    shadow<HTMLButtonElement>(el, `tr[data-id="${s.id}"] [part~="pause"]`).click();
    expect((await failed).detail.error.type).to.equal('IllegalScheduleChange');
    await waitUntil(() => row(el, s.id)!.dataset['paused'] === 'true', 'not reloaded as paused');
    expect(shadow(el, '[role="alert"]').textContent).to.match(/paused already/);
  });

  it('<turtle-executions schedule> lists only the executions that schedule fired', async () => {
    const el = await fixture<TurtleExecutions>(
      html`<turtle-executions api-base=${await apiUrl()} schedule="seeded-schedule"></turtle-executions>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelector('tr[part~="row"]'), 'fired execution not listed');
    const rows = [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tr[part~="row"]')];
    expect(rows.map((r) => r.cells[4]!.textContent)).to.deep.equal(['schedule:seeded-schedule']);
  });
});
