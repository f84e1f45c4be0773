import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import { fixtureManifest, fn } from './fixtures.js';

describe('schema-gen defaults', () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('defaults.ts');
  });

  it('turns literal initialisers into defaults: negative numbers, strings, booleans, enum members, arrays, objects', () => {
    const defaults = Object.fromEntries(
      Object.entries(fn(manifest, 'withDefaults').params.properties).map(([k, v]) => [k, v.default]),
    );
    assert.deepEqual(defaults, {
      negative: -5,
      fraction: -0.25,
      positive: 7,
      text: 'hello',
      template: 'plain',
      yes: true,
      no: false,
      level: 'high',
      code: 20,
      list: [1, -2, 3],
      words: ['a', 'b'],
      options: { depth: 2, name: 'x' },
      computed: undefined,
      now: undefined,
      required: undefined,
    });
  });

  it('makes every defaulted or optional parameter not required, computed defaults included', () => {
    assert.equal(fn(manifest, 'withDefaults').params.required, undefined);
  });

  it('reads defaults from a destructuring pattern', () => {
    const { properties, required } = fn(manifest, 'destructuredDefaults').params;
    assert.deepEqual(
      [properties.retries?.default, properties.mode?.default, properties.tags?.default],
      [-1, 'low', ['x']],
    );
    assert.deepEqual(required, ['label']);
  });
});
