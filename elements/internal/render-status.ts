import { html, nothing, type TemplateResult } from 'lit';
import type { Execution } from '../../api/index.js';

/** A status badge (part `status`), its text the status itself. */
export function renderStatus(status: string): TemplateResult {
  return html`<span part="status" class="status status-${status}" data-status=${status}>${status}</span>`;
}

/** The progress bar and message of a running execution (part `progress`); nothing when it has none. */
export function renderProgress(
  execution: Pick<Execution, 'progress' | 'status'>,
): TemplateResult | typeof nothing {
  const { progress } = execution;
  if (!progress || execution.status === 'done') return nothing;
  const percent = Math.round(Math.min(1, Math.max(0, progress.fraction)) * 100);
  return html`<div class="progress" part="progress">
    <progress max="100" .value=${percent} aria-label="Progress">${percent}%</progress>
    <span class="progress-text">${percent}%${progress.message ? html` — ${progress.message}` : nothing}</span>
  </div>`;
}
