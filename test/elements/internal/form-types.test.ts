import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Schema } from '../../../manifest/manifest.js';
import {
  fieldsFromSchema,
  FieldKind,
  rowField,
  type Field,
} from '../../../elements/internal/schema-fields.js';
import {
  addRow,
  collectInputs,
  errorsByPath,
  initialRawValues,
  moveRow,
  removeRow,
  toLocalTime,
  utcOffset,
  writeRawValue,
  type RawValues,
} from '../../../elements/internal/form-values.js';

// The shapes schema-gen writes for test/schema-gen/fixtures/form-types.ts.
const COLOUR = { type: 'number', enum: [1, 2, 3], 'x-turtle-enum-labels': ['Red', 'Green', 'Blue'] };
const params = {
  type: 'object',
  properties: {
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    extra: { type: 'object', additionalProperties: {}, default: {} },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    flags: { type: 'object', additionalProperties: { type: 'boolean' } },
    colours: { type: 'array', items: COLOUR, default: [1] },
    samples: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          count: { type: 'integer', minimum: 0 },
          owner: { type: 'string', format: 'email' },
        },
        required: ['id'],
        additionalProperties: false,
      },
    },
    site: { type: 'string', format: 'uri' },
    day: { type: 'string', format: 'date' },
    at: { type: ['string', 'null'], format: 'time', default: null },
    level: { type: 'integer', minimum: 0, maximum: 10, 'x-turtle-widget': 'range', default: 5 },
    colour: { ...COLOUR, 'x-turtle-widget': 'radio' },
    source: { type: 'string', default: 'form', 'x-turtle-widget': 'hidden' },
    note: { type: 'string', 'x-turtle-widget': 'text', 'x-turtle-placeholder': 'One line' },
  },
  required: ['labels', 'colour'],
  additionalProperties: false,
} as unknown as Schema;
const fields = fieldsFromSchema(params);
const byName = (name: string): Field => fields.find((f) => f.name === name)!;

describe('fieldsFromSchema: records, enum arrays, object arrays, formats and widgets', () => {
  it('gives each its kind, widget and placeholder', () => {
    const kinds = Object.fromEntries(fields.map((f) => [f.name, [f.kind, f.widget]]));
    assert.deepEqual(kinds, {
      labels: [FieldKind.record, undefined],
      extra: [FieldKind.record, undefined],
      counts: [FieldKind.record, undefined],
      flags: [FieldKind.record, undefined],
      colours: [FieldKind.multiChoice, undefined],
      samples: [FieldKind.objectList, undefined],
      site: [FieldKind.url, undefined],
      day: [FieldKind.date, undefined],
      at: [FieldKind.time, undefined],
      level: [FieldKind.integer, 'range'],
      colour: [FieldKind.choice, 'radio'],
      source: [FieldKind.text, 'hidden'],
      note: [FieldKind.text, undefined],
    });
    assert.equal(byName('note').placeholder, 'One line');
    // A record's values: one control of T; any JSON for `unknown`; a required boolean is a select, not a Yes/No pair.
    assert.equal(byName('labels').item!.kind, FieldKind.text);
    assert.equal(byName('extra').item!.kind, FieldKind.json);
    assert.equal(byName('counts').item!.kind, FieldKind.integer);
    assert.equal(byName('flags').item!.kind, FieldKind.tristate);
    assert.deepEqual(
      byName('colours').options!.map((o) => o.label),
      ['Red', 'Green', 'Blue'],
    );
  });

  it('makes row i of an object list with the JSON pointers the server uses', () => {
    const row = rowField(byName('samples'), 2);
    assert.equal(row.label, 'Samples 3');
    assert.deepEqual(
      row.fields!.map((f) => [f.path, f.id, f.required]),
      [
        ['/samples/2/id', 'field-samples-2-id', true],
        ['/samples/2/count', 'field-samples-2-count', false],
        ['/samples/2/owner', 'field-samples-2-owner', false],
      ],
    );
  });
});

