/**
 * Parsing a request body as JSON with nothing changed silently. `JSON.parse` rounds integers beyond
 * 2^53 (9007199254740993 becomes …992), turns `1e400` into `Infinity` (stored as `null`) and keeps
 * lone surrogates that no database agrees on; here each of those is a 400 naming its JSON pointer.
 * lossless-json reads the number literals as written, so the check sees the text, not the rounding.
 * It is 10-70× slower than `JSON.parse`, so a first pass over the text (also bounding the depth)
 * sends a body to it only when a number literal might be refused or a string has a surrogate
 * escape; every other body is one `JSON.parse` reads exactly.
 */
import { parse } from 'lossless-json';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { isWellFormed, toWellFormed } from '../well-formed-text.js';
import { BodyTooDeep, InvalidJson } from './http-errors.js';

/** The most problems one answer lists. */
const MAX_ISSUES = 20;
/** Longest number literal quoted back in an error. */
const MAX_LITERAL = 40;
// RFC 8259 whitespace, then an object or an array: scalars at the top are refused, as before.
const OBJECT_OR_ARRAY = /^[ \t\n\r]*[[{]/;

/**
 * The value of `text`, a JSON object or array nested at most `maxDepth` deep.
 *
 * Numbers are kept when JavaScript holds them as written: an integer literal (no fraction, no
 * exponent) must lie within ±(2^53 − 1); any number must be finite (`1e400` is refused) and not a
 * non-zero literal that would become 0 (`1e-400`). Literals with a fraction or exponent are read as
 * the nearest double, as everywhere (`0.1`). Strings and property names must be Unicode text (no lone
 * surrogate). A repeated property name keeps its last value, as with `JSON.parse`.
 * @throws BodyTooDeep (before parsing, so the parser's recursion stays shallow)
 * @throws InvalidJson for bad syntax, a scalar at the top, or a `__proto__` key
 * @throws ValidationError listing each refused number or string with its JSON pointer (keyword `json`)
 */
export function parseExactJson(text: string, maxDepth: number): unknown {
  const scan = scanText(text, maxDepth);
  if (scan === 'too-deep') throw new BodyTooDeep(maxDepth);
  if (!OBJECT_OR_ARRAY.test(text)) throw new InvalidJson('The request body must be a JSON object or array');
  let value: unknown;
  try {
    value =
      scan === 'plain'
        ? JSON.parse(text)
        : parse(text, null, { parseNumber: readNumber, onDuplicateKey: ({ newValue }) => newValue });
  } catch (err) {
    if (err instanceof SyntaxError)
      throw new InvalidJson(`The request body is not valid JSON: ${toWellFormed(err.message)}`);
    throw err;
  }
  const issues = inexactValues(value);
  if (issues.length > 0) throw new ValidationError(issues);
  return value;
}

/** A number literal JavaScript cannot hold as written; left in the tree for the walk to report with its path. */
class RefusedNumber {
  constructor(
    readonly literal: string,
    readonly reason: 'unsafe-integer' | 'overflow' | 'underflow',
  ) {}
}

function readNumber(literal: string): number | RefusedNumber {
  const value = Number(literal);
  if (!Number.isFinite(value)) return new RefusedNumber(literal, 'overflow');
  if (/^-?\d+$/.test(literal))
    return Number.isSafeInteger(value) ? value : new RefusedNumber(literal, 'unsafe-integer');
  // A non-zero digit before the exponent, yet 0: too small for a double.
  if (value === 0 && /[1-9]/.test(literal.split(/[eE]/)[0]!)) return new RefusedNumber(literal, 'underflow');
  return value;
}

const NUMBER_PROBLEM: Record<RefusedNumber['reason'], string> = {
  'unsafe-integer': `must be an integer from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (send larger ones as strings)`,
  overflow: 'is too large for a number',
  underflow: 'is too small for a number: it would become 0',
};

/** A node of the walk; its pointer is built only when it has a problem. */
interface Step {
  value: unknown;
  parent: Step | undefined;
  key: string;
}

/** Refused numbers and lone surrogates, in document order; iterative, so no body overflows the stack. */
function inexactValues(root: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: Step[] = [{ value: root, parent: undefined, key: '' }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const step = stack.pop()!;
    const { value } = step;
    if (typeof value === 'string') {
      if (!isWellFormed(value))
        issues.push(
          issue(step, 'must be Unicode text: it has a lone surrogate', { reason: 'lone-surrogate' }),
        );
    } else if (value instanceof RefusedNumber) {
      const literal =
        value.literal.length > MAX_LITERAL ? `${value.literal.slice(0, MAX_LITERAL)}…` : value.literal;
      issues.push(
        issue(step, `${NUMBER_PROBLEM[value.reason]} (got ${literal})`, { reason: value.reason, literal }),
      );
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], parent: step, key: String(i) });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const child: Step = {
          value: (value as Record<string, unknown>)[keys[i]!],
          parent: step,
          key: keys[i]!,
        };
        if (child.key === '__proto__')
          throw new InvalidJson('The request body may not have a "__proto__" key', {
            pointer: pointer(child),
          });
        if (!isWellFormed(child.key))
          issues.push(
            issue(child, 'has a property name that is not Unicode text: it has a lone surrogate', {
              reason: 'lone-surrogate',
            }),
          );
        stack.push(child);
      }
    }
  }
  return issues;
}

