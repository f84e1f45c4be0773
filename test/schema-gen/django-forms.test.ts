import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import { fixtureManifest, fn } from './fixtures.js';

// django-turtle-shell's own form tests (turtle_shell/tests/test_django_cli2ui.py), ported in
// fixtures/lib/django-example.ts; the rendered forms are checked in test/elements/turtle-form.
describe("schema-gen on django-turtle-shell's form test cases", () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('django.ts');
  });
  const COLOR = { type: 'number', enum: [1, 2, 3], 'x-turtle-enum-labels': ['red', 'green', 'yellow'] };
  const FLAG = {
    type: 'string',
    enum: ['is_apple', 'is_banana'],
    'x-turtle-enum-labels': ['Is apple', 'Is banana'],
  };

  it('maps example_func: required fields without defaults, defaults from the pattern, help from @param', () => {
    const f = fn(manifest, 'example_func');
    assert.equal(
      f.description,
      'First line of text content should be there.\n\nLater lines of content here.',
    );
    assert.equal(f.call, 'object');
    assert.deepEqual(f.params.required, [
      'int_arg',
      'bool_arg_no_default',
      'str_arg',
      'text_arg',
      'enum_auto',
      'enum_str',
    ]);
    const p = f.params.properties;
    assert.deepEqual(p.int_arg, { type: 'integer', description: 'Browser native int field' });
    assert.deepEqual(p.int_arg_with_default, {
      type: 'integer',
      default: 5,
      description: 'Browser native int field with a default',
    });
    assert.deepEqual(p.bool_arg_default_true, {
      type: 'boolean',
      default: true,
      description: 'should be checked checkbox',
    });
    assert.deepEqual(p.bool_arg_no_default, { type: 'boolean', description: 'Bool arg with a dropdown' });
    assert.deepEqual(p.text_arg, {
      type: 'string',
      'x-turtle-widget': 'textarea',
      description: 'should have a big text field',
    });
    assert.deepEqual(p.enum_auto, { ...COLOR, description: 'should be choices with key names' });
    // `Color = None`: may be left empty, null when it is, labels kept.
    assert.deepEqual(p.enum_auto_not_required, {
      type: ['number', 'null'],
      enum: [1, 2, 3, null],
      'x-turtle-enum-labels': COLOR['x-turtle-enum-labels'],
      default: null,
      description: 'choice field not required',
    });
    assert.deepEqual(p.enum_auto_with_default?.default, 2);
    // Not in the Args list: no help, and certainly not the Flag enum's own doc.
    assert.deepEqual(p.enum_str_with_default, { ...FLAG, default: 'is_apple' });
    assert.deepEqual(p.undocumented_arg, { type: ['string', 'null'], default: null });
  });

  it('converts the arguments of test_convert_arg and test_enum_convert_arg', () => {
    const f = fn(manifest, 'convert_args');
    assert.deepEqual(f.params.required, ['int', 'str_doc', 'bool_required', 'enum_str']);
    const p = f.params.properties;
    assert.deepEqual(p.int, { type: 'integer' });
    assert.deepEqual(p.int_none_default_not_required, { type: ['integer', 'null'], default: null });
    assert.deepEqual(p.int_default, { type: 'integer', default: -1 });
    assert.deepEqual(p.str_doc, { type: 'string', description: 'some doc' });
    assert.deepEqual(p.str_doc_falsey, { type: 'string', description: 'some doc', default: '' });
    assert.deepEqual(p.bool_default_none, {
      type: ['boolean', 'null'],
      description: 'some doc',
      default: null,
    });
    assert.deepEqual(p.bool_falsey, { type: 'boolean', description: 'some doc', default: false });
    assert.deepEqual(p.bool_required, { type: 'boolean', description: 'some doc' });
    assert.deepEqual(p.optional_bool_true, { type: ['boolean', 'null'], default: true });
    assert.deepEqual(p.optional_bool_none, { type: ['boolean', 'null'], default: null });
    assert.deepEqual(p.enum_auto_default, { ...COLOR, description: 'another doc', default: 2 });
    assert.deepEqual(p.enum_str, FLAG);
    assert.deepEqual(p.enum_str_default, { ...FLAG, default: 'is_apple' });
  });

  it('gives a Text parameter a one-line box through the widgets option (test_custom_widgets)', () => {
    assert.deepEqual(fn(manifest, 'custom_widgets').params.properties.str_large_text_field, {
      type: 'string',
      'x-turtle-widget': 'text',
      'x-turtle-placeholder': 'A long line',
      description: 'some doc',
      default: '',
    });
  });
});
