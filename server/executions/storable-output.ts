/**
 * Checking that a function's result survives JSON (the seed's JSON_ERROR): what is stored is what a
 * reader gets back, or the execution errors with `OutputNotSerializable` and a string form of the value.
 */
import { inspect } from 'node:util';
import { OutputNotSerializable, ValidationError } from '../errors.js';
import { isWellFormed, toWellFormed } from '../well-formed-text.js';

const MAX_STRING_FORM = 10_000;

/**
 * The JSON form of `value`: `undefined` (a `void` function) becomes `null`, `Date`s become ISO strings,
 * objects with `toJSON` are converted, `undefined` properties are left out.
 * Other class instances are kept as their own enumerable properties (as `JSON.stringify` does).
 * @throws OutputNotSerializable for NaN/Infinity, bigints, functions, symbols, Maps, Sets, RegExps,
 *   Errors, Promises, binary buffers without `toJSON`, `undefined` in arrays, cycles, and strings or
 *   property names with a lone surrogate (not Unicode text; databases disagree on storing them).
 */
export function toStorableOutput(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return walk(value, '', new Set(), false);
  } catch (err) {
    if (err instanceof Unstorable)
      throw new OutputNotSerializable(err.message, toWellFormed(err.path), toWellFormed(stringForm(value)));
    throw err;
  }
}

const LOSSY: Array<abstract new (...args: never[]) => object> = [
  Map,
  Set,
  WeakMap,
  WeakSet,
  Promise,
  RegExp,
  Error,
  ArrayBuffer,
  SharedArrayBuffer,
];

class Unstorable extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** `lenient` (for error details) makes lone surrogates U+FFFD instead of refusing them. */
function walk(value: unknown, path: string, seen: Set<object>, lenient: boolean): unknown {
  switch (typeof value) {
    case 'string':
      if (isWellFormed(value)) return value;
      if (lenient) return toWellFormed(value);
      throw new Unstorable('a string with a lone surrogate is not Unicode text', path);
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new Unstorable(`${value} is not a JSON number`, path);
      return value;
    case 'bigint':
      throw new Unstorable('a bigint is not a JSON number', path);
    case 'undefined':
      throw new Unstorable('undefined has no JSON form', path);
    case 'function':
    case 'symbol':
      throw new Unstorable(`a ${typeof value} has no JSON form`, path);
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) throw new Unstorable('an invalid Date has no JSON form', path);
    return object.toISOString();
  }
  if (seen.has(object)) throw new Unstorable('a cycle has no JSON form', path);
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item, i) => walk(item, `${path}/${i}`, seen, lenient));
    if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
      return walk((object as { toJSON(): unknown }).toJSON(), path, seen, lenient);
    }
    // Built-ins whose data JSON would silently drop (a Map becomes {}); other class instances are
    // kept as their own enumerable properties, as JSON.stringify does.
    if (LOSSY.some((type) => object instanceof type) || ArrayBuffer.isView(object)) {
      const kind =
        (Object.getPrototypeOf(object) as { constructor?: { name?: string } } | null)?.constructor?.name ||
        'object';
      throw new Unstorable(`a ${kind} has no JSON form`, path);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      if (item === undefined) continue;
      const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!lenient && !isWellFormed(key))
        throw new Unstorable('a property name with a lone surrogate is not Unicode text', at);
      out[lenient ? toWellFormed(key) : key] = walk(item, at, seen, lenient);
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

function stringForm(value: unknown): string {
  const text = inspect(value, {
    depth: 6,
    maxArrayLength: 200,
    maxStringLength: MAX_STRING_FORM,
    breakLength: 120,
  });
  return text.length > MAX_STRING_FORM ? `${text.slice(0, MAX_STRING_FORM)}…` : text;
}

/** `value` as JSON-safe data (lone surrogates as U+FFFD), or `undefined` when it has no JSON form (for error details). */
export function jsonSafe(value: unknown): unknown {
  try {
    return value === undefined ? undefined : walk(value, '', new Set(), true);
  } catch {
    return undefined;
  }
}

/**
 * `input` (validated) when it is stored as it is: no lone surrogate in a string or property name, no
 * NaN/Infinity (JSON would store `null`), nothing else JSON drops. The API refuses those earlier.
 * @throws ValidationError naming the JSON pointer (keyword `json`)
 */
export function checkStorableInput<T>(input: T): T {
  try {
    walk(input, '', new Set(), false);
  } catch (err) {
    if (err instanceof Unstorable) {
      throw new ValidationError([
        {
          path: toWellFormed(err.path),
          message: `cannot be stored: ${err.message}`,
          keyword: 'json',
          params: {},
        },
      ]);
    }
    throw err;
  }
  return input;
}
