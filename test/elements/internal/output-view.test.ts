import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeOutput } from '../../../elements/internal/output-view.js';

describe('describeOutput', () => {
  it('lays an array of records out as a table with every key as a column', () => {
    assert.deepEqual(
      describeOutput([
        { id: 1, ok: true },
        { id: 2, note: '<b>x</b>' },
      ]),
      {
        kind: 'table',
        columns: ['id', 'ok', 'note'],
        rows: [
          [{ kind: 'text', text: '1' }, { kind: 'text', text: 'true' }, { kind: 'empty' }],
          [{ kind: 'text', text: '2' }, { kind: 'empty' }, { kind: 'text', text: '<b>x</b>' }],
        ],
      },
    );
  });

  it('lays an object out as key/value entries, nesting values', () => {
    assert.deepEqual(describeOutput({ count: 2, tags: ['a'], none: null }), {
      kind: 'record',
      entries: [
        { key: 'count', value: { kind: 'text', text: '2' } },
        { key: 'tags', value: { kind: 'list', items: [{ kind: 'text', text: 'a' }] } },
        { key: 'none', value: { kind: 'empty' } },
      ],
    });
  });

  it('shows scalars as text and nothing as empty', () => {
    assert.deepEqual(describeOutput('done'), { kind: 'text', text: 'done' });
    assert.deepEqual(describeOutput(false), { kind: 'text', text: 'false' });
    assert.deepEqual(describeOutput(null), { kind: 'empty' });
    assert.deepEqual(describeOutput([1, { a: 1 }]).kind, 'list');
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
  });
});
