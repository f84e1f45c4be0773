import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import { fixtureManifest, fn } from './fixtures.js';

// `x?: T`, `x: T | undefined`, `x: T | null` and `x: T | null = null` all say "may be left empty".
// The manifest says which of them admit null: `"null"` last in `type` (manifest/nullable.ts).
describe('schema-gen optionality', () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('optionality.ts');
  });
  const params = (name: string) => fn(manifest, name).params;

  it('writes `T | null` as T with "null" last in its type, with `default: null` when it has one', () => {
    assert.deepEqual(params('strings'), {
      type: 'object',
      properties: {
        nullable: { type: ['string', 'null'] },
        orUndefined: { type: 'string' },
        nullDefault: { type: ['string', 'null'], default: null },
        textDefault: { type: ['string', 'null'], 'x-turtle-widget': 'textarea', default: null },
        nullableWithValue: { type: ['string', 'null'], default: 'x' },
        taggedNullable: { type: ['string', 'null'], default: null, 'x-turtle-widget': 'textarea' },
        everything: { type: ['string', 'null'] },
        optional: { type: 'string' },
        optionalNullable: { type: ['string', 'null'] },
      },
      additionalProperties: false,
      // `T | null` without a default must be given (null at least), like a direct call.
      required: ['nullable'],
    });
  });

  it('keeps Integer, number and @asType integer through `| null`', () => {
    assert.deepEqual(params('numbers').properties, {
      nullableCount: { type: ['integer', 'null'] },
      count: { type: ['integer', 'null'], default: null },
      ratio: { type: ['number', 'null'], default: null },
      ratioAsInteger: { type: ['integer', 'null'], default: null },
      optionalCount: { type: 'integer' },
    });
    assert.deepEqual(params('numbers').required, ['nullableCount']);
  });

  it('keeps a boolean a boolean through `| null` and `?`, with its default', () => {
    assert.deepEqual(params('booleans').properties, {
      required: { type: 'boolean' },
      nullable: { type: ['boolean', 'null'] },
      withDefault: { type: 'boolean', default: false },
      nullDefault: { type: ['boolean', 'null'], default: null },
      falseDefault: { type: ['boolean', 'null'], default: false },
      optional: { type: 'boolean' },
    });
    assert.deepEqual(params('booleans').required, ['required', 'nullable']);
  });

  it('keeps enum values in declaration order and their labels through `| null` and `?`; null comes last and has no label', () => {
    const { nullable, size, literal, optional, optionalNullable } = params('enums').properties;
    const labels = ['Red', 'Green', 'Blue'];
    assert.deepEqual(nullable, {
      type: ['number', 'null'],
      enum: [1, 2, 3, null],
      'x-turtle-enum-labels': labels,
      default: null,
    });
    assert.deepEqual(size, {
      type: ['string', 'null'],
      enum: ['small', 'large', null],
      'x-turtle-enum-labels': ['Small', 'Large'],
      default: 'large',
    });
    assert.deepEqual(literal, {
      type: ['string', 'null'],
      enum: ['a', 'b', null],
      'x-turtle-enum-labels': ['A', 'B'],
      default: null,
    });
    assert.deepEqual(
      [optional?.type, optional?.enum, optional?.['x-turtle-enum-labels']],
      ['number', [1, 2, 3], labels],
    );
    assert.deepEqual(
      [optionalNullable?.type, optionalNullable?.enum, optionalNullable?.['x-turtle-enum-labels']],
      [['number', 'null'], [1, 2, 3, null], labels],
    );
    assert.deepEqual(params('enums').required, ['documented', 'undocumented']);
  });

  it('keeps nullable objects closed, nullable fields of objects, and nullable arrays', () => {
    const { paint, extra, list } = params('objects').properties;
    const fields = paint?.properties as Record<string, { type?: unknown; enum?: unknown }>;
    assert.deepEqual(
      [fields['colour']?.type, fields['colour']?.enum],
      [
        ['number', 'null'],
        [1, 2, 3, null],
      ],
    );
    assert.deepEqual(fields['glossy']?.type, ['boolean', 'null']);
    assert.deepEqual(fields['base'], {
      type: ['object', 'null'],
      properties: { name: { type: 'string' } },
      required: ['name'],
      additionalProperties: false,
    });
    assert.deepEqual(
      [extra?.type, extra?.additionalProperties, extra?.default],
      [['object', 'null'], false, null],
    );
    assert.deepEqual(list, { type: ['array', 'null'], items: { type: 'string' }, default: null });
  });

  it("takes help text only from the parameter's @param or the property's own JSDoc, never from its type's JSDoc", () => {
    const { documented, undocumented, optional } = params('enums').properties;
    assert.equal(documented?.description, 'the colour to paint with');
    assert.equal(undocumented?.description, undefined);
    assert.equal(optional?.description, undefined);
    const { paint, extra } = params('objects').properties;
    assert.equal(paint?.description, undefined, "Paint's own JSDoc is not the parameter's help");
    assert.equal(extra?.description, undefined);
    const fields = paint?.properties as Record<string, { description?: string }>;
    assert.equal(fields['colour']?.description, "The paint's colour.");
    assert.equal(fields['size']?.description, undefined, "Size's own JSDoc is not the field's help");
  });
});
