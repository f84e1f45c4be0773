/**
 * Input validation: one compiled validator per function, built once at bind time by the rules of
 * `manifest/input-schema.ts`, answering every problem as a `ValidationError` issue.
 */
import type { ErrorObject } from 'ajv';
import { compileInputSchema, inputErrorPath } from '../../manifest/input-schema.js';
import type { Schema } from '../../manifest/manifest.js';
import { ValidationError, type ValidationIssue } from '../errors.js';

/** Validates (and fills defaults into a copy of) an input object. */
export type InputValidator = (input: unknown) => Record<string, unknown>;

/** Compiles `schema` once; the returned function throws `ValidationError` listing every problem. */
export function compileInputValidator(schema: Schema): InputValidator {
  const validate = compileInputSchema(schema);
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ValidationError([
        {
          path: '',
          message: 'must be an object of named inputs',
          keyword: 'type',
          params: { type: 'object' },
        },
      ]);
    }
    let copy: Record<string, unknown>;
    try {
      copy = structuredClone(input) as Record<string, unknown>;
    } catch {
      throw new ValidationError([
        { path: '', message: 'must be plain data (JSON values)', keyword: 'type', params: {} },
      ]);
    }
    if (!validate(copy)) throw new ValidationError((validate.errors ?? []).map(toIssue));
    return copy;
  };
}

function toIssue(error: ErrorObject): ValidationIssue {
  const unknown = error.keyword === 'additionalProperties';
  const message = unknown
    ? `is not an accepted input (no such ${error.instancePath ? 'field' : 'parameter'})`
    : (error.message ?? 'is invalid');
  return { path: inputErrorPath(error), message, keyword: error.keyword, params: { ...error.params } };
}
