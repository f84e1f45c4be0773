/**
 * The functions the API tests run, with the manifest `turtle schema` would write for them (written
 * out here so the HTTP tests do not depend on schema-gen).
 */
import type { Manifest } from '../../../../manifest/manifest.js';
import { currentExecution } from '../../../../server/executions/current-execution.js';
import { createRegistry, type Registry } from '../../../../server/registry/index.js';

/** Adds two numbers (sync). */
export function add(a: number, b: number): number {
  return a + b;
}

/** Does nothing (sync); the benchmark's unit of work. */
export function noop(): null {
  return null;
}

/** Echoes a text and a list (async), reporting progress and a checkpoint on the way. */
export async function report(text: string, tags: string[] = [], flowcell_type: 'ips' | 'sbs' = 'ips'): Promise<{ text: string; tags: string[]; flowcell_type: string }> {
  const execution = currentExecution<{ half: boolean }>();
  execution.progress(0.5, 'half way');
  execution.checkpoint({ half: true });
  return { text, tags, flowcell_type };
}

/** Always fails (sync). */
export function explode(): never {
  throw new Error('boom');
}

/** A registry with the four functions. */
export function fixtureRegistry(): Registry {
  const registry = createRegistry();
  registry.addSync(add);
  registry.addSync(noop);
  registry.add(report);
  registry.addSync(explode);
  return registry;
}

/** Their manifest. */
export const fixtureManifest: Manifest = {
  version: 1,
  sources: {},
  functions: {
    add: {
      name: 'add', functionName: 'add', mode: 'sync', description: 'Adds two numbers (sync).', call: 'positional', source: 'fixture.ts:1',
      params: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false },
      returns: { type: 'number' },
    },
    noop: {
      name: 'noop', functionName: 'noop', mode: 'sync', call: 'positional', source: 'fixture.ts:2',
      params: { type: 'object', properties: {}, additionalProperties: false },
      returns: { type: 'null' },
    },
    report: {
      name: 'report', functionName: 'report', mode: 'async', description: 'Echoes a text and a list.', call: 'positional', source: 'fixture.ts:3',
      params: {
        type: 'object',
        properties: {
          text: { type: 'string', maxLength: 10000 },
          tags: { type: 'array', items: { type: 'string' }, default: [] },
          flowcell_type: { $ref: '#/definitions/FlowcellType', default: 'ips' },
        },
        required: ['text'],
        additionalProperties: false,
        definitions: { FlowcellType: { type: 'string', enum: ['ips', 'sbs'] } },
      } as Manifest['functions'][string]['params'],
      returns: { type: 'object', properties: { text: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, flowcell_type: { type: 'string' } }, required: ['text', 'tags', 'flowcell_type'] },
    },
    explode: {
      name: 'explode', functionName: 'explode', mode: 'sync', call: 'positional', source: 'fixture.ts:4',
      params: { type: 'object', properties: {}, additionalProperties: false },
      returns: {},
    },
  },
};
