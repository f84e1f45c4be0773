import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateManifest } from '../../../schema-gen/generate-manifest.js';
import type { Manifest, Schema } from '../../../manifest/manifest.js';
import { fieldsFromSchema, FieldKind, words, type Field } from '../../../elements/internal/schema-fields.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

describe('fieldsFromSchema', () => {
  let manifest: Manifest;
  let fields: Map<string, Field>;
  before(() => {
    // The real manifest of the browser tests' functions, so the mapping is checked against what schema-gen writes.
    manifest = generateManifest({ entry: path.join(fixtures, 'functions.ts'), baseDir: fixtures });
    fields = new Map(fieldsFromSchema(manifest.functions['echo']!.params).map((f) => [f.name, f]));
  });

  it('keeps parameter order and marks required parameters', () => {
    assert.deepEqual(
      [...fields.keys()],
      [
        'name',
        'count',
        'ratio',
        'notes',
        'apiKey',
        'when',
        'flowcell',
        'confirm',
        'notify',
        'sampleIds',
        'sizes',
        'options',
        'code',
      ],
    );
    assert.deepEqual(
      [...fields.values()].filter((f) => f.required).map((f) => f.name),
      ['name', 'count'],
    );
  });

  it('gives every schema keyword its widget', () => {
    const kinds = Object.fromEntries([...fields].map(([name, f]) => [name, f.kind]));
    assert.deepEqual(kinds, {
      name: FieldKind.text,
      count: FieldKind.integer,
      ratio: FieldKind.number,
      notes: FieldKind.textarea,
      apiKey: FieldKind.password,
      when: FieldKind.dateTime,
      flowcell: FieldKind.choice,
      confirm: FieldKind.boolean,
      notify: FieldKind.tristate,
      sampleIds: FieldKind.lines,
      sizes: FieldKind.list,
      options: FieldKind.object,
      code: FieldKind.text,
    });
  });

  it('carries labels, help, defaults and constraints', () => {
    const count = fields.get('count')!;
    assert.equal(count.label, 'Count');
    assert.equal(count.help, 'How many samples.');
    assert.deepEqual(count.constraints, { minimum: 1, maximum: 10 });
    assert.equal(fields.get('ratio')!.default, 0.5);
    assert.equal(fields.get('apiKey')!.label, 'Api key');
    assert.deepEqual(fields.get('name')!.constraints, { minLength: 2 });
    assert.equal(fields.get('code')!.constraints.pattern, '^[A-Z]{2}-\\d+$');
    assert.deepEqual(fields.get('flowcell')!.options, [
      { value: 'IPS', label: 'IPS' },
      { value: 'HISEQ', label: 'HISEQ' },
    ]);
  });

  it('nests object fields under their parent path and gives lists an item field', () => {
    const options = fields.get('options')!;
    assert.deepEqual(
      options.fields!.map((f) => [f.path, f.kind, f.required]),
      [
        ['/options/depth', FieldKind.integer, true],
        ['/options/label', FieldKind.text, false],
      ],
    );
    assert.equal(fields.get('sizes')!.item!.kind, FieldKind.integer);
    assert.notEqual(options.fields![0]!.id, fields.get('count')!.id);
  });

  it('resolves $ref, drops a null alternative and uses enum labels', () => {
    const schema = {
      type: 'object',
      properties: {
        level: { $ref: '#/definitions/Level', description: 'How loud.' },
        note: { anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] },
        flag: { type: ['boolean', 'null'] },
        anything: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
      definitions: { Level: { type: 'integer', enum: [1, 2], 'x-turtle-enum-labels': ['Low', 'High'] } },
    } as unknown as Schema;
    const [level, note, flag, anything] = fieldsFromSchema(schema);
    assert.equal(level!.kind, FieldKind.choice);
    assert.equal(level!.help, 'How loud.');
    assert.deepEqual(level!.options, [
      { value: 1, label: 'Low' },
      { value: 2, label: 'High' },
    ]);
    assert.equal(note!.kind, FieldKind.text);
    assert.equal(note!.constraints.maxLength, 3);
    assert.equal(flag!.kind, FieldKind.tristate);
    assert.equal(anything!.kind, FieldKind.json);
  });
});

describe('words', () => {
  it('turns camelCase, snake_case and acronyms into a label', () => {
    assert.equal(words('sampleIdsList'), 'Sample ids list');
    assert.equal(words('flowcell_barcodes_list'), 'Flowcell barcodes list');
    assert.equal(words('sendHTMLReport'), 'Send html report');
  });
});

