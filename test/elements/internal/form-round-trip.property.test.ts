/**
 * Property: a form submitted untouched, emptied or filled in gives the function exactly what a direct
 * call with the same values gets. One generated function has a parameter for every kind × every way
 * of being optional (`T`, `T = d`, `x?: T`, `T | undefined`, `T | null`, `T | null = null`,
 * `T | null = d`, `x?: T | null`); `turtle schema` maps it, the form's own code fills and collects it,
 * the server validates it (defaults applied) and calls it. 300 generated fillings. The kinds include
 * records (`Record<string, string>`, `Record<string, unknown>`), arrays of enums and of objects, and
 * the email, date and time formats.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { generateManifest } from '../../../schema-gen/generate-manifest.js';
import { fieldsFromSchema, FieldKind, type Field } from '../../../elements/internal/schema-fields.js';
import {
  collectInputs,
  initialRawValues,
  utcOffset,
  writeRawValue,
  type RawValues,
} from '../../../elements/internal/form-values.js';
import type { Registry } from '../../../server/registry/index.js';
import { createTempProject, type TempProject } from '../../schema-gen/temp-project.js';
import { acceptedByTheApi } from '../support/api-json.js';

/** A parameter type, with a default to use and values a person could enter. */
interface Kind {
  name: string;
  type: string;
  defaultText: string;
  defaultValue: unknown;
  values: fc.Arbitrary<unknown>;
  /** A `@format` the function's JSDoc gives every parameter of this kind. */
  format?: string;
}

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.'-]{0,10}$/);
const text = fc.string({ minLength: 1 }).filter((s) => s.trim() !== '');
const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _-]{0,8}$/);
/** What a `format: "time"` input sends here: the process's UTC offset today. */
const OFFSET = utcOffset(new Date());
const pad = (n: number) => String(n).padStart(2, '0');
const KINDS: Kind[] = [
  // Any text that is not blank (a blank text is an empty field); "null" is text like any other.
  {
    name: 'str',
    type: 'string',
    defaultText: "'hi'",
    defaultValue: 'hi',
    values: fc.oneof(
      fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
      fc.constant('null'),
    ),
  },
  { name: 'int', type: 'Integer', defaultText: '7', defaultValue: 7, values: fc.integer() },
  {
    name: 'num',
    type: 'number',
    defaultText: '2.5',
    defaultValue: 2.5,
    values: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  },
  { name: 'bool', type: 'boolean', defaultText: 'true', defaultValue: true, values: fc.boolean() },
  {
    name: 'colour',
    type: 'Colour',
    defaultText: 'Colour.Green',
    defaultValue: 2,
    values: fc.constantFrom(1, 2, 3),
  },
  {
    name: 'size',
    type: 'Size',
    defaultText: 'Size.Large',
    defaultValue: 'large',
    values: fc.constantFrom('small', 'large'),
  },
  {
    name: 'lines',
    type: 'string[]',
    defaultText: "['a', 'b']",
    defaultValue: ['a', 'b'],
    values: fc.array(
      word.map((w) => w.trim()),
      { minLength: 1, maxLength: 3 },
    ),
  },
  {
    name: 'ints',
    type: 'Integer[]',
    defaultText: '[1, 2]',
    defaultValue: [1, 2],
    values: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
  },
  {
    name: 'labels',
    type: 'Record<string, string>',
    defaultText: "{ a: 'x' }",
    defaultValue: { a: 'x' },
    values: fc.dictionary(key, text, { minKeys: 1, maxKeys: 3 }).map((v) => ({ ...v })),
  },
  {
    name: 'extra',
    type: 'Record<string, unknown>',
    defaultText: '{ n: [1, null] }',
    defaultValue: { n: [1, null] },
    // What survives JSON (no -0) and the API takes (safe integers).
    values: fc
      .dictionary(key, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 })
      .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
      .filter(acceptedByTheApi),
  },
  {
    name: 'colours',
    type: 'Colour[]',
    defaultText: '[Colour.Green]',
    defaultValue: [2],
    // A checkbox group sends the ticked values in option order.
    values: fc.subarray([1, 2, 3], { minLength: 1 }),
  },
  {
    name: 'samples',
    type: 'Sample[]',
    defaultText: "[{ id: 'a' }]",
    defaultValue: [{ id: 'a' }],
    values: fc.array(
      fc.record({ id: text, n: fc.integer() }, { requiredKeys: ['id'] }).map((v) => ({ ...v })),
      { minLength: 1, maxLength: 3 },
    ),
  },
  {
    name: 'email',
    type: 'string',
    format: 'email',
    defaultText: "'ada@example.org'",
    defaultValue: 'ada@example.org',
    values: fc
      .stringMatching(/^[a-z0-9][a-z0-9._-]{0,6}@[a-z0-9]{1,8}\.[a-z]{2,4}$/)
      .filter((e) => !/\.\.|\.@/.test(e)),
  },
  {
    name: 'day',
    type: 'string',
    format: 'date',
    defaultText: "'2026-02-28'",
    defaultValue: '2026-02-28',
    values: fc
      .date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  {
    name: 'at',
    type: 'string',
    format: 'time',
    defaultText: `'09:30:00${OFFSET}'`,
    defaultValue: `09:30:00${OFFSET}`,
    values: fc
      .tuple(
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
      )
      .map(([h, m, sec]) => `${pad(h)}:${pad(m)}:${pad(sec)}${OFFSET}`),
  },
];

