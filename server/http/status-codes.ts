/**
 * Error `type` → HTTP status. The domain never knows about statuses; this table is where the HTTP
 * layer translates. A type not listed here is a bug and answers 500.
 */
import type { TurtleErrorType } from '../../api/errors.js';

export const STATUS_BY_ERROR_TYPE: Readonly<Partial<Record<TurtleErrorType, number>>> = {
  InvalidJson: 400,
  BodyTooDeep: 400,
  InvalidRequest: 400,
  ValidationError: 400,
  InvalidCursor: 400,
  InvalidContentEncoding: 400,
  QueryTooComplex: 400,
  Unauthorized: 401,
  Forbidden: 403,
  RouteNotFound: 404,
  UnknownFunction: 404,
  ExecutionNotFound: 404,
  FunctionVersionNotFound: 404,
  ScheduleNotFound: 404,
  ElementsNotBuilt: 404,
  GraphiQLNotBuilt: 404,
  MethodNotAllowed: 405,
  RequestTimeout: 408,
  IllegalTransition: 409,
  NotResumable: 409,
  SchemaChanged: 409,
  IllegalScheduleChange: 409,
  IdempotencyKeyReused: 422,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  UnsupportedContentEncoding: 415,
  RequestHeadersTooLarge: 431,
  NotImplemented: 501,
  DatabaseUnavailable: 503,
  StorageUnavailable: 503,
};

/** Whether `type` is one the API answers with its own status (else the error is a bug: 500). */
export function isMappedErrorType(type: string): type is TurtleErrorType {
  return Object.hasOwn(STATUS_BY_ERROR_TYPE, type);
}
