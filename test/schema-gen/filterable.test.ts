import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterableParams } from '../../manifest/filterable.js';
import { fixtureErrors, fixtureManifest, fn } from './fixtures.js';

const FILE = 'test/schema-gen/fixtures/errors/filterable-errors.ts';

describe('@filterable', () => {
  it('marks scalar parameters tagged on themselves, in the function JSDoc or on an object field', () => {
    const manifest = fixtureManifest('filterable.ts');
    const resend = fn(manifest, 'resend');
    assert.deepEqual(filterableParams(resend), ['reportId', 'site', 'urgent', 'ratio']);
    assert.equal(resend.params.properties.note!['x-turtle-filterable'], undefined);
    assert.equal(resend.params.properties.site!['x-turtle-filterable'], true);
    const lookup = fn(manifest, 'lookup');
    assert.deepEqual(filterableParams(lookup), ['sample', 'priority']);
    // The tag is not text of the field's help.
    assert.equal(lookup.params.properties.sample!.description, 'The sample.');
  });

  it('refuses arrays, objects, secrets, nested fields, odd names and a value, each with file:line', () => {
    const errors = fixtureErrors('errors/filterable-errors.ts');
    const found = errors.map((e) => [e.type, e.details.line, e.details.parameter, e.message] as const);
    const expect = (line: number, parameter: string, text: RegExp) =>
      assert.ok(
        found.some(
          ([type, l, p, m]) => type === 'InvalidTag' && l === line && p === parameter && text.test(m),
        ),
        `InvalidTag at ${line} for ${parameter} matching ${text}; got:\n${found.map((f) => f.join(' ')).join('\n')}`,
      );
    expect(10, 'tags', /needs a string, number, integer, boolean or enum, the type is "array"/);
    expect(11, 'token', /a secret cannot be @filterable/);
    expect(14, 'address', /only for top-level parameters, not address\.zip/);
    expect(17, '$odd', /ASCII letters, digits and _/);
    expect(18, 'flag', /takes no value/);
    assert.ok(errors.every((e) => e.message.startsWith(`${FILE}:`)));
  });
});
