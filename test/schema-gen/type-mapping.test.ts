import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import { fixtureManifest, fn } from './fixtures.js';

describe('schema-gen type mapping', () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('types.ts');
  });
  const props = (name: string) => fn(manifest, name).params.properties;

  it('maps string, number, boolean and Integer, and leaves an optional boolean three-valued', () => {
    assert.deepEqual(props('primitives'), {
      text: { type: 'string' },
      amount: { type: 'number' },
      count: { type: 'integer' },
      flag: { type: 'boolean' },
      maybe: { type: 'boolean' },
    });
    // Not required and no default: true, false or not given.
    assert.deepEqual(fn(manifest, 'primitives').params.required, ['text', 'amount', 'count', 'flag']);
  });

  it('makes integers of Integer from the package, from its source file, and of @asType integer', () => {
    assert.deepEqual(props('integers'), {
      fromPackage: { type: 'integer' },
      fromSource: { type: 'integer' },
      tagged: { type: 'integer' },
    });
  });

  it('maps string enums, numeric enums and literal unions to enum with labels, in declaration order', () => {
    const { colour, priority, size, optionalColour } = props('enums');
    assert.deepEqual(
      [colour?.type, colour?.enum, colour?.['x-turtle-enum-labels']],
      ['string', ['red', 'dark_blue'], ['Red', 'Dark Blue']],
    );
    assert.deepEqual(
      [priority?.type, priority?.enum, priority?.['x-turtle-enum-labels']],
      ['number', [1, 5], ['Low', 'High']],
    );
    assert.deepEqual(
      [size?.type, size?.enum, size?.['x-turtle-enum-labels']],
      ['string', ['small', 'medium_large'], ['Small', 'Medium large']],
    );
    assert.deepEqual(optionalColour?.enum, ['red', 'dark_blue'], 'an optional enum is still an enum');
    assert.deepEqual(fn(manifest, 'enums').params.required, ['colour', 'priority', 'size']);
  });

  it('maps arrays, arrays of objects (closed), nested arrays and arrays of enums', () => {
    const { tags, points, matrix, colours } = props('collections');
    assert.deepEqual(tags, { type: 'array', items: { type: 'string' } });
    assert.deepEqual(points, {
      type: 'array',
      items: {
        type: 'object',
        properties: { x: { type: 'number' }, y: { type: 'number' } },
        required: ['x', 'y'],
        additionalProperties: false,
      },
    });
    assert.deepEqual(matrix, { type: 'array', items: { type: 'array', items: { type: 'number' } } });
    assert.deepEqual(colours?.items && (colours.items as { enum?: unknown }).enum, ['red', 'dark_blue']);
  });

  it('maps nested interfaces (closed) with their JSDoc, tags, field types and optionality, and Date to date-time', () => {
    const { address, point, when } = props('nested');
    assert.deepEqual(address, {
      type: 'object',
      properties: {
        street: { description: 'Street and number.', type: 'string' },
        zip: { minLength: 5, maxLength: 5, pattern: '^[0-9]+$', type: 'string' },
        floor: { type: 'integer', minimum: 1 },
        apartment: { type: 'integer' },
        notes: { type: 'string', 'x-turtle-widget': 'textarea' },
        doorCode: { type: 'string', 'x-turtle-widget': 'password', writeOnly: true },
        kind: { enum: ['home', 'work'], type: 'string', 'x-turtle-enum-labels': ['Home', 'Work'] },
        verified: { type: 'boolean' },
      },
      required: ['street', 'zip'],
      additionalProperties: false,
    });
    assert.deepEqual(point, {
      type: 'object',
      properties: { x: { type: 'number' }, y: { type: 'number' } },
      required: ['x', 'y'],
      additionalProperties: false,
    });
    assert.deepEqual(when, { type: 'string', format: 'date-time' });
  });

  it('marks Text and @widget textarea as textarea, Secret and @widget password as password + writeOnly', () => {
    const p = props('widgets');
    assert.equal(p.body?.['x-turtle-widget'], 'textarea');
    assert.equal(p.longNote?.['x-turtle-widget'], 'textarea');
    for (const secret of [p.password, p.pin]) {
      assert.equal(secret?.['x-turtle-widget'], 'password');
      assert.equal(secret?.writeOnly, true);
    }
  });

  it('recognises Text by its declaration, not its name: other aliases called Text are plain strings', () => {
    const p = props('widgets');
    assert.equal(p.note?.['x-turtle-widget'], undefined);
    assert.deepEqual(p.localText, { type: 'string' });
  });

  it('reads min/max/minimum/maximum/minLength/maxLength/pattern from the function JSDoc and the parameter JSDoc', () => {
    assert.deepEqual(props('limits'), {
      count: { type: 'integer', minimum: 1, maximum: 10 },
      code: { type: 'string', minLength: 2, maxLength: 8, pattern: '^[A-Z]+$' },
      ratio: { type: 'number', minimum: -1.5, maximum: 1.5 },
      percent: { type: 'number', minimum: 0, maximum: 100 },
    });
  });

  it('keeps field types when optional', () => {
    assert.deepEqual(props('nullableAndUnion'), {
      optionalText: { type: 'string', 'x-turtle-widget': 'textarea' },
      optionalCount: { type: 'integer' },
    });
  });

  it('maps records to additionalProperties (open: any key), tuples to fixed items, and keeps null in a union', () => {
    assert.deepEqual(props('records'), {
      scores: { type: 'object', additionalProperties: { type: 'number' } },
      pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], minItems: 2, maxItems: 2 },
      nullable: { type: ['string', 'null'] },
    });
  });

  it('gives {} for a return type that says nothing (void)', () => {
    assert.deepEqual(fn(manifest, 'primitives').returns, {});
  });

  it("leaves turtle-shell's Pending out of the returns: only the result is ever stored", () => {
    const polled = {
      description: 'What a waiting function finally returns.',
      type: 'object',
      properties: { job: { description: "The job's id.", type: 'string' } },
      required: ['job'],
    };
    assert.deepEqual(fn(manifest, 'waits').returns, polled);
    assert.deepEqual(fn(manifest, 'waitsOrNull').returns, { ...polled, type: ['object', 'null'] });
    assert.deepEqual(fn(manifest, 'onlyPending').returns, {});
    assert.equal(
      (fn(manifest, 'ownPending').returns.anyOf ?? []).length,
      2,
      'a type of its own called OwnPending stays',
    );
  });
});
