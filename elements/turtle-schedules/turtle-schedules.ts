import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { Schedule } from '../../api/index.js';
import { TurtleApiError } from '../internal/api-error.js';
import { defineElement } from '../internal/define-element.js';
import { renderTime } from '../internal/format-date.js';
import { TurtleElement } from '../internal/turtle-element.js';
import { renderLoadError } from '../internal/render-load-error.js';
import { turtleSchedulesStyles } from './turtle-schedules.styles.js';

/**
 * @tagname turtle-schedules
 * @summary The schedules (functions run at fixed times with fixed inputs): function, cron, time zone,
 * next run time and whether each is paused, with pause and resume buttons.
 *
 * @example
 * <turtle-schedules function="sendReport"></turtle-schedules>
 * <turtle-executions schedule="sendReport.1"></turtle-executions>
 *
 * @event turtle-schedule-change - A schedule was paused or resumed; `detail.schedule` (as it is now).
 * @event turtle-error - An API call failed; `detail.error` is a `TurtleApiError`.
 *
 * @csspart table - The table of schedules.
 * @csspart row - One schedule's row.
 * @csspart state - The "active"/"paused" badge.
 * @csspart pause - A pause button.
 * @csspart resume - A resume button.
 * @csspart refresh - The refresh button.
 *
 * @cssproperty --turtle-font-family - Default: `system-ui, sans-serif`.
 * @cssproperty --turtle-font-size - Default: `1rem`.
 * @cssproperty --turtle-color - Text colour. Default: `#1f2328` (light), `#f0f6fc` (dark).
 * @cssproperty --turtle-muted-color - A paused schedule's badge. Default: `#59636e` (light), `#9198a1` (dark).
 * @cssproperty --turtle-muted-background - Header. Default: `#f6f8fa` (light), `#151b23` (dark).
 * @cssproperty --turtle-border-color - Default: `#d1d9e0` (light), `#3d444d` (dark).
 * @cssproperty --turtle-success-color - An active schedule's badge. Default: `#1a7f37` (light), `#3fb950` (dark).
 * @cssproperty --turtle-error-color - Default: `#b3261e` (light), `#f85149` (dark).
 * @cssproperty --turtle-radius - Corner radius. Default: `4px`.
 * @cssproperty --turtle-spacing - Default: `0.75rem`.
 * @cssproperty --turtle-focus-ring - The outline of a focused control. Default: `2px solid` the accent colour.
 */
export class TurtleSchedules extends TurtleElement {
  static override styles = turtleSchedulesStyles;

  /** Show only the schedules of this function. Default: all. */
  @property({ attribute: 'function', reflect: true }) functionName = '';

  /** The schedules shown, patched by pause and resume. */
  @state() private items: Schedule[] = [];
  @state() private actionError = '';
  /** Ids of schedules with a pause or resume under way (their button is disabled meanwhile). */
  @state() private busy: ReadonlySet<string> = new Set();

  private readonly listTask = new Task(this, {
    task: async ([functionName], { signal }) => {
      const all = await this.api.listSchedules(signal);
      this.items = functionName ? all.filter((s) => s.functionName === functionName) : all;
      return this.items;
    },
    args: () => [this.functionName, this.apiBase, this.token] as const,
  });

  /** Reloads the schedules (next run times move on as they fire). */
  refresh(): Promise<unknown> {
    this.actionError = '';
    return this.listTask.run();
  }

  protected override render(): TemplateResult {
    return html`
      ${this.listTask.render({
        initial: () => nothing,
        pending: () =>
          this.items.length ? this.renderTable() : html`<p class="muted" role="status">Loading…</p>`,
        error: (error) => renderLoadError(error),
        complete: () => this.renderTable(),
      })}
      ${this.actionError ? html`<p class="error-text" role="alert">${this.actionError}</p>` : nothing}
    `;
  }

  private renderTable(): TemplateResult {
    if (this.items.length === 0) return html`<p class="muted" role="status">No schedules.</p>`;
    return html`<div class="table-scroll">
        <table part="table" aria-label="Schedules">
          <thead>
            <tr>
              <th scope="col">Function</th>
              <th scope="col">Cron</th>
              <th scope="col">Time zone</th>
              <th scope="col">Next run</th>
              <th scope="col">State</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.items.map((schedule) => this.renderRow(schedule))}
          </tbody>
        </table>
      </div>
      <button type="button" part="refresh" class="refresh" @click=${() => void this.refresh()}>
        Refresh
      </button>`;
  }

  private renderRow(schedule: Schedule): TemplateResult {
    const change = schedule.paused ? 'resume' : 'pause';
    const label = `${change === 'pause' ? 'Pause' : 'Resume'} ${schedule.functionName} ${schedule.cron}`;
    return html`<tr part="row" data-id=${schedule.id} data-paused=${String(schedule.paused)}>
      <td>${schedule.functionName}</td>
      <td><code>${schedule.cron}</code></td>
      <td>${schedule.timezone}</td>
      <td>${schedule.paused ? '—' : renderTime(schedule.nextRunAt)}</td>
      <td>
        <span part="state" class="state state-${schedule.paused ? 'paused' : 'active'}"
          >${schedule.paused ? 'paused' : 'active'}</span
        >
      </td>
      <td class="actions">
        <button
          type="button"
          part=${change}
          aria-label=${label}
          ?disabled=${this.busy.has(schedule.id)}
          @click=${() => void this.change(schedule.id, change)}
        >
          ${change === 'pause' ? 'Pause' : 'Resume'}
        </button>
      </td>
    </tr>`;
  }

  private async change(id: string, change: 'pause' | 'resume'): Promise<void> {
    this.busy = new Set([...this.busy, id]);
    try {
      const schedule = await this.api.changeSchedule(id, change);
      this.items = this.items.map((s) => (s.id === id ? schedule : s));
      this.actionError = '';
      this.emit('turtle-schedule-change', { schedule });
    } catch (error) {
      const apiError = TurtleApiError.from(error);
      this.actionError = apiError.message;
      this.emit('turtle-error', { error: apiError });
      // Changed elsewhere meanwhile (409): show it as it is, with the error.
      if (apiError.status === 409) void this.listTask.run();
    } finally {
      this.busy = new Set([...this.busy].filter((b) => b !== id));
    }
  }
}

defineElement('turtle-schedules', TurtleSchedules);

/** The detail of `turtle-schedule-change`. */
export interface TurtleScheduleChangeDetail {
  /** The schedule as it is now. */
  schedule: Schedule;
}

declare global {
  interface HTMLElementTagNameMap {
    'turtle-schedules': TurtleSchedules;
  }
  interface HTMLElementEventMap {
    'turtle-schedule-change': CustomEvent<TurtleScheduleChangeDetail>;
  }
}
