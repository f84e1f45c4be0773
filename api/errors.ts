/**
 * Errors on the wire: every failed request answers `{ "error": { "type", "message", "details" } }`.
 * Part of the versioned JSON API contract.
 */

/** The stable `type` of every error turtle-shell reports, in API answers and as an execution's error. */
export const TURTLE_ERROR_TYPES = [
  // The domain's.
  'ValidationError',
  'UnknownFunction',
  'ExecutionNotFound',
  'IllegalTransition',
  'IdempotencyKeyReused',
  'Timeout',
  'Cancelled',
  'OutputNotSerializable',
  'OutputTooLarge',
  'StorageUnavailable',
  'NoCurrentExecution',
  'ManifestMismatch',
  'RegistryError',
  'ConfigError',
  'CannotListen',
  'DatabaseUnavailable',
  'DatabaseUrlError',
  'AgendaJobNotFound',
  'GraphQLNameCollision',
  // The HTTP layer's.
  'InvalidJson',
  'BodyTooDeep',
  'InvalidRequest',
  'InvalidCursor',
  'InvalidContentEncoding',
  'Unauthorized',
  'Forbidden',
  'RouteNotFound',
  'ElementsNotBuilt',
  'GraphiQLNotBuilt',
  'QueryTooComplex',
  'MethodNotAllowed',
  'RequestTimeout',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'UnsupportedContentEncoding',
  'RequestHeadersTooLarge',
  'NotImplemented',
  'InternalError',
] as const;

export type TurtleErrorType = (typeof TURTLE_ERROR_TYPES)[number];

/** An execution's `error.type`: one of turtle-shell's, or the name of the error its function threw. */
export type ErrorType = TurtleErrorType | (string & {});

/** The body of every error answer; `type` is stable (`ValidationError`, `UnknownFunction`, …). */
export interface ErrorBody {
  error: { type: TurtleErrorType; message: string; details: Record<string, unknown> };
}

/** One input problem in a `ValidationError`'s `details.errors`; `path` is a JSON pointer such as `/sampleIds`. */
export interface FieldError {
  path: string;
  message: string;
}
