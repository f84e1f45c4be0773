import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Schema } from '../../../manifest/manifest.js';
import { fieldsFromSchema, FieldKind } from '../../../elements/internal/schema-fields.js';
import {
  collectInputs,
  errorsByPath,
  initialRawValues,
  toLocalDateTime,
} from '../../../elements/internal/form-values.js';

// The shape schema-gen writes for the fixture's `echo` (see schema-fields.test.ts for the real one).
const params = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2 },
    count: { type: 'integer', minimum: 1, maximum: 10 },
    ratio: { type: 'number', default: 0.5 },
    when: { type: 'string', format: 'date-time' },
    flowcell: { type: 'string', enum: ['IPS', 'HISEQ'], default: 'IPS' },
    level: { type: 'integer', enum: [1, 2] },
    confirm: { type: 'boolean', default: false },
    notify: { type: 'boolean' },
    sampleIds: { type: 'array', items: { type: 'string' }, default: ['a', 'b'] },
    sizes: { type: 'array', items: { type: 'integer', minimum: 0 } },
    options: {
      type: 'object',
      properties: { depth: { type: 'integer' }, label: { type: 'string' } },
      required: ['depth'],
    },
    code: { type: 'string', pattern: '^[A-Z]{2}-\\d+$' },
    extra: { type: 'object' },
  },
  required: ['name', 'count'],
} as unknown as Schema;
const fields = fieldsFromSchema(params);

describe('initialRawValues', () => {
  it('starts every control at its default, or empty', () => {
    assert.deepEqual(initialRawValues(fields), {
      '/name': '',
      '/count': '',
      '/ratio': '0.5',
      '/when': '',
      '/flowcell': '0',
      '/level': '',
      '/confirm': 'false',
      '/notify': '',
      '/sampleIds': 'a\nb',
      '/sizes': [],
      '/options/depth': '',
      '/options/label': '',
      '/code': '',
      '/extra': '',
    });
  });
});

describe('collectInputs', () => {
  it('converts texts to typed inputs and leaves empty optional fields out', () => {
    const raw = {
      ...initialRawValues(fields),
      '/name': 'Ada',
      '/count': '3',
      '/level': '1',
      '/confirm': 'true',
      '/notify': 'false',
      '/sampleIds': ' s1 \n\n s2',
      '/sizes': ['4', '', '5'],
      '/extra': '{"a":[1]}',
    };
    const { inputs, errors } = collectInputs(fields, raw);
    assert.deepEqual(errors, []);
    assert.deepEqual(inputs, {
      name: 'Ada',
      count: 3,
      ratio: 0.5,
      flowcell: 'IPS',
      level: 2,
      confirm: true,
      notify: false,
      sampleIds: ['s1', 's2'],
      sizes: [4, 5],
      extra: { a: [1] },
    });
  });

  it('sends a date-time as an ISO instant', () => {
    const local = toLocalDateTime('2026-03-04T05:06:07.000Z');
    const { inputs } = collectInputs(fields, {
      ...initialRawValues(fields),
      '/name': 'Ada',
      '/count': '1',
      '/when': local,
    });
    assert.equal(inputs['when'], '2026-03-04T05:06:07.000Z');
  });

  it('reports each problem at its field, as the schema would', () => {
    const raw = {
      ...initialRawValues(fields),
      '/name': 'A',
      '/count': '11',
      '/ratio': '1.5x',
      '/code': 'ab-1',
      '/sizes': ['1', '-2'],
      '/options/label': 'x',
      '/extra': '{',
    };
    const { errors } = collectInputs(fields, raw);
    assert.deepEqual(errors, [
      { path: '/name', message: 'Use at least 2 characters.' },
      { path: '/count', message: 'Must be at most 10.' },
      { path: '/ratio', message: 'Enter a number.' },
      { path: '/sizes', message: 'Item 2: Must be at least 0.' },
      { path: '/options/depth', message: 'This field is required.' },
      { path: '/code', message: 'Must match the pattern ^[A-Z]{2}-\\d+$.' },
      { path: '/extra', message: 'Enter valid JSON.' },
    ]);
  });

  it('requires required fields and rejects fractions for integers', () => {
    const { errors } = collectInputs(fields, { ...initialRawValues(fields), '/count': '2.5' });
    assert.deepEqual(errors, [
      { path: '/name', message: 'This field is required.' },
      { path: '/count', message: 'Enter a whole number.' },
    ]);
  });
});

