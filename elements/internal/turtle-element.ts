import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiClient } from './api-client.js';

/**
 * Where this module was loaded from: a legacy page loads `<script src="https://server/turtle/elements.js">`,
 * so the server that serves the script is the one that answers the API.
 */
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

/** The origin the elements talk to when `api-base` is not set: the script's own origin. */
export function defaultApiBase(): string {
  return SCRIPT_ORIGIN.startsWith('http') ? SCRIPT_ORIGIN : (globalThis.location?.origin ?? '');
}

/**
 * Every `turtle-*` event the elements dispatch, by name, with its typed `detail` (each element adds
 * its events to `HTMLElementEventMap`, so `addEventListener('turtle-created', …)` is typed already):
 * for a framework's own typings, e.g. of a React 19 `onturtle-created` prop or a Vue `@turtle-created`.
 */
export type TurtleEventMap = {
  [K in keyof HTMLElementEventMap as K extends `turtle-${string}` ? K : never]: HTMLElementEventMap[K];
};

/** The base of every turtle element: where the API is, and how to authenticate. */
export abstract class TurtleElement extends LitElement {
  /** The server's base URL. Default: the origin the elements script was loaded from. */
  @property({ attribute: 'api-base', reflect: true }) apiBase = '';

  /** A bearer token sent with every API request. Default: none. */
  @property() token = '';

  /** A client for the current `api-base` and `token`. */
  protected get api(): ApiClient {
    return new ApiClient({ base: this.apiBase || defaultApiBase(), token: this.token });
  }

  /** Dispatches a bubbling, composed `turtle-*` event. */
  protected emit<K extends keyof TurtleEventMap>(name: K, detail: TurtleEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}
