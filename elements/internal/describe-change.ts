/**
 * A change of a function's parameters between the version a run was made with and today's, in words:
 * what a `409 SchemaChanged` rerun shows. Pure, so it can be tested alone.
 */
import type { ParameterChange } from '../../api/index.js';

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
