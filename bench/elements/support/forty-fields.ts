/**
 * The form both sides of bench/elements/form-render.ts render: a function with 40 parameters of
 * mixed kinds (text, whole and decimal numbers with bounds, enums with labels, booleans, dates),
 * each with a description, as `GET /api/functions/:name` describes it.
 */
import type { FunctionInfo } from '../../../api/index.js';
import type { Schema } from '../../../manifest/manifest.js';

/** The registered name the form asks for. */
export const FORM_FUNCTION = 'intake';
/** How many fields it has. */
export const FIELD_COUNT = 40;

const KINDS = ['text', 'integer', 'enum', 'boolean', 'date', 'number', 'text', 'enum'] as const;

/** What a field is, for the hand-written element (which knows its form at build time). */
export interface PlainField {
  name: string;
  label: string;
  help: string;
  kind: (typeof KINDS)[number];
  options?: string[];
}

/** The 40 fields. */
export const PLAIN_FIELDS: PlainField[] = Array.from({ length: FIELD_COUNT }, (_, i) => {
  const kind = KINDS[i % KINDS.length]!;
  return {
    name: `field_${i}`,
    label: `Field ${i}`,
    help: `what field ${i} (${kind}) is for`,
    kind,
    ...(kind === 'enum' && { options: ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'] }),
  };
});

function schemaOf(field: PlainField): Schema {
  const base = { title: field.label, description: field.help };
  switch (field.kind) {
    case 'text':
      return { ...base, type: 'string', maxLength: 200 };
    case 'integer':
      return { ...base, type: 'integer', minimum: 0, maximum: 1000, default: 10 };
    case 'number':
      return { ...base, type: 'number', minimum: -5, maximum: 5 };
    case 'enum':
      return {
        ...base,
        type: 'string',
        enum: field.options!.map((o) => o.toLowerCase()),
        'x-turtle-enum-labels': field.options!,
        default: field.options![0]!.toLowerCase(),
      };
    case 'boolean':
      return { ...base, type: 'boolean', default: false };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
  }
}

/** The function as the server answers `GET /api/functions/intake`. */
export const FORM_INFO: FunctionInfo = {
  name: FORM_FUNCTION,
  mode: 'async',
  title: 'Sample intake',
  description: 'Forty fields of every kind a form has.',
  params: {
    type: 'object',
    properties: Object.fromEntries(PLAIN_FIELDS.map((f) => [f.name, schemaOf(f)])),
    required: PLAIN_FIELDS.filter((_, i) => i % 3 === 0).map((f) => f.name),
    additionalProperties: false,
  },
  returns: {},
};
