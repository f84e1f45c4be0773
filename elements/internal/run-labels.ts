/**
 * An execution's inputs with the labels of the function version it ran with: a run made before a
 * parameter was renamed shows the name and enum labels of its own time (its output is laid out by
 * that version's `returns`, in `output-view.ts`). Pure, so it can be tested alone; the values stay
 * values (rendered as text by `render-output.ts`).
 */
import type { Schema } from '../../manifest/manifest.js';
import type { ParameterChange } from '../../api/index.js';
import { fieldsFromSchema } from './schema-fields.js';

/**
 * `input` keyed by each parameter's label (its `title`, or its name in words), in the parameters'
 * order, an enum value shown by its label; inputs the schema does not name keep their key, after.
 * @example labelInputs({ sampleId: 'S1' }, { type: 'object', properties: { sampleId: { type: 'string', title: 'Sample' } } })
 * // → { Sample: 'S1' }
 */
export function labelInputs(input: Record<string, unknown>, params: Schema): Record<string, unknown> {
  const labelled: Record<string, unknown> = {};
  const used = new Set<string>();
  for (const field of fieldsFromSchema(params)) {
    if (!Object.hasOwn(input, field.name)) continue;
    const value = input[field.name];
    const option = field.options?.find((o) => o.value === value);
    // Two parameters under one label would hide one: the second keeps its name.
    const key = Object.hasOwn(labelled, field.label) ? field.name : field.label;
    labelled[key] = option ? option.label : value;
    used.add(field.name);
  }
  for (const [name, value] of Object.entries(input)) if (!used.has(name)) labelled[name] = value;
  return labelled;
}

/** One change of a function's parameters, as a sentence (names as the function spells them). */
export function describeChange(change: ParameterChange): string {
  switch (change.kind) {
    case 'added':
      return `${change.parameter} was added${change.required ? ' (required)' : ''}`;
    case 'removed':
      return `${change.parameter} was removed`;
    case 'renamed':
      return `${change.from} looks renamed to ${change.to}`;
    case 'type-changed':
      return `${change.parameter} changed from ${change.from} to ${change.to}`;
    case 'constraints-changed':
      return `${change.parameter} has new limits (${change.keywords.join(', ')})`;
    case 'now-required':
      return `${change.parameter} is now required`;
  }
}
