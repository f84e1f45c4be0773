/**
 * What the React and Vue host pages do with the elements' events, in TypeScript so that
 * `npm run typecheck` proves a host's handlers see each `turtle-*` event's typed `detail` (the pages
 * themselves are `.jsx` and `.vue`, which tsc does not read).
 */
import type { TurtleEventMap } from 'turtle-shell/elements';

/** The events the host pages listen to. */
export type HostEventName = 'turtle-created' | 'turtle-finish' | 'turtle-error' | 'turtle-select';

/** One line of a host page's event log: the event's name, its element, and what the host made of its `detail`. */
export interface LoggedEvent {
  type: HostEventName;
  /** The tag of the element that dispatched it (`turtle-form`, `turtle-executions`). */
  source: string;
  text: string;
}

/** Each event's line, read from its typed `detail` (no casts: a wrong field fails the typecheck). */
export const describeEvent: { [K in HostEventName]: (event: TurtleEventMap[K]) => string } = {
  'turtle-created': ({ detail }) => `${detail.execution.functionName} ${detail.execution.id}`,
  'turtle-finish': ({ detail }) => `${detail.execution.status} ${JSON.stringify(detail.execution.output)}`,
  'turtle-error': ({ detail }) => `${detail.error.type} ${detail.error.status}`,
  'turtle-select': ({ detail }) => detail.id,
};

/** The log line of `event`. */
export function logLine<K extends HostEventName>(type: K, event: TurtleEventMap[K]): LoggedEvent {
  return { type, source: (event.target as Element).localName, text: describeEvent[type](event) };
}

/** The inputs the host fills `<turtle-form fn="add">` with at first, as the `values` property. */
export const HOST_VALUES: Record<string, unknown> = { a: 2, b: 3 };

/** The inputs of the host's "Preset" button, which sets `values` again on the loaded form. */
export const PRESET_VALUES: Record<string, unknown> = { a: 10, b: 20 };

/** The bearer token the host starts with (the page's `?token=`); its sign-in form sets another. */
export function hostToken(): string {
  return new URLSearchParams(location.search).get('token') ?? '';
}

/** The token typed into the host's sign-in form (`<input name="token">`). */
export function signedInToken(form: HTMLFormElement): string {
  const input = form.elements.namedItem('token');
  return input instanceof HTMLInputElement ? input.value : '';
}

// The details are typed, not `any`: reading a field they lack is a compile error.
// @ts-expect-error an execution has no `outputs`
export const notAField = (event: TurtleEventMap['turtle-finish']): unknown => event.detail.execution.outputs;
