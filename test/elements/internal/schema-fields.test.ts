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
    assert.deepEqual([...fields.keys()], ['name', 'count', 'ratio', 'notes', 'apiKey', 'when', 'flowcell', 'confirm', 'notify', 'sampleIds', 'sizes', 'options', 'code']);
    assert.deepEqual([...fields.values()].filter((f) => f.required).map((f) => f.name), ['name', 'count']);
  });

  it('gives every schema keyword its widget', () => {
    const kinds = Object.fromEntries([...fields].map(([name, f]) => [name, f.kind]));
    assert.deepEqual(kinds, {
      name: FieldKind.text, count: FieldKind.integer, ratio: FieldKind.number, notes: FieldKind.textarea,
      apiKey: FieldKind.password, when: FieldKind.dateTime, flowcell: FieldKind.choice, confirm: FieldKind.boolean,
      notify: FieldKind.tristate, sampleIds: FieldKind.lines, sizes: FieldKind.list, options: FieldKind.object,
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
    assert.deepEqual(fields.get('flowcell')!.options, [{ value: 'IPS', label: 'IPS' }, { value: 'HISEQ', label: 'HISEQ' }]);
  });

  it('nests object fields under their parent path and gives lists an item field', () => {
    const options = fields.get('options')!;
    assert.deepEqual(options.fields!.map((f) => [f.path, f.kind, f.required]), [
      ['/options/depth', FieldKind.integer, true],
      ['/options/label', FieldKind.text, false],
    ]);
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
    assert.deepEqual(level!.options, [{ value: 1, label: 'Low' }, { value: 2, label: 'High' }]);
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
