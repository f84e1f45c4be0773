/** Checking the options of a call (limits, dates, sizes): a bad one is a `ValidationError` naming it. */
import { ValidationError } from '../errors.js';

/** A `ValidationError` about one option of a call (`path` like `/limit`). */
export function invalidOption(path: string, message: string, keyword: string): ValidationError {
  return new ValidationError([{ path, message, keyword, params: {} }]);
}

/** `limit`, or `fallback` when unset. @throws ValidationError unless it is a whole number from 1 to `max` */
export function checkLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw invalidOption('/limit', `must be an integer from 1 to ${max}`, 'limit');
  return limit;
}

/** A date option as epoch ms. @throws ValidationError when it is not a date-time */
export function toMs(value: string | Date, path: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw invalidOption(path, 'must be a date-time', 'format');
  return ms;
}
