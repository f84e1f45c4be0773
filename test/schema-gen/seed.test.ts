import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../../manifest/manifest.js';
import { fixtureManifest, fn } from './fixtures.js';

const FLOWCELL = {
  type: 'string',
  enum: ['ips', 'novaseq'],
  'x-turtle-enum-labels': ['IPS', 'NOVASEQ'],
  default: 'ips',
};

describe("schema-gen on the seed's deidentify / reidentify", () => {
  let manifest: Manifest;
  before(() => {
    manifest = fixtureManifest('seed.ts');
  });

  it('maps deidentify: async, positional, every parameter optional (`| null = null`: null when left empty), the enum defaulting to IPS', () => {
    const f = fn(manifest, 'deidentify');
    assert.deepEqual([f.mode, f.call, f.description], ['async', 'positional', 'De-identify samples.']);
    assert.deepEqual(f.params, {
      type: 'object',
      properties: {
        sample_ids_list: {
          type: ['string', 'null'],
          default: null,
          description: 'comma-separated sample ids',
        },
        flowcell_barcodes_list: { type: ['string', 'null'], default: null },
        deidentification_suffix: { type: ['string', 'null'], default: null },
        flowcell_type: FLOWCELL,
      },
      additionalProperties: false,
    });
    assert.deepEqual(f.returns, {
      type: 'object',
      properties: { research_ids: { type: 'array', items: { type: 'string' } } },
      required: ['research_ids'],
    });
  });

  it('maps reidentify registered with addSync under the name reid', () => {
    const f = fn(manifest, 'reid');
    assert.deepEqual([f.name, f.functionName, f.mode, f.call], ['reid', 'reidentify', 'sync', 'positional']);
    assert.deepEqual(f.params, {
      type: 'object',
      properties: {
        research_sample_ids: { type: 'string' },
        // `Optional[bool] = False`: true, false or null, false unless changed.
        send_email_to_third_party: { type: ['boolean', 'null'], default: false },
        to_email_ids_list: { type: ['string', 'null'], default: null },
        flowcell_type: FLOWCELL,
      },
      additionalProperties: false,
      required: ['research_sample_ids'],
    });
  });
});
