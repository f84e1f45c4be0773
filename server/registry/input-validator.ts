/**
 * Input validation with ajv: one compiled validator per function, built once at bind time.
 * `allErrors` (a form shows every problem at once), `useDefaults` (stored inputs carry the defaults),
 * no type coercion (the JSON API receives typed JSON; a string is not a number).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { ajvSchema } from '../../manifest/ajv-schema.js';
import { SchemaKeyword, type Schema } from '../../manifest/manifest.js';
import { ValidationError, type ValidationIssue } from '../errors.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin | undefined }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

let shared: Ajv | undefined;

function ajv(): Ajv {
  if (!shared) {
    // strict: false so that annotations schema-gen may carry (e.g. `defaultProperties`) never stop start-up.
    shared = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false });
    addFormats(shared);
    for (const keyword of Object.values(SchemaKeyword))
      shared.addKeyword({ keyword, schemaType: ['string', 'array', 'boolean'] });
  }
  return shared;
}

/** Validates (and fills defaults into a copy of) an input object. */
export type InputValidator = (input: unknown) => Record<string, unknown>;

/** Compiles `schema` once; the returned function throws `ValidationError` listing every problem. */
export function compileInputValidator(schema: Schema): InputValidator {
  // The inputs are the function's parameters and nothing else, also under a manifest written before
  // `turtle schema` closed them: a misspelled name must not run the function with a default instead.
  const validate: ValidateFunction = ajv().compile({
    ...ajvSchema(schema),
    additionalProperties: schema.additionalProperties ?? false,
  });
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
  // A missing or unknown property is reported at its own path, so that a form can show it next to its
  // field and a caller sees which name was wrong.
  const missing =
    error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  const unknown =
    error.keyword === 'additionalProperties'
      ? (error.params as { additionalProperty?: string }).additionalProperty
      : undefined;
  const named = missing ?? unknown;
  const path = named === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(named)}`;
  const message =
    unknown !== undefined
      ? `is not an accepted input (no such ${error.instancePath ? 'field' : 'parameter'})`
      : (error.message ?? 'is invalid');
  return { path, message, keyword: error.keyword, params: { ...error.params } };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