/** The ways a parameter may be declared; `?` ones come last (TypeScript wants them after the others). */
const WRAPPERS = [
  'plain',
  'withDefault',
  'orUndefined',
  'nullable',
  'nullDefault',
  'nullableWithDefault',
  'optional',
  'optionalNullable',
] as const;
type Wrapper = (typeof WRAPPERS)[number];

interface Param {
  name: string;
  kind: Kind;
  wrapper: Wrapper;
}

const PARAMS: Param[] = WRAPPERS.flatMap((wrapper) =>
  KINDS.map((kind) => ({ name: `${kind.name}_${wrapper}`, kind, wrapper })),
);

function declaration({ name, kind, wrapper }: Param): string {
  switch (wrapper) {
    case 'plain':
      return `${name}: ${kind.type}`;
    case 'withDefault':
      return `${name}: ${kind.type} = ${kind.defaultText}`;
    case 'orUndefined':
      return `${name}: ${kind.type} | undefined`;
    case 'nullable':
      return `${name}: ${kind.type} | null`;
    case 'nullDefault':
      return `${name}: ${kind.type} | null = null`;
    case 'nullableWithDefault':
      return `${name}: ${kind.type} | null = ${kind.defaultText}`;
    case 'optional':
      return `${name}?: ${kind.type}`;
    case 'optionalNullable':
      return `${name}?: ${kind.type} | null`;
  }
}

const SOURCE = `
import { createRegistry, type Integer } from 'turtle-shell';
export enum Colour { Red = 1, Green = 2, Blue = 3 }
export enum Size { Small = 'small', Large = 'large' }
export interface Sample { id: string; n?: Integer }
/**
 * Answers its arguments exactly as it received them.
${PARAMS.filter((p) => p.kind.format)
  .map((p) => ` * @format ${p.name} ${p.kind.format}`)
  .join('\n')}
 */
export function everything(${PARAMS.map(declaration).join(', ')}): unknown[] {
  return [...arguments];
}
export const reg = createRegistry();
reg.addSync(everything);
`;

/** What a person does with one field: leave it, empty it, or enter a value. */
type Choice = { leave: true } | { empty: true } | { value: unknown };

/** The argument a direct call passes for `choice`: the value, the default shown, or what "empty" means for the type. */
function directArgument(param: Param, choice: Choice): unknown {
  if ('value' in choice) return choice.value;
  const hasDefault =
    param.wrapper === 'withDefault' ||
    param.wrapper === 'nullableWithDefault' ||
    param.wrapper === 'nullDefault';
  const defaultValue = param.wrapper === 'nullDefault' ? null : param.kind.defaultValue;
  if ('leave' in choice && hasDefault) return defaultValue;
  switch (param.wrapper) {
    // `T | null`, given or defaulted: empty is null.
    case 'nullable':
    case 'nullDefault':
    case 'nullableWithDefault':
      return null;
    // Left out, `T = d` is d.
    case 'withDefault':
      return defaultValue;
    default:
      return undefined;
  }
}

/** The control texts for the choices, as a person would leave them (emptied: no item, row, entry or text). */
function rawFor(fields: Map<string, Field>, initial: RawValues, choices: Map<string, Choice>): RawValues {
  const raw: RawValues = { ...initial };
  for (const [name, choice] of choices) {
    if ('leave' in choice) continue;
    writeRawValue(fields.get(name)!, 'value' in choice ? choice.value : undefined, raw);
  }
  return raw;
}

