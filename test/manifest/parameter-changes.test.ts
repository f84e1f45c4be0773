/**
 * The pure parts of schema versions: canonical JSON and the version hash (the same entry gives the
 * same version whatever its key order or `source`), and what `parameterChanges` reports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../manifest/canonical-json.js';
import type { ManifestFunction, Schema } from '../../manifest/manifest.js';
import { parameterChanges } from '../../manifest/parameter-changes.js';
import { functionVersion } from '../../server/registry/function-version.js';

const entry = (properties: Record<string, Schema>, required: string[] = []): ManifestFunction => ({
  name: 'f',
  functionName: 'f',
  mode: 'async',
  call: 'positional',
  params: { type: 'object', properties, required, additionalProperties: false },
  returns: {},
  source: 'functions.ts:1',
});

/** `value` with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('function versions', () => {
  it('canonical JSON sorts keys at every depth and leaves undefined out', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { f: 2, e: null }], c: undefined } }),
      '{"a":{"d":[1,{"e":null,"f":2}]},"b":1}',
    );
  });

  it('a version is the same whatever the key order or the source line, and differs with a label', () => {
    const one = entry({ a: { type: 'string', title: 'A' } });
    const reordered = reverseKeys({ ...one, source: 'functions.ts:99' }) as ManifestFunction;
    assert.equal(functionVersion(reordered), functionVersion(one));
    assert.notEqual(
      functionVersion(entry({ a: { type: 'string', title: 'Another' } })),
      functionVersion(one),
    );
  });
});

describe('parameterChanges', () => {
  it('lists nothing when only titles, help, defaults or widgets changed', () => {
    const before = entry({ a: { type: 'string', title: 'A' } });
    const after = entry({
      a: { type: 'string', title: 'B', description: 'help', default: 'x', 'x-turtle-widget': 'textarea' },
    });
    assert.deepEqual(parameterChanges(before, after), []);
  });

  it('tells removed, now-required and new limits apart, and keeps a nested property named title', () => {
    const before = entry({
      gone: { type: 'string' },
      n: { type: 'integer', minimum: 0 },
      opt: { type: 'string' },
      o: { type: 'object', properties: { title: { type: 'string' } } },
    });
    const after = entry(
      {
        n: { type: 'integer', minimum: 1 },
        opt: { type: 'string' },
        o: { type: 'object', properties: { name: { type: 'string' } } },
      },
      ['opt'],
    );
    assert.deepEqual(parameterChanges(before, after), [
      { kind: 'constraints-changed', parameter: 'n', keywords: ['minimum'] },
      { kind: 'now-required', parameter: 'opt' },
      { kind: 'constraints-changed', parameter: 'o', keywords: ['properties'] },
      { kind: 'removed', parameter: 'gone' },
    ]);
  });

  it('pairs a removed and an added parameter of the same schema as a rename, once', () => {
    const before = entry({ a: { type: 'string' }, b: { type: 'string' } });
    const after = entry({ x: { type: 'string' } }, ['x']);
    assert.deepEqual(parameterChanges(before, after), [
      { kind: 'renamed', from: 'a', to: 'x' },
      { kind: 'removed', parameter: 'b' },
    ]);
  });

  it('describes type changes: enums, arrays, formats, nullables', () => {
    const before = entry({
      c: { type: 'string', enum: ['a', 'b'] },
      l: { type: 'array', items: { type: 'string' } },
      d: { type: 'string' },
      n: { type: 'integer' },
    });
    const after = entry({
      c: { type: 'string', enum: ['a'] },
      l: { type: 'array', items: { type: 'integer' } },
      d: { type: 'string', format: 'date-time' },
      n: { type: ['integer', 'null'] },
    });
    assert.deepEqual(
      parameterChanges(before, after).map((c) =>
        c.kind === 'type-changed' ? `${c.parameter}: ${c.from} → ${c.to}` : c.kind,
      ),
      [
        'c: one of "a", "b" → one of "a"',
        'l: array of string → array of integer',
        'd: string → string (date-time)',
        'n: integer → integer | null',
      ],
    );
  });
});
