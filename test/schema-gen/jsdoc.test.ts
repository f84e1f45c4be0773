import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import { fixtureManifest, fn } from './fixtures.js';

describe('schema-gen JSDoc', () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('jsdoc.ts');
  });

  it('uses the summary as description, @param texts as property descriptions and @returns for the result', () => {
    const greet = fn(manifest, 'greet');
    assert.equal(
      greet.description,
      'Greets someone politely.\n\nThe second paragraph is part of the summary too.',
    );
    assert.equal(greet.params.properties.who?.description, "the person's name");
    assert.equal(greet.params.properties.times?.description, 'how many times to repeat');
    assert.deepEqual(greet.returns, { type: 'string', description: 'the greeting text' });
  });

  it('uses property JSDoc for object parameters, overridden by @param obj.field', () => {
    const { properties, description } = fn(manifest, 'greetPerson').params;
    assert.equal(properties.name?.description, "overrides the property's own doc");
    assert.equal(properties.age?.description, 'Age in years.');
    assert.equal(description, 'A person to greet.');
  });

  it('reads the JSDoc of an arrow function from its const statement', () => {
    const arrow = fn(manifest, 'arrow');
    assert.equal(arrow.description, 'Arrow functions get their JSDoc from the const statement.');
    assert.equal(arrow.params.properties.flag?.description, 'whether to do it');
  });

  it('leaves description out when there is no JSDoc', () => {
    const f = fn(manifest, 'undocumented');
    assert.equal('description' in f, false);
    assert.deepEqual(f.params.properties.x, { type: 'string' });
  });
});