describe('a submitted form gives the function what a direct call gives', () => {
  let project: TempProject;
  let fields: Map<string, Field>;
  let fn: (...args: unknown[]) => unknown[];
  let bound: {
    validateInput(input: unknown): Record<string, unknown>;
    toArguments(input: Record<string, unknown>): unknown[];
  };

  before(async () => {
    project = createTempProject('turtle-round-trip-');
    const entry = project.write('functions.ts', SOURCE);
    const manifest = generateManifest({ entry, baseDir: project.dir });
    const module = (await import(entry)) as { everything: typeof fn; reg: Registry };
    fn = module.everything;
    bound = module.reg.bind(manifest, { manifestDir: project.dir }).require('everything');
    fields = new Map(fieldsFromSchema(manifest.functions['everything']!.params).map((f) => [f.name, f]));
  });
  after(() => project?.remove());

  /** Submits the form with `choices` and calls the function as the server does. */
  function submit(choices: Map<string, Choice>): unknown[] {
    const { inputs, errors } = collectInputs(
      [...fields.values()],
      rawFor(fields, initialRawValues([...fields.values()]), choices),
    );
    assert.deepEqual(errors, []);
    return fn(...bound.toArguments(bound.validateInput(inputs)));
  }

  /** A person's choice for each parameter: what the form lets them do with it. */
  const choicesArb = fc
    .tuple(
      ...PARAMS.map((param) => {
        const field = () => fields.get(param.name)!;
        const canEmpty = () =>
          !field().required &&
          field().kind !== FieldKind.boolean &&
          // A select with a default and no null has no empty option.
          !(field().kind === FieldKind.choice && field().default !== undefined && !field().nullable);
        return fc
          .oneof(
            fc.constant<Choice>({ leave: true }),
            fc.constant<Choice>({ empty: true }),
            param.kind.values.map((value): Choice => ({ value })),
          )
          .map((choice): Choice => {
            // Fields a person must fill in get a value; fields that cannot be emptied are left.
            if (!('value' in choice) && field().required) return { value: param.kind.defaultValue };
            if ('empty' in choice && !canEmpty()) return { leave: true };
            return choice;
          });
      }),
    )
    .map((list) => new Map(PARAMS.map((p, i) => [p.name, list[i]!])));

  it('maps every parameter to the widget its type asks for', () => {
    const kind = (name: string) => fields.get(name)!.kind;
    assert.equal(kind('bool_plain'), FieldKind.yesNo);
    assert.equal(kind('bool_withDefault'), FieldKind.boolean);
    for (const w of [
      'orUndefined',
      'nullable',
      'nullDefault',
      'nullableWithDefault',
      'optional',
      'optionalNullable',
    ])
      assert.equal(kind(`bool_${w}`), FieldKind.tristate, w);
    for (const w of WRAPPERS) assert.equal(kind(`colour_${w}`), FieldKind.choice, w);
    assert.deepEqual(
      fields.get('colour_nullable')!.options!.map((o) => o.label),
      ['Red', 'Green', 'Blue'],
    );
    for (const w of WRAPPERS) {
      assert.equal(kind(`labels_${w}`), FieldKind.record, w);
      assert.equal(kind(`extra_${w}`), FieldKind.record, w);
      assert.equal(fields.get(`extra_${w}`)!.item!.kind, FieldKind.json, w);
      assert.equal(kind(`colours_${w}`), FieldKind.multiChoice, w);
      assert.equal(kind(`samples_${w}`), FieldKind.objectList, w);
      assert.equal(kind(`email_${w}`), FieldKind.email, w);
      assert.equal(kind(`day_${w}`), FieldKind.date, w);
      assert.equal(kind(`at_${w}`), FieldKind.time, w);
    }
  });

  it('untouched (required fields filled in)', () => {
    const choices = new Map(
      PARAMS.map((p): [string, Choice] => [
        p.name,
        fields.get(p.name)!.required ? { value: p.kind.defaultValue } : { leave: true },
      ]),
    );
    assert.deepStrictEqual(
      submit(choices),
      fn(...PARAMS.map((p) => directArgument(p, choices.get(p.name)!))),
    );
  });

  it('emptied wherever the form allows', () => {
    const choices = new Map(
      PARAMS.map((p): [string, Choice] => {
        const field = fields.get(p.name)!;
        if (field.required) return [p.name, { value: p.kind.defaultValue }];
        const fixedChoice =
          field.kind === FieldKind.boolean ||
          (field.kind === FieldKind.choice && field.default !== undefined && !field.nullable);
        return [p.name, fixedChoice ? { leave: true } : { empty: true }];
      }),
    );
    assert.deepStrictEqual(
      submit(choices),
      fn(...PARAMS.map((p) => directArgument(p, choices.get(p.name)!))),
    );
  });

  it('filled in, emptied and left in any mix', () => {
    fc.assert(
      fc.property(choicesArb, (choices) => {
        assert.deepStrictEqual(
          submit(choices),
          fn(...PARAMS.map((p) => directArgument(p, choices.get(p.name)!))),
        );
      }),
      { numRuns: 300 },
    );
  });
});
