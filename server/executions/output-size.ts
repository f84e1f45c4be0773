/**
 * The size caps on what an execution stores, measured as the UTF-8 length of the JSON text written:
 * inputs (`maxInputBytes`: a `ValidationError`, nothing stored) and results, pending states and
 * checkpoints (`maxOutputBytes`: `OutputTooLarge`). Checked before writing, so an oversized value
 * never reaches the database (where it could exceed e.g. MariaDB's `max_allowed_packet`).
 */
import { OutputTooLarge, ValidationError } from '../errors.js';

/** Default `maxOutputBytes` and `maxInputBytes`: 1 MB (the default HTTP body limit). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** The UTF-8 length of a JSON text (0 for SQL NULL). */
export function jsonBytes(json: string | null): number {
  return json === null ? 0 : Buffer.byteLength(json, 'utf8');
}

/** `OutputTooLarge` when `json` is over `limit` bytes, else null. */
export function oversizeOutput(
  json: string | null,
  limit: number,
  what: 'output' | 'state' | 'error',
): OutputTooLarge | null {
  // A UTF-8 character takes at most 3 bytes per UTF-16 unit: short texts need no count.
  if (json === null || json.length * 3 <= limit) return null;
  const bytes = jsonBytes(json);
  return bytes > limit ? new OutputTooLarge(what, bytes, limit) : null;
}

/** @throws ValidationError (keyword `maxBytes`) when the input's JSON text is over `limit` bytes. */
export function checkInputSize(json: string | null, limit: number): void {
  if (json === null || json.length * 3 <= limit) return;
  const bytes = jsonBytes(json);
  if (bytes <= limit) return;
  throw new ValidationError([
    {
      path: '',
      keyword: 'maxBytes',
      params: { limit, bytes },
      message: `is ${bytes} bytes as JSON, more than the limit of ${limit}`,
    },
  ]);
}
