import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeChange, labelInputs } from '../../../elements/internal/run-labels.js';

describe('labelInputs', () => {
  it("labels inputs as the run's version does, in its order, enums by their labels, unknown keys last", () => {
    const params = {
      type: 'object' as const,
      properties: {
        sampleId: { type: 'string' as const, title: 'Sample' },
        colour: { type: 'string' as const, enum: ['r', 'g'], 'x-turtle-enum-labels': ['Red', 'Green'] },
        dryRun: { type: 'boolean' as const },
      },
    };
    const labelled = labelInputs({ extra: 1, dryRun: false, colour: 'g', sampleId: 'S1' }, params);
    assert.deepEqual(Object.entries(labelled), [
      ['Sample', 'S1'],
      ['Colour', 'Green'],
      ['Dry run', false],
      ['extra', 1],
    ]);
  });
});

describe('describeChange', () => {
  it('says each change in words', () => {
    assert.equal(describeChange({ kind: 'renamed', from: 'a', to: 'b' }), 'a looks renamed to b');
    assert.equal(describeChange({ kind: 'added', parameter: 'c', required: true }), 'c was added (required)');
  });
});
