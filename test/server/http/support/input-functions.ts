/**
 * Functions for the bad-input API tests (with their hand-written manifest): one that echoes its
 * input, one that puts a lone surrogate where the test asks, and one that blocks until the test
 * opens its gate.
 */
import type { Manifest, ManifestFunction } from '../../../../manifest/manifest.js';
import { currentExecution } from '../../../../server/executions/current-execution.js';
import { createRegistry, type Registry } from '../../../../server/registry/index.js';
import { gate, type Gate } from '../../../support/executions.js';

/** Returns what it was given (sync). */
export function echo(value: unknown): { value: unknown } {
  return { value };
}

/** Where {@link lone} puts its lone surrogate. */
export type LoneSpot = 'output' | 'key' | 'state' | 'progress' | 'error' | 'fine';

/** Puts "\ud800" in its output, a property name, its checkpoint, its progress message or its error (sync). */
export function lone(where: LoneSpot): unknown {
  const half = 'a\ud800b';
  switch (where) {
    case 'output':
      return { text: half };
    case 'key':
      return { [half]: 1 };
    case 'state':
      currentExecution().checkpoint({ text: half });
      return 'checkpointed';
    case 'progress':
      currentExecution().progress(0.5, half);
      return 'reported';
    case 'error':
      throw Object.assign(new Error(`bad ${half}`), { details: { text: half } });
    case 'fine':
      return '\ud83d\ude00';
  }
}

/** The gate {@link gated} waits on, and a gate it opens when it starts; replaced by {@link resetGates}. */
export const gates = { started: gate(), release: gate(), calls: 0 };

/** Closes both gates again. */
export function resetGates(): void {
  gates.started = gate();
  gates.release = gate();
  gates.calls = 0;
}

/** Blocks until the test opens `gates.release`, then returns n + 1 (sync). */
export async function gated(n: number): Promise<number> {
  gates.calls++;
  const { started, release }: { started: Gate; release: Gate } = gates;
  started.open();
  await release.promise;
  return n + 1;
}

/** A registry with the three functions. */
export function inputRegistry(): Registry {
  const registry = createRegistry();
  registry.addSync(echo);
  registry.addSync(lone);
  registry.addSync(gated, { timeout: 20_000 });
  return registry;
}

const fn = (name: string, params: ManifestFunction['params'], line: number): ManifestFunction => ({
  name,
  functionName: name,
  mode: 'sync',
  call: 'positional',
  source: `input-functions.ts:${line}`,
  params,
  returns: {},
});

/** Their manifest. */
export const inputManifest: Manifest = {
  version: 1,
  sources: {},
  functions: {
    echo: fn(
      'echo',
      { type: 'object', properties: { value: {} }, required: ['value'], additionalProperties: false },
      1,
    ),
    lone: fn(
      'lone',
      {
        type: 'object',
        properties: {
          where: { type: 'string', enum: ['output', 'key', 'state', 'progress', 'error', 'fine'] },
        },
        required: ['where'],
        additionalProperties: false,
      },
      2,
    ),
    gated: fn(
      'gated',
      { type: 'object', properties: { n: { type: 'number' } }, required: ['n'], additionalProperties: false },
      3,
    ),
  },
};

/** The registry and manifest, as `startApi` takes them. */
export const inputFunctions = () => ({ registry: inputRegistry(), manifest: inputManifest });
