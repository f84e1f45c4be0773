/**
 * Links to one run: a template with `{id}` (such as `#run={id}`, `?run={id}` or `/runs/{id}`),
 * resolved against the page's URL. A path template starts at the root (`/runs/{id}`): a relative one
 * would resolve differently on the run's own URL.
 */

/** The link form used when none is given: the page's own URL with `#run=<id>`. */
export const DEFAULT_RUN_LINK = '#run={id}';

/** Stands for the id while a template is matched against a URL (plain letters: URLs keep them as they are). */
const MARK = 'TURTLERUNID';

/** The absolute URL of run `id` by `template`, relative to `base` (default: the page's URL). */
export function runHref(template: string, id: string, base: string = location.href): string {
  return new URL(template.replaceAll('{id}', encodeURIComponent(id)), base).href;
}

/** The run id `href` links to by `template`, or `''` when it is not a link of that form. */
export function runIdOf(template: string, href: string): string {
  const pattern = new URL(template.replaceAll('{id}', MARK), href);
  // A template without a fragment leaves the page's fragment out of the match (it may hold anything).
  const withHash = pattern.hash !== '';
  const target = new URL(href);
  if (!withHash) {
    pattern.hash = '';
    target.hash = '';
  }
  const [before, ...rest] = pattern.href.split(MARK);
  if (before === undefined || rest.length !== 1) return '';
  const match = new RegExp(`^${escape(before)}([^/?#&]+)${escape(rest[0]!)}$`).exec(target.href);
  if (!match) return '';
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return '';
  }
}

/** The URL of the page without a run: `href` with the run's part of `template` taken out. */
export function withoutRun(template: string, href: string): string {
  const url = new URL(href);
  if (!runIdOf(template, href)) return url.href;
  const pattern = new URL(template.replaceAll('{id}', MARK), href);
  if (pattern.hash) url.hash = '';
  else if (pattern.search) url.search = '';
  return url.href;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
