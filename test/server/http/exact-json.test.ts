/**
 * `parseExactJson`: what `JSON.stringify` writes is read back exactly (by the fast path or the
 * checked one alike), and a number is refused exactly when JavaScript would not hold it as written.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ValidationError } from '../../../server/errors.js';
import { BodyTooDeep } from '../../../server/http/http-errors.js';
import { parseExactJson } from '../../../server/http/exact-json.js';
import { toWellFormed } from '../../../server/well-formed-text.js';

const refusedReason = (text: string): string | undefined => {
  try {
    parseExactJson(text, 64);
    return undefined;
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return (err.details.errors[0]!.params as { reason: string }).reason;
  }
};

describe('parseExactJson', () => {
  test('anything JSON.stringify writes from JSON data is read back as JSON.parse reads it', () => {
    // Doubles JSON.stringify writes as integer literals past 2^53 (2**60 is "1152921504606846976") are refused by design.
    const number = fc.oneof(
      fc.maxSafeInteger(),
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((d) => Number.isSafeInteger(d) || !Number.isInteger(d) || Math.abs(d) >= 1e21),
    );
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }).map(toWellFormed),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        number,
        text,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 5 }),
        fc.dictionary(text, tie('value'), { maxKeys: 5 }),
      ),
    }));
    const data = fc.oneof(fc.array(value, { maxLength: 5 }), fc.dictionary(text, value, { maxKeys: 5 }));
    fc.assert(
      fc.property(data, (value) => {
        const text = JSON.stringify(value);
        if (text.includes('"__proto__"')) return;
        assert.deepEqual(parseExactJson(text, 64), JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('a number literal is refused exactly when Number() would not hold it as written', () => {
    const literal = fc.oneof(
      fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
      fc
        .tuple(fc.integer({ min: -9, max: 9 }), fc.nat(99_999), fc.integer({ min: -400, max: 400 }))
        .map(([m, f, e]) => `${m}.${f}e${e}`),
      fc.tuple(fc.nat(400), fc.nat(9)).map(([zeros, d]) => `0.${'0'.repeat(zeros)}${d}`),
      fc.tuple(fc.nat(400), fc.nat(9)).map(([n, d]) => `${'9'.repeat(n + 1)}.${d}`),
    );
    fc.assert(
      fc.property(literal, (text) => {
        const value = Number(text);
        const expected = !Number.isFinite(value)
          ? 'overflow'
          : /^-?\d+$/.test(text) && !Number.isSafeInteger(value)
            ? 'unsafe-integer'
            : value === 0 && /[1-9]/.test(text.split('e')[0]!)
              ? 'underflow'
              : undefined;
        assert.equal(refusedReason(`{"n": ${text}}`), expected, text);
        // Also inside a body the fast path would take but for this literal.
        assert.equal(refusedReason(`[1, "x", {"n": [${text}]}]`), expected, text);
      }),
      { numRuns: 3000 },
    );
  });

  test('nesting past maxDepth is BodyTooDeep, counted outside strings', () => {
    assert.throws(() => parseExactJson(`${'['.repeat(65)}${']'.repeat(65)}`, 64), BodyTooDeep);
    assert.deepEqual(parseExactJson(`{"a": "${'['.repeat(100)}"}`, 64), { a: '['.repeat(100) });
    assert.throws(() => parseExactJson('['.repeat(1_000_000), 64), BodyTooDeep);
  });

  test('a repeated property name keeps its last value on both paths', () => {
    assert.deepEqual(parseExactJson('{"a": 1, "a": 2}', 64), { a: 2 });
    assert.deepEqual(parseExactJson('{"a": 1, "a": 2, "b": 1e5}', 64), { a: 2, b: 1e5 });
  });
});
