/**
 * The result the output benches lay out: per-sample records with a number, an enum, a date-time and
 * a link, and the return schema that declares them (a title, descriptions, enum labels, formats).
 */
import type { Schema } from '../../../manifest/manifest.js';

/** Records in the output-table bench's table. */
export const TABLE_ROWS = 1000;

const STATES = ['queued', 'sequenced', 'failed'];

/** The declared return type of {@link sampleRows}: an array of sample records. */
export const SAMPLE_RETURNS = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      sampleId: { type: 'string', title: 'Sample', description: 'The sample’s id in the lab.' },
      reads: { type: 'number', description: 'Reads sequenced, in millions.' },
      state: { type: 'string', enum: STATES, 'x-turtle-enum-labels': ['Queued', 'Sequenced', 'Failed'] },
      sequencedAt: { type: 'string', format: 'date-time' },
      dataUrl: { type: 'string', format: 'uri' },
    },
  },
} as unknown as Schema;

/** `count` fresh sample records (a new array each call, so nothing is laid out from a cache). */
export function sampleRows(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    sampleId: `S-${i + 1}`,
    reads: ((i * 7919) % 1000) + 0.5,
    state: STATES[i % 3],
    sequencedAt: new Date(Date.UTC(2026, 0, 1 + (i % 28), 12, 30)).toISOString(),
    dataUrl: `https://data.example.org/samples/S-${i + 1}`,
  }));
}
