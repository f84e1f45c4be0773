/** `withEnumLabels`: enum values shown as their labels, through `| null`, `$ref`s, arrays and records. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Schema } from '../../../manifest/manifest.js';
import { withEnumLabels } from '../../../elements/internal/enum-labels.js';

const colour = { type: 'number', enum: [1, 2, 3], 'x-turtle-enum-labels': ['Red', 'Green', 'Blue'] };

describe('withEnumLabels', () => {
  it('labels enum values in objects, arrays, nullable and referenced schemas, and records', () => {
    const schema = {
      type: 'object',
      properties: {
        colour,
        maybe: {
          type: ['number', 'null'],
          enum: [1, 2, 3, null],
          'x-turtle-enum-labels': ['Red', 'Green', 'Blue'],
        },
        palette: { type: 'array', items: { $ref: '#/definitions/Colour' } },
        either: { anyOf: [{ $ref: '#/definitions/Colour' }, { type: 'null' }] },
        byName: { type: 'object', additionalProperties: colour },
        count: { type: 'integer' },
      },
      definitions: { Colour: colour },
    } as unknown as Schema;
    const value = {
      colour: 1,
      maybe: null,
      palette: [3, 2],
      either: 2,
      byName: { a: 3 },
      count: 1,
      other: 2,
    };
    assert.deepEqual(withEnumLabels(value, schema), {
      colour: 'Red',
      maybe: null,
      palette: ['Blue', 'Green'],
      either: 'Green',
      byName: { a: 'Blue' },
      count: 1,
      other: 2,
    });
    assert.deepEqual(value.palette, [3, 2], 'the value itself is unchanged');
  });

  it('leaves values without labels, and unknown values, as they are', () => {
    const value = { colour: 9, n: 1 };
    assert.equal(
      withEnumLabels(value, { type: 'object', properties: { colour } } as unknown as Schema),
      value,
    );
    assert.equal(withEnumLabels(2, undefined), 2);
  });
});
