import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeChange } from '../../../elements/internal/describe-change.js';

describe('describeChange', () => {
  it('says each change in words', () => {
    assert.equal(describeChange({ kind: 'renamed', from: 'a', to: 'b' }), 'a looks renamed to b');
    assert.equal(describeChange({ kind: 'added', parameter: 'c', required: true }), 'c was added (required)');
  });
});
