/** `describeOutput`: a result laid out by its declared return type, and by its shape where the type is open. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Schema } from '../../../manifest/manifest.js';
import { describeOutput, type OutputView } from '../../../elements/internal/output-view.js';

const number = (value: number): OutputView => ({
  kind: 'number',
  value,
  text: new Intl.NumberFormat(undefined, { maximumFractionDigits: 6 }).format(value),
});
const text = (t: string): OutputView => ({ kind: 'text', text: t });
const schema = (s: unknown) => s as Schema;

const colour = { type: 'number', enum: [1, 2, 3], 'x-turtle-enum-labels': ['Red', 'Green', 'Blue'] };

describe('describeOutput by the declared type', () => {
  it('lays an array of records out as a table: declared columns in schema order, titled, described', () => {
    const returns = schema({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sampleId: { type: 'string', title: 'Sample', description: 'The id in the lab.' },
          reads: { type: 'number', description: 'In millions.' },
          lane: { type: 'integer' },
        },
      },
    });
    // Keys in another order, a declared column missing everywhere, an undeclared one kept as it is.
    const view = describeOutput(
      [
        { reads: 1234.5, sampleId: 'S1', extra_key: true },
        { sampleId: 'S2', reads: 9 },
      ],
      returns,
    );
    assert.deepEqual(view, {
      kind: 'table',
      columns: [
        { key: 'sampleId', label: 'Sample', description: 'The id in the lab.' },
        { key: 'reads', label: 'Reads', description: 'In millions.' },
        { key: 'lane', label: 'Lane' },
        { key: 'extra_key', label: 'extra_key' },
      ],
      rows: [
        [text('S1'), number(1234.5), { kind: 'empty' }, { kind: 'boolean', value: true, text: 'Yes' }],
        [text('S2'), number(9), { kind: 'empty' }, { kind: 'empty' }],
      ],
    });
  });

  it('lays nested objects out as labelled key/value groups, only the keys they have', () => {
    const returns = schema({
      type: 'object',
      properties: {
        run: { type: 'string', description: 'The sequencing run.' },
        summary: {
          type: 'object',
          properties: {
            totalReads: { type: 'number', title: 'Total reads (M)' },
            passed: { type: 'boolean' },
          },
        },
        missing: { type: 'string' },
      },
    });
    assert.deepEqual(describeOutput({ summary: { passed: false, totalReads: 12 }, run: 'R1' }, returns), {
      kind: 'record',
      entries: [
        { key: 'run', label: 'Run', description: 'The sequencing run.', value: text('R1') },
        {
          key: 'summary',
          label: 'Summary',
          value: {
            kind: 'record',
            entries: [
              { key: 'totalReads', label: 'Total reads (M)', value: number(12) },
              { key: 'passed', label: 'Passed', value: { kind: 'boolean', value: false, text: 'No' } },
            ],
          },
        },
      ],
    });
  });

  it('shows enum values by their labels, through nullable, $ref, arrays and additionalProperties', () => {
    const returns = schema({
      type: 'object',
      properties: {
        colour,
        maybe: { anyOf: [{ $ref: '#/definitions/Colour' }, { type: 'null' }] },
        palette: { type: 'array', items: { $ref: '#/definitions/Colour' } },
        byName: { type: 'object', additionalProperties: colour },
      },
      definitions: { Colour: colour },
    });
    const view = describeOutput({ colour: 1, maybe: 3, palette: [2, 9], byName: { a: 3 } }, returns);
    const values = view.kind === 'record' ? view.entries.map((e) => e.value) : [];
    assert.deepEqual(values, [
      { kind: 'enum', value: 1, text: 'Red' },
      { kind: 'enum', value: 3, text: 'Blue' },
      { kind: 'list', items: [{ kind: 'enum', value: 2, text: 'Green' }, number(9)] },
      {
        kind: 'record',
        entries: [{ key: 'a', label: 'a', value: { kind: 'enum', value: 3, text: 'Blue' } }],
      },
    ]);
  });

  it('masks secrets (writeOnly, the password widget)', () => {
    const returns = schema({
      type: 'object',
      properties: {
        token: { type: 'string', writeOnly: true },
        pin: { type: 'string', 'x-turtle-widget': 'password' },
      },
    });
    const view = describeOutput({ token: 'sup3r', pin: '1234' }, returns);
    assert.deepEqual(view.kind === 'record' && view.entries.map((e) => e.value), [
      { kind: 'secret' },
      { kind: 'secret' },
    ]);
    assert.doesNotMatch(JSON.stringify(view), /sup3r|1234/);
  });

  it('links http(s) URLs, declared `uri` or not, and never another scheme', () => {
    const uri = schema({ type: 'string', format: 'uri' });
    assert.deepEqual(describeOutput('https://example.org/a b', uri), text('https://example.org/a b'));
    assert.deepEqual(describeOutput('https://example.org/x?y=1', uri), {
      kind: 'link',
      href: 'https://example.org/x?y=1',
      text: 'https://example.org/x?y=1',
    });
    assert.equal(describeOutput('HTTP://example.org').kind, 'link', 'an open string that is a URL');
    for (const unsafe of ['javascript:alert(1)', 'JavaScript://%0aalert(1)', 'data:text/html,x', 'ftp://x']) {
      assert.deepEqual(describeOutput(unsafe, uri), text(unsafe), unsafe);
      assert.deepEqual(describeOutput(unsafe), text(unsafe), unsafe);
    }
  });

  it('shows date-time and date strings in the user’s locale, keeping the exact value', () => {
    const iso = '2026-01-02T12:30:00.000Z';
    assert.deepEqual(describeOutput(iso, schema({ type: 'string', format: 'date-time' })), {
      kind: 'date',
      iso,
      text: new Date(iso).toLocaleString(),
    });
    // A day is that day wherever the user is.
    assert.deepEqual(describeOutput('2026-01-02', schema({ type: 'string', format: 'date' })), {
      kind: 'date',
      iso: '2026-01-02',
      text: new Date(Date.UTC(2026, 0, 2)).toLocaleDateString(undefined, { timeZone: 'UTC' }),
    });
    // Undeclared, or not a date after all: text.
    assert.deepEqual(describeOutput(iso), text(iso));
    assert.deepEqual(describeOutput('soon', schema({ type: 'string', format: 'date-time' })), text('soon'));
  });

  it('formats numbers in the user’s locale, integers without decimals, booleans as Yes/No', () => {
    assert.deepEqual(describeOutput(1234567, schema({ type: 'integer' })), number(1234567));
    assert.deepEqual(describeOutput(1234.5, schema({ type: 'number' })), number(1234.5));
    assert.deepEqual(describeOutput(0.125), number(0.125), 'open: a number all the same');
    assert.deepEqual(describeOutput(3, schema({ type: 'integer' })), { kind: 'number', value: 3, text: '3' });
    assert.deepEqual(describeOutput(true, schema({ type: 'boolean' })), {
      kind: 'boolean',
      value: true,
      text: 'Yes',
    });
  });

  it('puts long or multi-line text in a block', () => {
    assert.equal(describeOutput('x'.repeat(201)).kind, 'long-text');
    assert.equal(describeOutput('a\nb').kind, 'long-text');
    assert.equal(describeOutput('x'.repeat(200)).kind, 'text');
  });

  it('keeps markup as text (the renderer never parses it)', () => {
    assert.deepEqual(describeOutput('<img src=x onerror=alert(1)>'), text('<img src=x onerror=alert(1)>'));
  });
});

describe("describeOutput of a run's inputs, by its version's parameters", () => {
  it('labels them in the parameters’ order, enums by label, secrets masked, keys it does not name last', () => {
    const params = schema({
      type: 'object',
      properties: {
        sampleId: { type: 'string', title: 'Sample' },
        colour: { type: 'string', enum: ['r', 'g'], 'x-turtle-enum-labels': ['Red', 'Green'] },
        dryRun: { type: 'boolean' },
        password: { type: 'string', writeOnly: true },
      },
    });
    const view = describeOutput(
      { extra: 1, password: 'p', dryRun: false, colour: 'g', sampleId: 'S1' },
      params,
    );
    assert.equal(view.kind, 'record');
    assert.deepEqual(view.kind === 'record' && view.entries.map((e) => [e.label, e.value]), [
      ['Sample', text('S1')],
      ['Colour', { kind: 'enum', value: 'g', text: 'Green' }],
      ['Dry run', { kind: 'boolean', value: false, text: 'No' }],
      ['Password', { kind: 'secret' }],
      ['extra', number(1)],
    ]);
  });
});

describe('describeOutput where the type is open or not met', () => {
  it('lays out by shape: records → table (every key a column), objects → entries, scalars', () => {
    assert.deepEqual(
      describeOutput(
        [
          { id: 1, ok: true },
          { id: 2, note: '<b>x</b>' },
        ],
        schema({}),
      ),
      {
        kind: 'table',
        columns: [
          { key: 'id', label: 'id' },
          { key: 'ok', label: 'ok' },
          { key: 'note', label: 'note' },
        ],
        rows: [
          [number(1), { kind: 'boolean', value: true, text: 'Yes' }, { kind: 'empty' }],
          [number(2), { kind: 'empty' }, text('<b>x</b>')],
        ],
      },
    );
    assert.deepEqual(describeOutput({ count: 2, tags: ['a'], none: null }), {
      kind: 'record',
      entries: [
        { key: 'count', label: 'count', value: number(2) },
        { key: 'tags', label: 'tags', value: { kind: 'list', items: [text('a')] } },
        { key: 'none', label: 'none', value: { kind: 'empty' } },
      ],
    });
    assert.deepEqual(describeOutput(null), { kind: 'empty' });
    assert.equal(describeOutput([1, { a: 1 }]).kind, 'list');
  });

  it('falls back to the shape when the value does not fit its declared type', () => {
    // Declared a number, sent a record (an old run, a lying type): still readable.
    assert.deepEqual(describeOutput({ a: 1 }, schema({ type: 'number' })), {
      kind: 'record',
      entries: [{ key: 'a', label: 'a', value: number(1) }],
    });
    assert.deepEqual(
      describeOutput('7', schema({ anyOf: [{ type: 'number' }, { type: 'null' }] })),
      text('7'),
    );
  });

  it('shows values nested too deep as JSON text instead of recursing', () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { deeper: deep };
    let view = describeOutput(deep);
    let depth = 0;
    while (view.kind === 'record') {
      view = view.entries[0]!.value;
      depth++;
    }
    assert.equal(depth, 8);
    assert.equal(view.kind, 'text');
    assert.match((view as { text: string }).text, /^\{"deeper":/);
    // A cyclic schema is bounded the same way.
    const cyclic = schema({
      $ref: '#/definitions/Node',
      definitions: { Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' } } } },
    });
    let chain: unknown = {};
    for (let i = 0; i < 50; i++) chain = { next: chain };
    assert.doesNotThrow(() => describeOutput(chain, cyclic));
  });
});
