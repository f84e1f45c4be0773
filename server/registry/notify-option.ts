/**
 * The `notify` option of `registry.add`: one receiver or a list, each `{ url, on }`, checked when the
 * function is registered so that a typo fails at start-up rather than at the first finished run.
 */
import { RegistryError } from '../errors.js';
import type { NotifyEvent, NotifyOptions } from './function-options.js';

/** A checked receiver: an http(s) URL and the ends it hears of. */
export interface NotifyTarget {
  url: string;
  on: readonly NotifyEvent[];
}

/** The ends sent when `on` is not given (also those of `TURTLE_WEBHOOK_URLS`). */
export const DEFAULT_NOTIFY_ON: readonly NotifyEvent[] = ['done', 'errored'];

const EVENTS: readonly string[] = ['done', 'errored', 'cancelled'];

/**
 * The receivers of `notify` (none when undefined).
 * @throws RegistryError naming `name` when a URL is not http(s) or `on` lists anything else than done/errored/cancelled
 */
export function notifyTargets(
  name: string,
  notify: NotifyOptions | readonly NotifyOptions[] | undefined,
): NotifyTarget[] {
  if (notify === undefined) return [];
  const list: readonly unknown[] = Array.isArray(notify) ? notify : [notify];
  return list.map((entry) => {
    const { url, on = DEFAULT_NOTIFY_ON } = (entry ?? {}) as Partial<NotifyOptions>;
    if (typeof url !== 'string' || !isHttpUrl(url))
      throw new RegistryError(`${name}: option notify needs an http(s) url`, {
        name,
        option: 'notify',
        value: url,
      });
    if (!Array.isArray(on) || on.length === 0 || on.some((e) => !EVENTS.includes(e as string)))
      throw new RegistryError(`${name}: option notify.on must list done, errored and/or cancelled`, {
        name,
        option: 'notify.on',
        value: on,
      });
    return { url, on: [...new Set(on as NotifyEvent[])] };
  });
}

/** Whether `value` is an absolute `http:` or `https:` URL. */
export function isHttpUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url?.protocol === 'http:' || url?.protocol === 'https:';
}
