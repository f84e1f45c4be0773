/** `enumLabel` and `resolveSchema`: enum values shown as their labels, `$ref`s followed (the output view uses both). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Schema } from '../../../manifest/manifest.js';
import { enumLabel, resolveSchema } from '../../../elements/internal/enum-labels.js';

const colour = {
  type: 'number',
  enum: [1, 2, 3],
  'x-turtle-enum-labels': ['Red', 'Green', 'Blue'],
} as Schema;

describe('enumLabel', () => {
  it('gives the label of a value, index for index with the non-null enum values', () => {
    assert.equal(enumLabel(2, colour), 'Green');
    const nullable = { ...colour, enum: [null, 1, 2, 3] } as Schema;
    assert.equal(enumLabel(3, nullable), 'Blue');
  });

  it('gives nothing for a value it does not list, or a schema without labels', () => {
    assert.equal(enumLabel(9, colour), undefined);
    assert.equal(enumLabel('1', colour), undefined);
    assert.equal(enumLabel(1, { type: 'number', enum: [1, 2] }), undefined);
  });
});

describe('resolveSchema', () => {
  const root = {
    definitions: { Colour: colour, Alias: { $ref: '#/definitions/Colour' }, 'a/b': colour },
  } as unknown as Schema;

  it('follows $refs within the root, through aliases and escaped names', () => {
    assert.equal(resolveSchema({ $ref: '#/definitions/Alias' }, root), colour);
    assert.equal(resolveSchema({ $ref: '#/definitions/a~1b' }, root), colour);
    assert.equal(resolveSchema(colour, undefined), colour);
  });

  it('gives nothing for a dangling, external or endless $ref', () => {
    assert.equal(resolveSchema({ $ref: '#/definitions/Nope' }, root), undefined);
    assert.equal(resolveSchema({ $ref: 'https://example.org/s.json' }, root), undefined);
    const loop = { definitions: { A: { $ref: '#/definitions/A' } } } as unknown as Schema;
    assert.equal(resolveSchema({ $ref: '#/definitions/A' }, loop), undefined);
  });
});
