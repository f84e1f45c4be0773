/**
 * The functions the API tests run, with the manifest `turtle schema` would write for them (written
 * out here so the HTTP tests do not depend on schema-gen).
 */
import { createHash } from 'node:crypto';
import type { Manifest } from '../../../../manifest/manifest.js';
import type { Secret } from '../../../../manifest/field-types.js';
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
export async function report(
  text: string,
  tags: string[] = [],
  flowcell_type: 'ips' | 'sbs' = 'ips',
): Promise<{ text: string; tags: string[]; flowcell_type: string }> {
  const execution = currentExecution<{ half: boolean }>();
  execution.progress(0.5, 'half way');
  execution.checkpoint({ half: true });
  return { text, tags, flowcell_type };
}

/** Always fails (sync). */
export function explode(): never {
  throw new Error('boom');
}

/** Checks a password (sync): answers its length and SHA-256, never the password itself. */
export function login(
  user: string,
  password: Secret,
): { user: string; passwordLength: number; passwordSha256: string } {
  return {
    user,
    passwordLength: password.length,
    passwordSha256: createHash('sha256').update(password).digest('hex'),
  };
}

/** Connects to a server (async) with secrets nested in an object and in an array. */
export async function connect(
  server: { host: string; password: Secret },
  keys: Secret[] = [],
): Promise<{ host: string; passwordLength: number; keyLengths: number[] }> {
  return {
    host: server.host,
    passwordLength: server.password.length,
    keyLengths: keys.map((key) => key.length),
  };
}

/** A registry with the fixture functions. */
export function fixtureRegistry(): Registry {
  const registry = createRegistry();
  registry.addSync(add);
  registry.addSync(noop);
  registry.add(report);
  registry.addSync(explode);
  registry.addSync(login);
  registry.add(connect);
  return registry;
}

/** Their manifest. */
export const fixtureManifest: Manifest = {
  version: 1,
  sources: {},
  functions: {
    add: {
      name: 'add',
      functionName: 'add',
      mode: 'sync',
      description: 'Adds two numbers (sync).',
      call: 'positional',
      source: 'fixture.ts:1',
      params: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
        additionalProperties: false,
      },
      returns: { type: 'number' },
    },
    noop: {
      name: 'noop',
      functionName: 'noop',
      mode: 'sync',
      call: 'positional',
      source: 'fixture.ts:2',
      params: { type: 'object', properties: {}, additionalProperties: false },
      returns: { type: 'null' },
    },
    report: {
      name: 'report',
      functionName: 'report',
      mode: 'async',
      description: 'Echoes a text and a list.',
      call: 'positional',
      source: 'fixture.ts:3',
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
      },
      returns: {
        type: 'object',
        properties: {
          text: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
          flowcell_type: { type: 'string' },
        },
        required: ['text', 'tags', 'flowcell_type'],
      },
    },
    explode: {
      name: 'explode',
      functionName: 'explode',
      mode: 'sync',
      call: 'positional',
      source: 'fixture.ts:4',
      params: { type: 'object', properties: {}, additionalProperties: false },
      returns: {},
    },
    login: {
      name: 'login',
      functionName: 'login',
      mode: 'sync',
      call: 'positional',
      source: 'fixture.ts:5',
      params: {
        type: 'object',
        properties: {
          user: { type: 'string' },
          password: { type: 'string', 'x-turtle-widget': 'password', writeOnly: true },
        },
        required: ['user', 'password'],
        additionalProperties: false,
      },
      returns: {
        type: 'object',
        properties: {
          user: { type: 'string' },
          passwordLength: { type: 'number' },
          passwordSha256: { type: 'string' },
        },
        required: ['user', 'passwordLength', 'passwordSha256'],
      },
    },
    connect: {
      name: 'connect',
      functionName: 'connect',
      mode: 'async',
      call: 'positional',
      source: 'fixture.ts:6',
      params: {
        type: 'object',
        properties: {
          server: { $ref: '#/definitions/Server' },
          keys: {
            type: 'array',
            items: { type: 'string', 'x-turtle-widget': 'password', writeOnly: true },
            default: [],
          },
        },
        required: ['server'],
        additionalProperties: false,
        definitions: {
          Server: {
            type: 'object',
            properties: {
              host: { type: 'string' },
              password: { type: 'string', 'x-turtle-widget': 'password', writeOnly: true },
            },
            required: ['host', 'password'],
            additionalProperties: false,
          },
        },
      } as Manifest['functions'][string]['params'],
      returns: {
        type: 'object',
        properties: {
          host: { type: 'string' },
          passwordLength: { type: 'number' },
          keyLengths: { type: 'array', items: { type: 'number' } },
        },
        required: ['host', 'passwordLength', 'keyLengths'],
      },
    },
  },
};