describe("fieldsFromSchema on django-turtle-shell's form test cases", () => {
  let byName: Map<string, Field>;
  before(() => {
    // test/schema-gen/fixtures/lib/django-example.ts, registered by the browser tests' functions.
    const manifest = generateManifest({ entry: path.join(fixtures, 'functions.ts'), baseDir: fixtures });
    byName = new Map(
      ['example_func', 'convert_args']
        .flatMap((fn) => fieldsFromSchema(manifest.functions[fn]!.params))
        .map((f) => [f.name, f]),
    );
  });
  const summary = (name: string) => {
    const f = byName.get(name)!;
    return { kind: f.kind, required: f.required, default: f.default, whenEmpty: f.whenEmpty };
  };

  it('makes example_func the form the original expects, booleans by what they admit', () => {
    const expected: Record<string, [FieldKind, boolean, unknown]> = {
      int_arg: [FieldKind.integer, true, undefined],
      int_arg_with_default: [FieldKind.integer, false, 5],
      bool_arg_default_true: [FieldKind.boolean, false, true],
      bool_arg_default_false: [FieldKind.boolean, false, false],
      // Required and without a default: Yes or No, chosen by the person (a checkbox would send false unseen).
      bool_arg_no_default: [FieldKind.yesNo, true, undefined],
      str_arg: [FieldKind.text, true, undefined],
      str_arg_with_default: [FieldKind.text, false, 'whatever'],
      text_arg: [FieldKind.textarea, true, undefined],
      text_arg_with_default: [FieldKind.textarea, false, 'something'],
      enum_auto: [FieldKind.choice, true, undefined],
      enum_auto_not_required: [FieldKind.choice, false, null],
      enum_auto_with_default: [FieldKind.choice, false, 2],
      enum_str: [FieldKind.choice, true, undefined],
      enum_str_with_default: [FieldKind.choice, false, 'is_apple'],
      undocumented_arg: [FieldKind.text, false, null],
    };
    for (const [name, [kind, required, fallback]] of Object.entries(expected)) {
      assert.deepEqual(
        [summary(name).kind, summary(name).required, summary(name).default],
        [kind, required, fallback],
        name,
      );
    }
    assert.deepEqual(
      byName.get('enum_auto_not_required')!.options!.map((o) => o.label),
      ['red', 'green', 'yellow'],
    );
  });

  it('converts the arguments of test_convert_arg: NullBooleanField is a tri-state, BooleanField a checkbox or a Yes/No', () => {
    assert.deepEqual(summary('int'), {
      kind: FieldKind.integer,
      required: true,
      default: undefined,
      whenEmpty: 'omit',
    });
    assert.deepEqual(summary('int_none_default_not_required'), {
      kind: FieldKind.integer,
      required: false,
      default: null,
      whenEmpty: 'null',
    });
    assert.deepEqual(summary('int_default'), {
      kind: FieldKind.integer,
      required: false,
      default: -1,
      whenEmpty: 'omit',
    });
    assert.deepEqual(summary('str_doc_falsey'), {
      kind: FieldKind.text,
      required: false,
      default: '',
      whenEmpty: 'omit',
    });
    assert.deepEqual(summary('bool_default_none'), {
      kind: FieldKind.tristate,
      required: false,
      default: null,
      whenEmpty: 'null',
    });
    assert.deepEqual(summary('bool_falsey'), {
      kind: FieldKind.boolean,
      required: false,
      default: false,
      whenEmpty: 'omit',
    });
    assert.deepEqual(summary('bool_truthy'), {
      kind: FieldKind.boolean,
      required: false,
      default: true,
      whenEmpty: 'omit',
    });
    assert.deepEqual(summary('bool_required'), {
      kind: FieldKind.yesNo,
      required: true,
      default: undefined,
      whenEmpty: 'omit',
    });
    assert.deepEqual(summary('optional_bool_true'), {
      kind: FieldKind.tristate,
      required: false,
      default: true,
      whenEmpty: 'null',
    });
    assert.deepEqual(summary('optional_bool_none'), {
      kind: FieldKind.tristate,
      required: false,
      default: null,
      whenEmpty: 'null',
    });
    assert.deepEqual(summary('enum_auto_default'), {
      kind: FieldKind.choice,
      required: false,
      default: 2,
      whenEmpty: 'omit',
    });
    assert.equal(byName.get('str_doc')!.help, 'some doc');
  });
});