describe('errorsByPath', () => {
  it('puts server errors at their field, list items at the list, and the rest on the form', () => {
    const byPath = errorsByPath(
      [
        { path: '/options/depth', message: 'must be integer' },
        { path: '/sizes/1', message: 'must be >= 0' },
        { path: '', message: "must have required property 'name'" },
        { path: '/options', message: "must have required property 'depth'" },
        { path: '', message: 'must NOT have additional properties' },
      ],
      fields,
    );
    assert.deepEqual(Object.fromEntries(byPath), {
      '/options/depth': ['must be integer', "must have required property 'depth'"],
      '/sizes': ['must be >= 0'],
      '/name': ["must have required property 'name'"],
      '': ['must NOT have additional properties'],
    });
  });
});

describe('collectInputs without checks', () => {
  it('sends out-of-bounds values for the server to judge, but still refuses what cannot be converted', () => {
    const raw = {
      ...initialRawValues(fields),
      '/name': 'A',
      '/count': '11',
      '/code': 'ab',
      '/sizes': ['-2'],
      '/ratio': 'x',
    };
    const { inputs, errors } = collectInputs(fields, raw, { check: false });
    assert.deepEqual(errors, [{ path: '/ratio', message: 'Enter a number.' }]);
    assert.deepEqual(
      [inputs['name'], inputs['count'], inputs['code'], inputs['sizes']],
      ['A', 11, 'ab', [-2]],
    );
  });
});

describe('fields that may be left empty', () => {
  // As schema-gen writes them (test/schema-gen/optionality.test.ts): `| null` is "null" last in `type`.
  const nullableFields = fieldsFromSchema({
    type: 'object',
    properties: {
      label: { type: ['string', 'null'] },
      text: { type: ['string', 'null'], default: null },
      count: { type: ['integer', 'null'], default: null },
      kept: { type: ['string', 'null'], default: 'x' },
      colour: {
        type: ['number', 'null'],
        enum: [1, 2, 3, null],
        'x-turtle-enum-labels': ['Red', 'Green', 'Blue'],
        default: null,
      },
      size: {
        type: ['string', 'null'],
        enum: ['small', 'large', null],
        'x-turtle-enum-labels': ['Small', 'Large'],
        default: 'large',
      },
      tags: { type: ['array', 'null'], items: { type: 'string' }, default: null },
      sizes: { type: ['array', 'null'], items: { type: 'integer' }, default: null },
      extra: {
        type: ['object', 'null'],
        properties: { name: { type: 'string' } },
        required: ['name'],
        default: null,
      },
      note: { type: 'string' },
      maybe: { type: ['string', 'null'] },
    },
    required: ['label'],
  } as unknown as Schema);
  const emptied = (raw: Record<string, string | string[]>) =>
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? [] : '']));

  it('shows null as an empty control, never the text "null"', () => {
    assert.deepEqual(initialRawValues(nullableFields), {
      '/label': '',
      '/text': '',
      '/count': '',
      '/kept': 'x',
      '/colour': '',
      '/size': '1',
      '/tags': '',
      '/sizes': [],
      '/extra/name': '',
      '/note': '',
      '/maybe': '',
    });
  });

  it('does not require them, and keeps the labels of a nullable enum (null is the empty choice)', () => {
    assert.deepEqual(
      nullableFields.filter((f) => f.required).map((f) => f.name),
      [],
    );
    const colour = nullableFields.find((f) => f.name === 'colour')!;
    assert.deepEqual(colour.options, [
      { value: 1, label: 'Red' },
      { value: 2, label: 'Green' },
      { value: 3, label: 'Blue' },
    ]);
  });

  it('submits untouched: null where the type admits it and leaving it out would not give null, nothing where it is optional', () => {
    const { inputs, errors } = collectInputs(nullableFields, initialRawValues(nullableFields));
    assert.deepEqual(errors, []);
    assert.deepEqual(inputs, {
      label: null,
      text: null,
      count: null,
      kept: 'x',
      colour: null,
      size: 'large',
      tags: null,
      sizes: null,
      extra: null,
    });
  });

  it('submits emptied: null for every nullable field (an emptied `| null = "x"` means null, not "x")', () => {
    const { inputs, errors } = collectInputs(nullableFields, emptied(initialRawValues(nullableFields)));
    assert.deepEqual(errors, []);
    assert.deepEqual(inputs, {
      label: null,
      text: null,
      count: null,
      kept: null,
      colour: null,
      size: null,
      tags: null,
      sizes: null,
      extra: null,
    });
  });

  it('submits filled: the typed values', () => {
    const raw = {
      ...initialRawValues(nullableFields),
      '/label': 'L',
      '/text': 'null',
      '/count': '0',
      '/colour': '2',
      '/size': '0',
      '/tags': 'a',
      '/sizes': ['3'],
      '/extra/name': 'n',
      '/note': 'x',
      '/maybe': 'm',
    };
    const { inputs, errors } = collectInputs(nullableFields, raw);
    assert.deepEqual(errors, []);
    assert.deepEqual(inputs, {
      label: 'L',
      text: 'null',
      count: 0,
      kept: 'x',
      colour: 3,
      size: 'small',
      tags: ['a'],
      sizes: [3],
      extra: { name: 'n' },
      note: 'x',
      maybe: 'm',
    });
  });

  it('sends null for an empty `T | null` also when the browser does not check', () => {
    const { inputs } = collectInputs(nullableFields, initialRawValues(nullableFields), { check: false });
    assert.equal(inputs['label'], null);
    assert.equal('note' in inputs, false);
  });
});

