/**
 * Timestamps as a person reads them: in the user's locale, with the exact ISO time on hover. One
 * place for the run's own times (`<turtle-execution>`, the history of `<turtle-executions>`) and for
 * `date-time` values in outputs.
 */
import { html, type TemplateResult } from 'lit';

/** A timestamp laid out for display: `text` in the user's locale, `iso` exactly as sent. */
export interface ShownDate {
  text: string;
  iso: string;
}

// As `Date#toLocaleString()` writes them, the form people know from the rest of the page.
const DAY = { year: 'numeric', month: 'numeric', day: 'numeric' } as const;
const TIME = { hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;

// One formatter each: building an `Intl.DateTimeFormat` costs more than formatting with it.
let dateTimeFormat: Intl.DateTimeFormat | undefined;
let dateFormat: Intl.DateTimeFormat | undefined;

/**
 * `iso` in the user's locale, or undefined when it is no date. A `date` (`2026-12-04`, no time) is
 * shown as that day, not shifted by the user's time zone.
 *
 * @example
 * localDate('2026-12-04T19:10:08Z') // → { text: '12/4/2026, 8:10:08 PM', iso: '2026-12-04T19:10:08Z' } in en-US, Berlin
 */
export function localDate(iso: string): ShownDate | undefined {
  const time = timeOf(iso);
  if (Number.isNaN(time)) return undefined;
  const format = isDay(iso)
    ? (dateFormat ??= new Intl.DateTimeFormat(undefined, { ...DAY, timeZone: 'UTC' }))
    : (dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { ...DAY, ...TIME }));
  return { text: format.format(time), iso };
}

/**
 * The time `iso` stands for in ms since the epoch (a day: its start in UTC); `NaN` when it is no
 * ISO 8601 date (`Date.parse` alone would take `"12"` for December 2001).
 */
export function timeOf(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]|$)/.test(iso)) return Number.NaN;
  return Date.parse(isDay(iso) ? `${iso}T00:00:00Z` : iso);
}

function isDay(iso: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso);
}

/** A timestamp as text in the user's locale; `—` when missing, the value itself when it is no date. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return localDate(iso)?.text ?? iso;
}

/** A timestamp as `<time datetime title>` in the user's locale, the exact time on hover; `—` when missing. */
export function renderTime(iso: string | null | undefined): TemplateResult {
  const shown = iso ? localDate(iso) : undefined;
  if (!shown) return html`${iso || '—'}`;
  return html`<time datetime=${shown.iso} title=${shown.iso}>${shown.text}</time>`;
}
