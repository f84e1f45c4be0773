/**
 * Errors on the wire: every failed request answers `{ "error": { "type", "message", "details" } }`.
 * Part of the versioned JSON API contract.
 */
import type { ParameterChange } from '../manifest/parameter-changes.js';

/** The stable `type` of every error turtle-shell reports, in API answers and as an execution's error. */
export const TURTLE_ERROR_TYPES = [
  // The domain's.
  'ValidationError',
  'UnknownFunction',
  'ExecutionNotFound',
  'IllegalTransition',
  'IdempotencyKeyReused',
  'NotResumable',
  'Timeout',
  'Cancelled',
  'OutputNotSerializable',
  'OutputTooLarge',
  'StorageUnavailable',
  'NoCurrentExecution',
  'ManifestMismatch',
  'SchemaChanged',
  'FunctionVersionNotFound',
  'RegistryError',
  'ConfigError',
  'CannotListen',
  'DatabaseUnavailable',
  'DatabaseUrlError',
  'AgendaJobNotFound',
  'ScheduleNotFound',
  'IllegalScheduleChange',
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

/**
 * The `details` of a `409 SchemaChanged`: a rerun of an old run whose stored inputs no longer fit
 * the function's current schema. Nothing was run.
 */
export interface SchemaChangedDetails {
  /** The run that was to be rerun. */
  executionId: string;
  functionName: string;
  /** The version the run was made with (`null` when it predates versions). */
  fromVersion: string | null;
  /** The function's current version. */
  toVersion: string;
  /** What changed in the parameters since `fromVersion` (`[]` when that version is not known). */
  changes: ParameterChange[];
  /** Why the stored inputs do not fit the current schema, as a `ValidationError` lists it. */
  errors: Array<FieldError & { keyword: string; params: Record<string, unknown> }>;
  /** The names of the stored inputs that still fit (each is a current parameter and valid as it is). */
  fitting: string[];
  /** Those inputs' values, to start an edited run from; secrets are left out (they must be given again). */
  values: Record<string, unknown>;
}
