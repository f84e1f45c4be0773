import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkStorableInput,
  jsonSafe,
  toStorableOutput,
} from '../../../server/executions/storable-output.js';
import { OutputNotSerializable, ValidationError } from '../../../server/errors.js';
import { isWellFormed } from '../../../server/well-formed-text.js';

describe('toStorableOutput', () => {
  it('keeps what JSON keeps, with Dates as ISO strings and void as null', () => {
    class Report {
      constructor(
        readonly id: number,
        readonly tags: string[],
      ) {}
    }
    const value = {
      at: new Date('2026-01-02T03:04:05.006Z'),
      report: new Report(3, ['a']),
      url: new URL('https://example.org/x'),
      skipped: undefined,
      nested: [{ n: null, ok: true }],
    };
    assert.deepEqual(toStorableOutput(value), {
      at: '2026-01-02T03:04:05.006Z',
      report: { id: 3, tags: ['a'] },
      url: 'https://example.org/x',
      nested: [{ n: null, ok: true }],
    });
    assert.equal(toStorableOutput(undefined), null);
    const shared = { x: 1 };
    assert.deepEqual(
      toStorableOutput([shared, shared]),
      [{ x: 1 }, { x: 1 }],
      'a repeated object is not a cycle',
    );
  });

  it('refuses values JSON would change or drop, saying where and keeping a string form', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: Array<[unknown, string, RegExp]> = [
      [{ n: NaN }, '/n', /NaN is not a JSON number/],
      [{ list: [1, Infinity] }, '/list/1', /Infinity/],
      [10n, '', /bigint/],
      [{ m: new Map([['k', 1]]) }, '/m', /Map has no JSON form/],
      [{ s: new Set([1]) }, '/s', /Set has no JSON form/],
      [{ f: () => 1 }, '/f', /function has no JSON form/],
      [[undefined], '/0', /undefined has no JSON form/],
      [{ d: new Date('nope') }, '/d', /invalid Date/],
      [{ e: new Error('x') }, '/e', /Error has no JSON form/],
      [{ b: new Uint8Array(2) }, '/b', /Uint8Array has no JSON form/],
      [cyclic, '/self', /cycle/],
      [{ deep: ['ok', 'x\ud800'] }, '/deep/1', /lone surrogate/],
      [{ ['k\udc00']: 1 }, '/k\ufffd', /property name with a lone surrogate/],
    ];
    for (const [value, path, reason] of cases) {
      assert.throws(
        () => toStorableOutput(value),
        (err: unknown) => {
          assert.ok(err instanceof OutputNotSerializable, String(err));
          assert.equal(err.details.path, path);
          assert.match(String(err.details.reason), reason);
          assert.equal(typeof err.details.value, 'string');
          for (const text of [err.message, err.details.path, err.details.value])
            assert.ok(isWellFormed(String(text)), 'the error itself is storable');
          return true;
        },
      );
    }
  });

  it('keeps surrogate pairs', () => {
    assert.deepEqual(toStorableOutput({ '😀': '\ud83d\ude00' }), { '😀': '😀' });
  });
});

describe('jsonSafe', () => {
  it('shows lone surrogates as U+FFFD instead of dropping the value', () => {
    assert.deepEqual(jsonSafe({ ['k\ud800']: ['x\udfff'] }), { 'k\ufffd': ['x\ufffd'] });
  });
});

describe('checkStorableInput', () => {
  it('returns an input JSON keeps, and refuses one it would change, naming the pointer', () => {
    const input = { a: 1, b: ['x'], c: { d: null } };
    assert.equal(checkStorableInput(input), input);
    for (const [value, path] of [
      [{ a: 'x\ud800' }, '/a'],
      [{ a: { ['\udfff']: 1 } }, '/a/\ufffd'],
      [{ n: Infinity }, '/n'],
      [{ l: [1, NaN] }, '/l/1'],
    ] as const) {
      assert.throws(
        () => checkStorableInput(value),
        (err: unknown) => {
          assert.ok(err instanceof ValidationError, String(err));
          assert.equal(err.details.errors[0]!.path, path);
          assert.equal(err.details.errors[0]!.keyword, 'json');
          return true;
        },
      );
    }
  });
});
