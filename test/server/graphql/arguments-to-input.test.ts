/**
 * What a mutation hands the executions service: its arguments turned back into the function's
 * input, under the manifest's own names (GraphQL-safe names undone, nested objects and lists
 * included), enums as their manifest values, `DateTime` as written, `JSON` as given, defaults
 * applied, and left-out optional arguments left out. Pure: the schema runs on a recording port.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { graphql, GraphQLError } from 'graphql';
import type { Execution } from '../../../api/execution.js';
import type { ManifestFunction } from '../../../manifest/manifest.js';
import type { GraphQLOperations } from '../../../server/graphql/graphql-context.js';
import { DateTimeScalar, JSONScalar } from '../../../server/graphql/scalars.js';
import { schemaFromManifest } from '../../../server/graphql/schema-from-manifest.js';

const fn: ManifestFunction = {
  name: 'tag-samples',
  functionName: 'tagSamples',
  mode: 'async',
  call: 'positional',
  source: 'x.ts:1',
  params: {
    type: 'object',
    properties: {
      'sample-ids': { type: 'array', items: { type: 'string' } },
      priority: { type: 'number', enum: [1, 5], 'x-turtle-enum-labels': ['Low', 'High'], default: 1 },
      'run options': {
        type: ['object', 'null'],
        properties: { 'dry-run': { type: 'boolean' }, when: { type: 'string', format: 'date-time' } },
        required: ['dry-run'],
        additionalProperties: false,
      },
      extra: { type: 'object', additionalProperties: { type: 'number' } },
      note: { type: 'string' },
    },
    required: ['sample-ids'],
    additionalProperties: false,
  },
  returns: {},
};

/** Runs `source` on the schema of `fn`, answering what `submit` was given. */
async function submitted(
  source: string,
): Promise<{ input: unknown; errors: readonly GraphQLError[] | undefined }> {
  let input: unknown;
  const operations = {
    submit: (_name: string, given: Record<string, unknown>) => {
      input = given;
      return Promise.resolve({ id: 'x', functionName: 'tag-samples' } as Execution);
    },
  } as unknown as GraphQLOperations;
  const result = await graphql({
    schema: schemaFromManifest({ functions: { [fn.name]: fn } }),
    source,
    contextValue: { operations },
  });
  return { input, errors: result.errors };
}

describe('mutation arguments → function input', () => {
  test('undoes GraphQL-safe names at every level, keeps enum values, DateTime and JSON as given', async () => {
    const { input, errors } = await submitted(
      'mutation { tag_samples(sample_ids: ["a", "b"], priority: High, run_options: { dry_run: true, when: "2026-12-04T16:00:00+01:00" }, extra: { x: 1.5 }) { id } }',
    );
    assert.equal(errors, undefined);
    assert.deepEqual(input, {
      'sample-ids': ['a', 'b'],
      priority: 5,
      'run options': { 'dry-run': true, when: '2026-12-04T16:00:00+01:00' },
      extra: { x: 1.5 },
    });
  });

  test('applies defaults, keeps an explicit null, leaves out what was not given', async () => {
    const { input } = await submitted('mutation { tag_samples(sample_ids: [], run_options: null) { id } }');
    assert.deepEqual(input, { 'sample-ids': [], priority: 1, 'run options': null });
  });

  test('refuses a DateTime that is not RFC 3339 before anything runs', async () => {
    const { input, errors } = await submitted(
      'mutation { tag_samples(sample_ids: [], run_options: { dry_run: false, when: "tomorrow" }) { id } }',
    );
    assert.equal(input, undefined);
    assert.match(errors![0]!.message, /DateTime must be an RFC 3339 date-time/);
  });
});

describe('scalars', () => {
  test('DateTime answers Dates as ISO strings and strings as they are', () => {
    assert.equal(DateTimeScalar.serialize(new Date(Date.UTC(2026, 11, 4))), '2026-12-04T00:00:00.000Z');
    assert.equal(DateTimeScalar.serialize('2026-12-04T16:00:00Z'), '2026-12-04T16:00:00Z');
    assert.throws(() => DateTimeScalar.parseValue('2026-13-45'), GraphQLError);
  });

  test('JSON literals are read as the JSON API reads JSON: plain objects, exact numbers, no __proto__', async () => {
    const { input } = await submitted(
      'mutation { tag_samples(sample_ids: [], extra: { a: 1, b: [2.5] }) { id } }',
    );
    assert.equal(Object.getPrototypeOf((input as { extra: object }).extra), Object.prototype);
    for (const literal of ['{ a: 9007199254740993 }', '{ __proto__: 1 }', '{ a: 1e400 }']) {
      const refused = await submitted(`mutation { tag_samples(sample_ids: [], extra: ${literal}) { id } }`);
      assert.equal(refused.input, undefined, literal);
      assert.equal(refused.errors?.length, 1, literal);
    }
  });

  test('JSON passes any value through', () => {
    const value = { a: [1, 'two', null, { b: true }] };
    assert.equal(JSONScalar.serialize(value), value);
    assert.equal(JSONScalar.parseValue(value), value);
  });
});
