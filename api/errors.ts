/**
 * Errors on the wire: every failed request answers `{ "error": { "type", "message", "details" } }`.
 * Part of the versioned JSON API contract.
 */

/** The body of every error answer; `type` is stable (`ValidationError`, `UnknownFunction`, …). */
export interface ErrorBody {
  error: { type: string; message: string; details: Record<string, unknown> };
}

/** One input problem in a `ValidationError`'s `details.errors`; `path` is a JSON pointer such as `/sampleIds`. */
export interface FieldError {
  path: string;
  message: string;
}
