/**
 * `prefillRawValues`: values become the texts that give them back on submit; what does not fit the
 * schema, names no field or is a masked secret is left out with a notice.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Schema } from '../../../manifest/manifest.js';
import { fieldsFromSchema } from '../../../elements/internal/schema-fields.js';
import { collectInputs } from '../../../elements/internal/form-values.js';
import { prefillRawValues } from '../../../elements/internal/prefill-values.js';

const params = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2 },
    count: { type: 'integer', minimum: 1, maximum: 10 },
    colour: {
      type: ['number', 'null'],
      enum: [1, 2, null],
      'x-turtle-enum-labels': ['Red', 'Green'],
      default: null,
    },
    confirm: { type: 'boolean', default: false },
    notify: { type: ['boolean', 'null'], default: null },
    when: { type: 'string', format: 'date-time' },
    sampleIds: { type: 'array', items: { type: 'string' } },
    sizes: { type: 'array', items: { type: 'integer' } },
    options: {
      type: 'object',
      properties: { depth: { type: 'integer' }, label: { type: 'string' } },
      required: ['depth'],
    },
    token: { type: 'string', writeOnly: true },
  },
  required: ['name', 'count'],
  additionalProperties: false,
} as unknown as Schema;
const fields = fieldsFromSchema(params);

describe('prefillRawValues', () => {
  it('fills every kind of field so that an untouched submit sends the same values', () => {
    const values = {
      name: 'ana',
      count: 3,
      colour: 2,
      confirm: true,
      notify: false,
      when: '2026-03-04T05:06:07.000Z',
      sampleIds: ['R1', 'R2'],
      sizes: [1, 2],
      options: { depth: 2, label: 'x' },
    };
    const { raw, notices } = prefillRawValues(fields, values);
    assert.deepEqual(notices, []);
    assert.deepEqual(collectInputs(fields, raw), { inputs: values, errors: [] });
  });

  it('keeps null as an empty control, and leaves the defaults of fields without a value', () => {
    const { raw, notices } = prefillRawValues(fields, { name: 'bo', count: 1, colour: null });
    assert.deepEqual(notices, []);
    assert.equal(raw['/colour'], '');
    assert.equal(raw['/confirm'], 'false');
    assert.deepEqual(collectInputs(fields, raw).inputs, {
      name: 'bo',
      count: 1,
      colour: null,
      confirm: false,
      notify: null,
    });
  });

  it('leaves out, with a notice each, values that do not fit, unknown names and masked secrets', () => {
    const { raw, notices } = prefillRawValues(
      fields,
      {
        name: 42,
        count: 2.5,
        colour: 7,
        sizes: [1, 'two'],
        options: { depth: 'deep', extra: 1 },
        nope: 1,
        token: '••••',
      },
      { secrets: ['/token'] },
    );
    assert.deepEqual(notices, [
      'Name: the value 42 does not fit this field, so it was left out.',
      'Count: the value 2.5 does not fit this field, so it was left out.',
      'Colour: the value 7 does not fit this field, so it was left out.',
      'Sizes: the value [1,"two"] does not fit this field, so it was left out.',
      'Options › Depth: the value "deep" does not fit this field, so it was left out.',
      'Options › extra: this form has no such field, so the value was left out.',
      'nope: this form has no such field, so the value was left out.',
      'Token is a secret: it was not copied. Enter it again.',
    ]);
    assert.deepEqual([raw['/name'], raw['/count'], raw['/colour'], raw['/token']], ['', '', '', '']);
    assert.deepEqual(raw['/sizes'], []);
  });

  it('fills checkbox groups, repeatable fieldsets and key/value editors, and leaves out rows that do not fit', () => {
    const rich = fieldsFromSchema({
      type: 'object',
      properties: {
        colours: {
          type: 'array',
          items: { type: 'string', enum: ['r', 'g', 'b'], 'x-turtle-enum-labels': ['Red', 'Green', 'Blue'] },
        },
        samples: {
          type: 'array',
          items: {
            type: 'object',
            properties: { id: { type: 'string' }, reads: { type: 'integer' } },
            required: ['id'],
            additionalProperties: false,
          },
        },
        tags: { type: 'object', additionalProperties: { type: 'integer' } },
      },
      additionalProperties: false,
    } as unknown as Schema);
    const given = {
      colours: ['b', 'r'],
      samples: [{ id: 'S1', reads: 3 }, { id: 'S2' }],
      tags: { a: 1, b: 2 },
    };
    const filled = prefillRawValues(rich, given);
    assert.deepEqual(filled.notices, []);
    // Checkboxes send in option order: the value given in another order reads back sorted.
    assert.deepEqual(collectInputs(rich, filled.raw).inputs, { ...given, colours: ['r', 'b'] });

    const misfit = prefillRawValues(rich, { samples: [{ id: 7 }], tags: { a: 'x' } });
    assert.equal(misfit.notices.length, 2);
    assert.deepEqual(collectInputs(rich, misfit.raw).inputs, {});
  });
});
