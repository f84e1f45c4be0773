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
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const time = Date.parse(dateOnly ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(time)) return undefined;
  const format = dateOnly
    ? (dateFormat ??= new Intl.DateTimeFormat(undefined, { ...DAY, timeZone: 'UTC' }))
    : (dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { ...DAY, ...TIME }));
  return { text: format.format(time), iso };
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
