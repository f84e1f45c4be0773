/**
 * A function's inputs checked against its manifest parameter schema with ajv, by one set of rules
 * wherever they are checked: by the server on every call, and by `turtle schema` for the fixed
 * inputs of a schedule, so that what one accepts the other does. `allErrors` (a form shows every
 * problem at once), `useDefaults` (stored inputs carry the defaults), no type coercion (a string is
 * not a number), and no parameter the function does not have.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { ajvSchema } from './ajv-schema.js';
import { SchemaKeyword, type Schema } from './manifest.js';

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
    // turtle's own keywords are annotations for forms and filters; their values are strings
    // (`x-turtle-widget`), arrays (`x-turtle-enum-labels`) or `true` (`x-turtle-filterable`).
    for (const keyword of Object.values(SchemaKeyword))
      shared.addKeyword({ keyword, schemaType: ['string', 'array', 'boolean'] });
  }
  return shared;
}

/**
 * Compiles `params` once. Closed to the function's parameters also under a manifest written before
 * `turtle schema` closed them: a misspelled name must not run the function with a default instead.
 * The function fills defaults into what it validates: give it a copy.
 */
export function compileInputSchema(params: Schema): ValidateFunction {
  return ajv().compile({ ...ajvSchema(params), additionalProperties: params.additionalProperties ?? false });
}

/**
 * The JSON pointer of the input an ajv error is about: a missing or unknown property at its own path
 * (so that a form shows it next to its field, and a caller sees which name was wrong).
 */
export function inputErrorPath(error: ErrorObject): string {
  const named =
    error.keyword === 'required'
      ? (error.params as { missingProperty?: string }).missingProperty
      : error.keyword === 'additionalProperties'
        ? (error.params as { additionalProperty?: string }).additionalProperty
        : undefined;
  return named === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(named)}`;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
