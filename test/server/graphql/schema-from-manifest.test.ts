/**
 * The GraphQL schema generated from a manifest: every parameter and result kind schema-gen writes
 * (the manifest of fixtures/kinds.ts, generated once), names made safe, collisions named, and a
 * deterministic SDL. Pure: no database, no server.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import type { Manifest, ManifestFunction } from '../../../manifest/manifest.js';
import { generateManifest } from '../../../schema-gen/generate-manifest.js';
import { GraphQLNameCollision } from '../../../server/graphql/names.js';
import { schemaFromManifest } from '../../../server/graphql/schema-from-manifest.js';
import { printSdl } from '../../../server/graphql/sdl.js';
import { ROOT } from '../../support/cli.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'kinds.ts');

describe('schemaFromManifest', () => {
  let manifest: Manifest;
  let schema: GraphQLSchema;
  before(() => {
    manifest = generateManifest({ entry: FIXTURE, baseDir: ROOT });
    schema = schemaFromManifest(manifest);
  });
  const args = (mutation: string): Map<string, GraphQLArgument> =>
    new Map(
      schema
        .getMutationType()!
        .getFields()
        [mutation]!.args.map((arg) => [arg.name, arg]),
    );
  const typeOf = (mutation: string): Record<string, string> =>
    Object.fromEntries([...args(mutation)].map(([name, arg]) => [name, String(arg.type)]));
  const object = (name: string): GraphQLObjectType => schema.getType(name) as GraphQLObjectType;
  const fieldTypes = (type: GraphQLObjectType | GraphQLInputObjectType): Record<string, string> =>
    Object.fromEntries(
      Object.values<{ name: string; type: unknown }>(type.getFields()).map((f) => [f.name, String(f.type)]),
    );

  it('maps every parameter kind, non-null exactly for the required ones that cannot be null', () => {
    assert.deepEqual(typeOf('kinds'), {
      text: 'String!',
      amount: 'Float!',
      count: 'Int!',
      flag: 'Boolean!',
      colour: 'KindsColour!',
      priority: 'KindsPriority!',
      size: 'KindsSize!',
      tags: '[String!]!',
      matrix: '[[Float!]!]!',
      address: 'KindsAddressInput!',
      when: 'DateTime!',
      body: 'String!',
      password: 'String!',
      // What GraphQL cannot type exactly: open records, tuples, unions of unlike types.
      scores: 'JSON!',
      pair: 'JSON!',
      either: 'JSON!',
      // Required but nullable: GraphQL cannot say "present but maybe null"; the service checks presence.
      nullable: 'String',
      optionalCount: 'Int',
      maybe: 'Boolean',
      level: 'KindsLevel',
      nullableColour: 'KindsNullableColour',
      words: '[String!]',
      ratio: 'Float',
    });
  });

  it('turns enums into GraphQL enums whose values carry the labels, numeric ones named by label', () => {
    const values = (name: string) =>
      (schema.getType(name) as GraphQLEnumType)
        .getValues()
        .map((v): [string, unknown, string | null | undefined] => [v.name, v.value, v.description]);
    assert.deepEqual(values('KindsColour'), [
      ['red', 'red', 'Red'],
      ['dark_blue', 'dark_blue', 'Dark Blue'],
    ]);
    assert.deepEqual(values('KindsPriority'), [
      ['Low', 1, 'Low'],
      ['High', 5, 'High'],
    ]);
    assert.deepEqual(values('KindsSize'), [
      ['small', 'small', 'Small'],
      ['medium_large', 'medium_large', 'Medium large'],
    ]);
    // A nullable enum: `null` is the argument's null, not a value.
    assert.deepEqual(
      values('KindsNullableColour').map(([name]) => name),
      ['red', 'dark_blue'],
    );
  });

  it('pushes JSDoc into descriptions, says which inputs are secrets, and keeps defaults', () => {
    const kinds = args('kinds');
    assert.equal(kinds.get('text')!.description, 'some text');
    assert.equal(kinds.get('colour')!.description, 'the colour to paint with');
    assert.match(kinds.get('password')!.description!, /secret/);
    assert.equal(kinds.get('amount')!.description, undefined);
    assert.equal(kinds.get('level')!.defaultValue, 'high');
    assert.equal(kinds.get('nullableColour')!.defaultValue, null);
    assert.deepEqual(kinds.get('words')!.defaultValue, ['a']);
    assert.equal(kinds.get('ratio')!.defaultValue, 0.5);
    assert.equal(kinds.get('text')!.defaultValue, undefined);
    const mutation = schema.getMutationType()!.getFields().kinds!;
    assert.match(mutation.description!, /^Takes one parameter of every kind\./);
    assert.match(mutation.description!, /background/);
    assert.match(schema.getMutationType()!.getFields().counted!.description!, /in the request/);
  });

  it('makes nested objects input types, nullable ones nullable, with their own docs and enums', () => {
    const address = schema.getType('KindsAddressInput') as GraphQLInputObjectType;
    assert.ok(address instanceof GraphQLInputObjectType);
    assert.deepEqual(fieldTypes(address), {
      street: 'String!',
      floor: 'Int',
      kind: 'KindsAddressKind',
      location: 'KindsAddressLocationInput',
    });
    assert.equal(address.getFields().street!.description, 'Street and number.');
    assert.deepEqual(fieldTypes(schema.getType('KindsAddressLocationInput') as GraphQLInputObjectType), {
      lat: 'Float!',
      lng: 'Float!',
    });
  });

  it('types the output from the return type: objects, lists of objects, enums, DateTime, JSON for the rest', () => {
    const execution = object('KindsExecution');
    assert.equal(String(execution.getFields().output!.type), 'KindsOutput');
    assert.deepEqual(fieldTypes(object('KindsOutput')), {
      title: 'String!',
      pages: 'Int!',
      ratio: 'Float!',
      ok: 'Boolean!',
      colour: 'KindsOutputColour!',
      when: 'DateTime!',
      rows: '[KindsOutputRowsItem!]!',
      tags: '[String!]',
      extra: 'JSON!',
      either: 'JSON!',
      pair: 'JSON!',
      maybe: 'String',
    });
    assert.deepEqual(fieldTypes(object('KindsOutputRowsItem')), { name: 'String!', score: 'Float' });
    assert.equal(object('KindsOutput').getFields().title!.description, "The report's title.");
    const output = (fn: string) => String(object(`${fn}Execution`).getFields().output!.type);
    assert.deepEqual(['Counted', 'Listed', 'Nothing', 'Dated', 'Coloured', 'SampleLookup'].map(output), [
      'Int',
      '[String!]',
      'JSON',
      'DateTime',
      '[ColouredOutputItem!]',
      'String',
    ]);
    // Nothing is dropped: every execution also has its result untyped.
    assert.equal(String(execution.getFields().outputJson!.type), 'JSON');
    assert.match(schema.getType('JSON')!.description!, /open records/);
  });

  it('reads each output field by its manifest name, whatever its GraphQL name', () => {
    const fn: ManifestFunction = {
      ...manifest.functions.counted!,
      name: 'odd',
      functionName: 'odd',
      returns: { type: 'object', properties: { 'first-name': { type: 'string' } }, required: ['first-name'] },
    };
    const oddSchema = schemaFromManifest({ functions: { odd: fn } });
    const field = (oddSchema.getType('OddOutput') as GraphQLObjectType).getFields().first_name!;
    assert.equal(field.resolve!({ 'first-name': 'Ada' }, {}, undefined, {} as never), 'Ada');
  });

  it('makes names GraphQL-safe and lists every query, mutation and the Execution interface', () => {
    assert.ok(schema.getMutationType()!.getFields().sample_lookup);
    assert.ok(object('SampleLookupExecution'));
    assert.deepEqual(Object.keys(schema.getQueryType()!.getFields()), [
      'functions',
      'execution',
      'executions',
    ]);
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    assert.ok(mutations.includes('cancelExecution') && mutations.includes('rerunExecution'));
    assert.deepEqual(
      schema
        .getPossibleTypes(schema.getType('Execution') as never)
        .map((t) => t.name)
        .sort(),
      [
        'ColouredExecution',
        'CountedExecution',
        'DatedExecution',
        'KindsExecution',
        'ListedExecution',
        'NothingExecution',
        'SampleLookupExecution',
        'UnregisteredExecution',
      ],
    );
  });

  it('reports names that collide at start-up, naming both functions', () => {
    const counted = manifest.functions.counted!;
    const functions = {
      'sample-id': { ...counted, name: 'sample-id' },
      sample_id: { ...counted, name: 'sample_id' },
    };
    assert.throws(
      () => schemaFromManifest({ functions }),
      (err: unknown) =>
        err instanceof GraphQLNameCollision &&
        err.type === 'GraphQLNameCollision' &&
        /"sample-id"/.test(err.message) &&
        /"sample_id"/.test(err.message),
    );
    assert.throws(
      () => schemaFromManifest({ functions: { cancelExecution: { ...counted, name: 'cancelExecution' } } }),
      GraphQLNameCollision,
    );
  });

  it('prints the same SDL for the same manifest, whatever the order of its functions', () => {
    const reversed = Object.fromEntries(Object.entries(manifest.functions).reverse());
    const sdl = printSdl(manifest);
    assert.equal(printSdl({ functions: reversed }), sdl);
    assert.equal(printSdl(manifest), sdl);
    assert.match(sdl, /^ {2}kinds\($/m);
    assert.ok(sdl.endsWith('}\n'));
  });
});
