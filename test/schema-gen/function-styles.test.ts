import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import { fixtureManifest, fn } from './fixtures.js';

describe('schema-gen function styles and registrations', () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('styles.ts');
  });

  it('lists positional parameters in declaration order; optional and defaulted ones are not required', () => {
    const f = fn(manifest, 'positional');
    assert.equal(f.call, 'positional');
    assert.deepEqual(Object.keys(f.params.properties), ['first', 'second', 'third']);
    assert.deepEqual(f.params.required, ['first']);
    assert.equal(f.params.properties.third?.default, 'x');
  });

  it('takes the fields of a single interface parameter as the properties, called as one object', () => {
    const f = fn(manifest, 'reid');
    assert.equal(f.call, 'object');
    assert.deepEqual(Object.keys(f.params.properties), ['research_sample_ids', 'send_email', 'copies']);
    assert.deepEqual(f.params.required, ['research_sample_ids', 'copies']);
    assert.equal(f.params.properties.copies?.type, 'integer');
  });

  it('treats a destructured parameter as an object; pattern defaults make fields optional', () => {
    const f = fn(manifest, 'destructured');
    assert.equal(f.call, 'object');
    assert.deepEqual(f.params.properties, {
      a: { type: 'string' },
      b: { type: 'number', default: 1 },
      c: { type: 'boolean' },
    });
    assert.deepEqual(f.params.required, ['a']);
  });

  it('treats an inline type literal as an object, but a lone array or Date as positional', () => {
    assert.equal(fn(manifest, 'inlineObject').call, 'object');
    assert.deepEqual(fn(manifest, 'inlineObject').params.required, ['name']);
    assert.equal(fn(manifest, 'loneArray').call, 'positional');
    assert.deepEqual(Object.keys(fn(manifest, 'loneArray').params.properties), ['items']);
    assert.equal(fn(manifest, 'loneDate').call, 'positional');
  });

  it('leaves a `this` parameter out', () => {
    const f = fn(manifest, 'withThis');
    assert.deepEqual(
      [f.call, f.params.properties, f.params.required],
      ['positional', { n: { type: 'number' } }, ['n']],
    );
  });

  it('gives a function without parameters an empty, closed object schema', () => {
    assert.deepEqual(fn(manifest, 'nothing').params, {
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
    assert.deepEqual(fn(manifest, 'nothing').returns, { type: 'number' });
  });

  it('records mode, registered name, declared name, title and source line', () => {
    const reid = fn(manifest, 'reid');
    assert.deepEqual(
      [reid.name, reid.functionName, reid.mode, reid.title],
      ['reid', 'objectParam', 'sync', 'Re-identify'],
    );
    assert.equal(reid.source, 'test/schema-gen/fixtures/styles.ts:19');
    assert.equal(fn(manifest, 'positional').mode, 'async');
  });

  it('applies the widgets option and ignores run-time options', () => {
    assert.equal(fn(manifest, 'reid').params.properties.research_sample_ids?.['x-turtle-widget'], 'textarea');
  });

  it('follows imported (and renamed) functions to their declarations, with the source of the declaring file', () => {
    const imported = fn(manifest, 'importedFn');
    assert.equal(imported.source, 'test/schema-gen/fixtures/lib/imported.ts:4');
    assert.deepEqual(imported.params.properties.times, { type: 'number', default: 2 });
    const arrow = fn(manifest, 'arrow');
    assert.deepEqual([arrow.functionName, arrow.mode], ['arrowFn', 'sync']);
    assert.deepEqual(arrow.returns, { type: 'array', items: { type: 'number' } }, 'Promise is unwrapped');
  });

  it('finds registrations on the registry (renamed or through a namespace) and on createRegistry() registries only', () => {
    assert.deepEqual(Object.keys(manifest.functions), [
      'arrow',
      'destructured',
      'importedFn',
      'inlineObject',
      'loneArray',
      'loneDate',
      'nothing',
      'positional',
      'reid',
      'withThis',
    ]);
  });

  it('hashes every project source the manifest came from, and no package file', () => {
    assert.deepEqual(Object.keys(manifest.sources), [
      'test/schema-gen/fixtures/lib/imported.ts',
      'test/schema-gen/fixtures/lib/registry.ts',
      'test/schema-gen/fixtures/styles.ts',
    ]);
    for (const hash of Object.values(manifest.sources)) assert.match(hash, /^[0-9a-f]{64}$/);
  });
});
