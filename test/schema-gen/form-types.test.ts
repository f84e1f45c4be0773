import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import type { SchemaGenError } from '../../schema-gen/errors.js';
import { fixtureErrors, fixtureManifest, fn } from './fixtures.js';

// Records, arrays of enums and of objects, string formats and widget overrides (fixtures/form-types.ts),
// and what schema-gen refuses about them (fixtures/errors/form-types.ts).
describe('schema-gen: richer form types', () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('form-types.ts');
  });
  const props = (name: string) => fn(manifest, name).params.properties;
  const COLOUR = {
    type: 'number',
    enum: [1, 2, 3],
    'x-turtle-enum-labels': ['Red', 'Green', 'Blue'],
  };

  it('maps Record<string, T> to an open object of T, and Record<string, unknown> to one of any JSON', () => {
    const p = props('collections');
    assert.deepEqual(p.labels, {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'free key/value pairs',
    });
    assert.deepEqual(p.extra, {
      type: 'object',
      additionalProperties: {},
      description: 'any JSON object',
      default: {},
    });
    assert.deepEqual(p.counts, { type: 'object', additionalProperties: { type: 'integer' } });
    // A record inside a closed object stays open.
    assert.deepEqual(p.nested?.properties?.tags, {
      type: 'object',
      additionalProperties: { type: 'boolean' },
    });
    assert.equal(p.nested?.additionalProperties, false);
  });

  it('keeps enum labels in arrays of enums, and closes the objects of an array of objects', () => {
    const p = props('collections');
    assert.deepEqual(p.colours, { type: 'array', items: COLOUR, default: [1] });
    assert.deepEqual(p.sizes?.type, ['array', 'null']);
    assert.deepEqual(p.sizes?.items, {
      type: 'string',
      enum: ['small', 'large'],
      'x-turtle-enum-labels': ['Small', 'Large'],
    });
    assert.deepEqual(p.samples, {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: "The sample's id." },
          count: { type: 'integer' },
          owner: { type: 'string', format: 'email' },
        },
        required: ['id'],
        additionalProperties: false,
      },
    });
  });

  it('maps @format (on the function or the parameter) and Date to string formats', () => {
    const p = props('formats');
    assert.deepEqual(p.contact, { type: 'string', format: 'email' });
    assert.deepEqual(p.homepage, { type: 'string', format: 'uri' }); // `@format url` is `uri`
    assert.deepEqual(p.day, { type: 'string', format: 'date' });
    assert.deepEqual(p.at, { type: ['string', 'null'], format: 'time' });
    assert.deepEqual(p.stamp, { type: 'string', format: 'date-time' });
    assert.deepEqual(p.when, { type: 'string', format: 'date-time' });
    assert.deepEqual(fn(manifest, 'formats').params.required, ['contact']);
  });

  it('records widget overrides, their placeholder and help, and the format a widget implies', () => {
    const p = props('widgets');
    assert.deepEqual(p.colour, { ...COLOUR, 'x-turtle-widget': 'radio' });
    assert.deepEqual(p.level, {
      type: 'integer',
      default: 5,
      minimum: 0,
      maximum: 10,
      'x-turtle-widget': 'range',
      description: 'How loud, 0 to 10',
    });
    // `Text` is a textarea unless the registration asks for a one-line box.
    assert.deepEqual(p.note, {
      type: 'string',
      default: '',
      'x-turtle-widget': 'text',
      'x-turtle-placeholder': 'One line',
    });
    assert.deepEqual(p.tint, { type: 'string', default: '#00ff00', 'x-turtle-widget': 'color' });
    assert.deepEqual(p.source, { type: 'string', default: 'form', 'x-turtle-widget': 'hidden' });
    assert.deepEqual(p.email, {
      type: 'string',
      format: 'email',
      'x-turtle-widget': 'email',
      'x-turtle-placeholder': 'name@example.org',
    });
    assert.deepEqual(p.site, { type: 'string', format: 'uri', 'x-turtle-widget': 'url' });
    assert.deepEqual(p.day, { type: 'string', format: 'date', 'x-turtle-widget': 'date' });
    assert.deepEqual(p.at, { type: 'string', format: 'time', 'x-turtle-widget': 'time' });
    // `@widget radio` in the parameter's own JSDoc.
    assert.equal(p.shade?.['x-turtle-widget'], 'radio');
  });

  describe('refuses, with file:line', () => {
    const FILE = 'test/schema-gen/fixtures/errors/form-types.ts';
    let errors: readonly SchemaGenError[];
    before(() => {
      errors = fixtureErrors('errors/form-types.ts');
    });
    const at = (line: number, parameter: string): SchemaGenError => {
      const found = errors.find((e) => e.details.line === line && e.details.parameter === parameter);
      assert.ok(
        found,
        `an error at line ${line} about ${parameter}; got:\n${errors.map((e) => e.message).join('\n')}`,
      );
      assert.equal(found.details.file, FILE);
      assert.ok(found.message.startsWith(`${FILE}:${line}: `), found.message);
      return found;
    };

    it('every problem of the module, and nothing for what is fine', () => {
      assert.equal(errors.length, 14);
      assert.ok(errors.every((e) => e.details.function !== 'fine' || e.details.line === 24));
    });

    it("a union of unlike primitives (django-turtle-shell's test_exceptions: Union[bool, str]) with a hint", () => {
      const error = at(4, 'union_type');
      assert.equal(error.type, 'UnsupportedType');
      assert.equal(error.details.typeText, 'boolean | string');
      assert.match(error.message, /cannot be either a string or a boolean.*string enum/);
      assert.equal(at(5, 'options.id').details.typeText, 'string | Integer');
    });

    it('a @format without a form input, or on a non-string', () => {
      assert.equal(at(7, 'phone').type, 'InvalidTag');
      assert.match(at(7, 'phone').message, /@format "phone" has no form input/);
      assert.match(at(7, 'count').message, /@format needs a string/);
    });

    it('a widget that does not fit its type, at the widgets entry', () => {
      const problems: [number, string, RegExp][] = [
        [16, 'colour', /range needs a number, the type is an enum/],
        [17, 'level', /range needs a minimum and a maximum/],
        [18, 'name', /radio needs an enum/],
        [19, 'flag', /placeholder needs a text or number box/],
        [20, 'list', /hidden needs a string, number, boolean or enum/],
        [21, 'hidden', /hidden needs a default/],
        [22, 'when', /date does not fit a string of format "date-time"/],
      ];
      for (const [line, parameter, message] of problems) {
        const error = at(line, parameter);
        assert.equal(error.type, 'InvalidOption');
        assert.match(error.message, message);
      }
      // `@widget hidden` on a required parameter, at the parameter.
      assert.equal(at(25, 'secretId').type, 'InvalidTag');
      assert.match(at(25, 'secretId').message, /hidden needs a default/);
    });

    it('an unknown widget name or widgets key', () => {
      const onLine = errors.filter((e) => e.details.line === 24);
      assert.deepEqual(
        onLine.map((e) => e.type),
        ['InvalidOption', 'InvalidOption'],
      );
      assert.match(onLine[0]!.message, /unknown widget "slider"; expected one of text, textarea, password/);
      assert.match(onLine[1]!.message, /unknown widgets key "size"/);
    });
  });
});