describe('form values of the richer kinds', () => {
  const start = initialRawValues(fields);

  it('start from the defaults', () => {
    assert.deepEqual(start['/colours'], ['0']);
    assert.deepEqual(start['/samples'], []);
    assert.deepEqual(start['/extra'], []);
    assert.equal(start['/level'], '5');
    assert.equal(start['/source'], 'form');
    assert.equal(start['/at'], '');
  });

  it('collect ticked options in option order, records as objects, rows as objects', () => {
    let raw: RawValues = {
      ...start,
      '/labels': ['a', 'x', 'b', 'y', '', ''],
      '/colours': ['2', '0'],
      '/colour': '1',
    };
    raw = addRow(addRow(raw, byName('samples')), byName('samples'));
    raw = { ...raw, '/samples/0/id': 'S1', '/samples/1/id': 'S2', '/samples/1/count': '3' };
    raw['/extra'] = ['k', '{"deep": [1, null]}'];
    const { inputs, errors } = collectInputs(fields, raw);
    assert.deepEqual(errors, []);
    assert.deepEqual(inputs, {
      labels: { a: 'x', b: 'y' },
      extra: { k: { deep: [1, null] } },
      colours: [1, 3],
      samples: [{ id: 'S1' }, { id: 'S2', count: 3 }],
      at: null,
      level: 5,
      colour: 2,
      source: 'form',
    });
  });

  it('move and remove rows with their values', () => {
    const list = byName('samples');
    let raw = writeRawValue(list, [{ id: 'a' }, { id: 'b', count: 2 }, { id: 'c' }], { ...start });
    raw = moveRow(raw, list, 1, 0);
    assert.deepEqual(
      collectInputs(fields, { ...raw, '/labels': ['k', 'v'], '/colour': '0' }).inputs.samples,
      [{ id: 'b', count: 2 }, { id: 'a' }, { id: 'c' }],
    );
    raw = removeRow(raw, list, 0);
    assert.deepEqual(
      collectInputs(fields, { ...raw, '/labels': ['k', 'v'], '/colour': '0' }).inputs.samples,
      [{ id: 'a' }, { id: 'c' }],
    );
    assert.equal(raw['/samples/2/id'], undefined, 'nothing of the removed row is left behind');
  });

  it('refuse what the server would, each at its field', () => {
    const list = byName('samples');
    const raw = {
      ...writeRawValue(list, [{ id: '' }, { id: 'b', owner: 'not-an-address' }], { ...start }),
      '/labels': ['', 'orphan'],
      '/counts': ['n', 'x'],
      '/extra': ['k', '{nope'],
      '/colours': [],
      '/site': 'example.org',
      '/day': '2026-02-30',
      '/at': '25:00',
    };
    const errors = new Map(collectInputs(fields, raw).errors.map((e) => [e.path, e.message]));
    assert.deepEqual(Object.fromEntries(errors), {
      '/labels': 'Row 1: enter a key.',
      '/extra': 'k: Enter valid JSON.',
      '/counts': 'n: Enter a number.',
      '/samples/0/id': 'This field is required.',
      '/samples/1/owner': 'Enter an email address.',
      '/site': 'Enter a URL (https://…).',
      '/day': 'Enter a date (YYYY-MM-DD).',
      '/at': 'Enter a time (HH:MM).',
      '/colour': 'This field is required.',
    });
    // Duplicate keys are refused; an optional checkbox group left empty is left out.
    assert.deepEqual(collectInputs(fields, { ...start, '/labels': ['a', '1', 'a', '2'] }).errors[0], {
      path: '/labels',
      message: 'Row 2: the key "a" is given twice.',
    });
    assert.equal('colours' in collectInputs(fields, { ...start, '/colours': [] }).inputs, false);
  });

  it('send a time with the browser offset, and show one in local time', () => {
    const raw = { ...start, '/labels': ['k', 'v'], '/colour': '0', '/at': '09:30' };
    assert.equal(collectInputs(fields, raw).inputs.at, `09:30:00${utcOffset(new Date())}`);
    assert.equal(toLocalTime(`09:30:00${utcOffset(new Date())}`), '09:30');
    assert.equal(toLocalTime('07:05:09'), '07:05:09');
    assert.equal(toLocalTime('later'), '');
  });

  it('put server errors of a row at the row field, of a record at the record', () => {
    const byPath = errorsByPath(
      [
        { path: '/samples/1/owner', message: 'must match format "email"' },
        { path: '/samples/0', message: "must have required property 'id'" },
        { path: '/labels/a b', message: 'must be string' },
      ],
      fields,
    );
    assert.deepEqual(Object.fromEntries(byPath), {
      '/samples/1/owner': ['must match format "email"'],
      '/samples/0/id': ["must have required property 'id'"],
      '/labels': ['must be string'],
    });
  });
});
