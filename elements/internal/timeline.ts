/**
 * An execution's events as the lines of its timeline: status changes with the time spent in the
 * status they leave, retries and takeovers marked, and each run of progress and checkpoint events
 * folded into one line that names the latest (the events stay listed inside it), so a run that
 * reported 30 steps reads as a few lines. Pure.
 */
import type { ExecutionEvent } from '../../api/index.js';
import { formatTime } from './format-date.js';

/** One line of the timeline. */
export interface TimelineLine {
  text: string;
  /** A retry, a takeover or a failed cancel hook: worth a second look. */
  notable: boolean;
  /** The progress and checkpoint events this line folds, as lines, oldest first; empty when it folds none. */
  folded: string[];
}

/** Kinds that only report on a running function: consecutive ones are folded into one line. */
const REPORTS = new Set<string>(['progress', 'checkpoint']);
const NOTABLE = new Set<string>(['retry', 'takeover', 'cancel-hook-failed']);

/**
 * The lines of `events` (oldest first).
 * @example timelineLines([created, started, progress×14, done]) // → 3 lines, the third folding 14
 */
export function timelineLines(events: readonly ExecutionEvent[]): TimelineLine[] {
  const lines: TimelineLine[] = [];
  let enteredAt: string | undefined;
  let reports: ExecutionEvent[] = [];
  const fold = () => {
    if (reports.length === 0) return;
    const latest = describeEvent(reports[reports.length - 1]!);
    lines.push({
      text: reports.length === 1 ? latest : `${latest} (latest of ${reports.length} updates)`,
      notable: false,
      folded: reports.length === 1 ? [] : reports.map(describeEvent),
    });
    reports = [];
  };
  for (const event of events) {
    if (REPORTS.has(event.kind)) {
      reports.push(event);
      continue;
    }
    fold();
    let text = describeEvent(event);
    if (event.kind === 'status') {
      if (event.from && enteredAt !== undefined)
        text += ` (${formatDuration(Date.parse(event.at) - Date.parse(enteredAt))} ${event.from})`;
      enteredAt = event.at;
    }
    lines.push({ text, notable: NOTABLE.has(event.kind), folded: [] });
  }
  fold();
  return lines;
}

/** One event as a line of text. */
export function describeEvent(event: ExecutionEvent): string {
  const when = formatTime(event.at);
  if (event.kind === 'status') {
    const resumedFrom = (event.data as { resumedFrom?: unknown } | undefined)?.resumedFrom;
    const resumed = typeof resumedFrom === 'string' ? ` (resuming ${resumedFrom} from its checkpoint)` : '';
    return `${when} — ${event.from ? `${event.from} → ` : ''}${event.to ?? ''}${resumed}`;
  }
  if (event.kind === 'progress' && typeof event.data === 'object' && event.data !== null) {
    const { fraction, message } = event.data as { fraction?: number; message?: string };
    return `${when} — progress ${Math.round((fraction ?? 0) * 100)}%${message ? `: ${message}` : ''}`;
  }
  return `${when} — ${event.kind}`;
}

/** A span of time as a person reads it: `350 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
