import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaGenErrors, type SchemaGenError } from '../../schema-gen/errors.js';
import { generateManifest } from '../../schema-gen/generate-manifest.js';
import { fixtureErrors } from './fixtures.js';

const FILE = 'test/schema-gen/fixtures/errors/many-errors.ts';

describe('schema-gen errors', () => {
  let errors: readonly SchemaGenError[];
  before(() => {
    errors = fixtureErrors('errors/many-errors.ts');
  });

  /** The one error reported at `line` of many-errors.ts with `type` (fails unless exactly one). */
  const at = (line: number, type: string, index = 0): SchemaGenError => {
    const found = errors.filter((e) => e.details.line === line && e.type === type);
    assert.ok(
      found[index],
      `a ${type} error at line ${line}; got:\n${errors.map((e) => `${e.type} ${e.message}`).join('\n')}`,
    );
    return found[index];
  };

  /** The message names file:line, function, parameter and type text, and details carry them too. */
  const assertNames = (
    error: SchemaGenError,
    expected: { line: number; function?: string; parameter?: string; typeText?: string },
  ) => {
    assert.equal(error.details.file, FILE);
    assert.ok(error.message.startsWith(`${FILE}:${expected.line}: `), error.message);
    for (const key of ['function', 'parameter', 'typeText'] as const) {
      if (expected[key] === undefined) continue;
      assert.equal(error.details[key], expected[key], `${key} of: ${error.message}`);
      assert.ok(error.message.includes(expected[key]), `${error.message} mentions ${expected[key]}`);
    }
  };

  it('reports every error of the module at once, in source order', () => {
    assert.equal(errors.length, 23);
    const lines = errors.map((e) => e.details.line ?? 0);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
    assert.ok(errors.every((e) => e.details.file === FILE));
  });

  it('refuses function, symbol, generic, any, unknown, bigint and rest parameters as UnsupportedType', () => {
    assertNames(at(4, 'UnsupportedType'), {
      line: 4,
      function: 'takesCallback',
      parameter: 'cb',
      typeText: '() => void',
    });
    assertNames(at(5, 'UnsupportedType'), {
      line: 5,
      function: 'takesSymbol',
      parameter: 'key',
      typeText: 'symbol',
    });
    assertNames(at(6, 'UnsupportedType'), {
      line: 6,
      function: 'generic',
      parameter: 'value',
      typeText: 'T',
    });
    assertNames(at(7, 'UnsupportedType'), {
      line: 7,
      function: 'takesAny',
      parameter: 'value',
      typeText: 'any',
    });
    assertNames(at(8, 'UnsupportedType'), {
      line: 8,
      function: 'takesUnknown',
      parameter: 'value',
      typeText: 'unknown',
    });
    assertNames(at(10, 'UnsupportedType'), {
      line: 10,
      function: 'takesBigint',
      parameter: 'big',
      typeText: 'bigint',
    });
    assertNames(at(11, 'UnsupportedType'), { line: 11, function: 'restParams', parameter: 'values' });
  });

  it('names the nested property path of an unsupported type inside an object', () => {
    assertNames(at(9, 'UnsupportedType'), {
      line: 9,
      function: 'nestedFunction',
      parameter: 'config.handler',
      typeText: '(x: number) => void',
    });
  });

  it('refuses an unsupported return type', () => {
    assertNames(at(12, 'UnsupportedType'), {
      line: 12,
      function: 'returnsFunction',
      parameter: '(return)',
      typeText: '() => void',
    });
  });

  it('refuses recursive types (a form would be infinite)', () => {
    assertNames(at(48, 'UnsupportedType'), {
      line: 48,
      function: 'recursive',
      parameter: 'tree',
      typeText: 'Tree',
    });
  });

  it('refuses an overloaded function (a form needs one signature) as NotAFunction', () => {
    const error = at(53, 'NotAFunction');
    assertNames(error, { line: 53, function: 'overloaded' });
    assert.match(error.message, /overloaded/);
  });

  it('reports unusable JSDoc tags as InvalidTag', () => {
    assertNames(at(15, 'InvalidTag'), { line: 15, function: 'badTags', parameter: 'count' });
    assertNames(at(16, 'InvalidTag'), {
      line: 16,
      function: 'badTags',
      parameter: 'text',
      typeText: 'string',
    });
    assertNames(at(18, 'InvalidTag'), {
      line: 18,
      function: 'badTags',
      parameter: 'size',
      typeText: 'number',
    });
  });

  it('reports a duplicate name at the second registration, naming the first', () => {
    const error = at(39, 'DuplicateName');
    assertNames(error, { line: 39, function: 'alsoFine' });
    assert.equal(error.details.firstRegisteredAt, `${FILE}:38`);
  });

  it('refuses an object, an inline arrow and a call result as NotAFunction', () => {
    assertNames(at(40, 'NotAFunction'), { line: 40, function: 'notAFunction' });
    assertNames(at(41, 'NotAFunction'), { line: 41, function: '(x: string) => x' });
    assertNames(at(42, 'NotAFunction'), { line: 42, function: 'makeFn()' });
  });

  it('refuses non-literal options (name, options object, title) as NonLiteralOption', () => {
    assertNames(at(43, 'NonLiteralOption'), { line: 43, function: 'fine' });
    assert.match(
      at(43, 'NonLiteralOption').message,
      /option name must be a string literal, got `dynamicName`/,
    );
    assertNames(at(44, 'NonLiteralOption'), { line: 44, function: 'alsoFine' });
    assert.match(at(45, 'NonLiteralOption').message, /option title/);
  });

  it('refuses unknown widgets and widgets for parameters that do not exist as InvalidOption', () => {
    assert.match(at(45, 'InvalidOption', 0).message, /unknown widget "dropdown"/);
    assertNames(at(45, 'InvalidOption', 1), { line: 45, function: 'fine', parameter: 'missing' });
  });

  it('errors are typed values with a stable type and JSON-safe details', () => {
    const error = at(4, 'UnsupportedType');
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      type: 'UnsupportedType',
      message: error.message,
      details: error.details,
    });
  });

  it('reports a module that does not parse as SyntaxError with file:line', () => {
    const syntax = fixtureErrors('errors/syntax-error.ts');
    assert.ok(syntax.length > 0 && syntax.every((e) => e.type === 'SyntaxError'));
    assert.equal(syntax[0]!.details.file, 'test/schema-gen/fixtures/errors/syntax-error.ts');
    assert.equal(syntax[0]!.details.line, 2);
  });

  it('reports a module without registrations on the real registry (a Set named registry does not count)', () => {
    assert.deepEqual(
      fixtureErrors('errors/no-registrations.ts').map((e) => e.type),
      ['NoRegistrations'],
    );
  });

  it('reports a missing entry module as EntryNotFound', () => {
    assert.throws(
      () => generateManifest({ entry: 'test/schema-gen/fixtures/nope.ts' }),
      (error: unknown) =>
        error instanceof SchemaGenErrors &&
        error.errors[0]?.type === 'EntryNotFound' &&
        error.errors[0].details.file === 'test/schema-gen/fixtures/nope.ts',
    );
  });
});