function issue(step: Step, message: string, params: Record<string, unknown>): ValidationIssue {
  return { path: pointer(step), message, keyword: 'json', params };
}

/** The JSON pointer of `step` (RFC 6901), lone surrogates shown as U+FFFD so the answer is valid text. */
function pointer(step: Step): string {
  const keys: string[] = [];
  for (let at: Step | undefined = step; at?.parent; at = at.parent) keys.push(at.key);
  return toWellFormed(
    keys
      .reverse()
      .map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`)
      .join(''),
  );
}

/**
 * One pass over the text: `too-deep` when arrays/objects nest deeper than `maxDepth` (brackets outside
 * strings); else `plain` when `JSON.parse` reads it exactly (no number literal {@link mightBeRefused},
 * no `\uD800`-`\uDFFF` escape), or `check` when lossless-json must look.
 * Raw surrogates cannot occur: the text was decoded from UTF-8, which has none.
 */
function scanText(text: string, maxDepth: number): 'too-deep' | 'plain' | 'check' {
  let depth = 0;
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // A string: skip to its closing quote, looking at escapes.
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c) {
          if (text.charCodeAt(i + 1) === 0x75 && /^[dD][89a-fA-F]$/.test(text.slice(i + 2, i + 4)))
            plain = false;
          i++;
        }
      }
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return 'too-deep';
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    } else if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      // A number literal (outside strings, only numbers have digits or '-').
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
      if (plain && mightBeRefused(text.slice(i, end))) plain = false;
      i = end - 1;
    }
  }
  return plain ? 'plain' : 'check';
}

function isNumberChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2b ||
    code === 0x2e ||
    code === 0x65 ||
    code === 0x45
  );
}

/**
 * Whether {@link readNumber} might refuse `literal`: an integer literal of more than 15 digits, or one
 * with more than 200 digits or a 3-digit exponent (within those, a double can neither overflow nor underflow).
 */
function mightBeRefused(literal: string): boolean {
  const e = literal.search(/[eE]/);
  const mantissa = e < 0 ? literal : literal.slice(0, e);
  const fraction = mantissa.includes('.');
  const digits = mantissa.length - (mantissa.startsWith('-') ? 1 : 0) - (fraction ? 1 : 0);
  if (e < 0 && !fraction) return digits > 15;
  const exponentDigits = e < 0 ? 0 : literal.length - e - 1 - (/[+-]/.test(literal.charAt(e + 1)) ? 1 : 0);
  return digits > 200 || exponentDigits > 2;
}