describe('booleans', () => {
  const booleanFields = fieldsFromSchema({
    type: 'object',
    properties: {
      required: { type: 'boolean' },
      checked: { type: 'boolean', default: true },
      optional: { type: 'boolean' },
      nullDefault: { type: ['boolean', 'null'], default: null },
      falseDefault: { type: ['boolean', 'null'], default: false },
    },
    required: ['required'],
  } as unknown as Schema);

  it('starts a checkbox at its default, a tri-state at its default or "not set", a Yes/No at nothing', () => {
    assert.deepEqual(
      booleanFields.map((f) => f.kind),
      [FieldKind.yesNo, FieldKind.boolean, FieldKind.tristate, FieldKind.tristate, FieldKind.tristate],
    );
    assert.deepEqual(initialRawValues(booleanFields), {
      '/required': '',
      '/checked': 'true',
      '/optional': '',
      '/nullDefault': '',
      '/falseDefault': 'false',
    });
  });

  it('refuses to submit until a required Yes/No is chosen, saying so', () => {
    assert.deepEqual(collectInputs(booleanFields, initialRawValues(booleanFields)).errors, [
      { path: '/required', message: 'Choose Yes or No.' },
    ]);
  });

  it('sends what was chosen, and "not set" as null where the type admits it, else nothing', () => {
    const { inputs, errors } = collectInputs(booleanFields, {
      ...initialRawValues(booleanFields),
      '/required': 'false',
      '/falseDefault': '',
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(inputs, { required: false, checked: true, nullDefault: null, falseDefault: null });
    const chosen = collectInputs(booleanFields, {
      '/required': 'true',
      '/checked': 'false',
      '/optional': 'false',
      '/nullDefault': 'true',
      '/falseDefault': 'true',
    });
    assert.deepEqual(chosen.inputs, {
      required: true,
      checked: false,
      optional: false,
      nullDefault: true,
      falseDefault: true,
    });
  });
});
