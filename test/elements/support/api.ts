/**
 * Helpers shared by the browser tests: the URL of the real API the runner started, and a way to
 * reach into an element's shadow DOM by role-ish selectors.
 */
import { waitUntil } from '@open-wc/testing';
import type { GateRequest } from './api-gate.js';
import type { AnswersCheck } from '../../support/openapi-answers.js';

/**
 * Where the runner's API is: `url` without auth, `authUrl` (same store) with `token` required,
 * `gateUrl` the API without auth behind a gate the tests can cut ({@link setGate}), `authGateUrl` the
 * API with auth behind another, `contractUrl` the API without auth behind a gate that records every
 * answer for the contract test ({@link contractReport}).
 */
export interface TestApi {
  url: string;
  authUrl: string;
  token: string;
  gateUrl: string;
  authGateUrl: string;
  contractUrl: string;
}

let cached: Promise<TestApi> | undefined;

/** The API started for this run (see `web-test-runner.config.mjs`). */
export function testApi(): Promise<TestApi> {
  cached ??= fetch('/__turtle/api-url').then(async (r) => (await r.json()) as TestApi);
  return cached;
}

/** The base URL of the API without auth. */
export async function apiUrl(): Promise<string> {
  return (await testApi()).url;
}

/** Calls the API directly (to set up executions a test then looks at). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${await apiUrl()}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The first element matching `selector` in `host`'s shadow root; fails the test when there is none. */
export function shadow<E extends Element = HTMLElement>(host: Element, selector: string): E {
  const found = host.shadowRoot!.querySelector<E>(selector);
  if (!found) throw new Error(`${host.localName} has no ${selector}`);
  return found;
}

/** Waits until `selector` matches in `host`'s shadow root (bounded by `timeout` ms, default 5000), and returns it. */
export async function shadowWait<E extends Element = HTMLElement>(
  host: Element,
  selector: string,
  message?: string,
  timeout = 5000,
): Promise<E> {
  await waitUntil(
    () => host.shadowRoot?.querySelector(selector),
    message ?? `${host.localName} never showed ${selector}`,
    { timeout },
  );
  return shadow<E>(host, selector);
}

/** Types `text` into a control as a person would: sets the value and fires `input` and `change`. */
export function type(
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  text: string,
): void {
  control.value = text;
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/**
 * Cuts (`'down'`: open connections dropped, new ones refused) or restores the way through a gate
 * (default: `gateUrl`).
 */
export async function setGate(state: 'down' | 'up', gate?: string): Promise<void> {
  const response = await fetch(`${gate ?? (await testApi()).gateUrl}/__gate/${state}`, { method: 'POST' });
  if (!response.ok) throw new Error(`the gate answered ${response.status}`);
}

/** The requests a gate forwarded so far, oldest first. */
export async function gateRequests(gate: string): Promise<GateRequest[]> {
  return (await (await fetch(`${gate}/__gate/requests`)).json()) as GateRequest[];
}

/** What every answer through `contractUrl` so far makes of the OpenAPI document (see test/support/openapi-answers.ts). */
export async function contractReport(): Promise<AnswersCheck> {
  const response = await fetch(`${(await testApi()).contractUrl}/__gate/report`);
  if (!response.ok)
    throw new Error(`the contract gate answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as AnswersCheck;
}
