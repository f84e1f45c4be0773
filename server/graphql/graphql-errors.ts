/**
 * The errors of a GraphQL answer, made safe the way the JSON API's error middleware makes its own:
 * a turtle-shell error (a domain or HTTP error with a stable `type`, or a database that does not
 * answer) keeps its message and gets `extensions: { type, details }` — a `ValidationError`'s
 * `details.errors[]` are the JSON API's, paths and all; GraphQL's own errors (syntax, validation,
 * coercion) stay as graphql-js words them; anything else is logged and answered as a generic
 * `InternalError` carrying the request id. No stack trace is ever sent.
 */
import { GraphQLError } from 'graphql';
import type { Logger } from '../executions/executions-service.js';
import { isMappedErrorType, STATUS_BY_ERROR_TYPE } from '../http/status-codes.js';
import { asDatabaseUnavailable } from '../storage/database-errors.js';

/** Where an unexpected error is logged, and the id the client may quote. */
export interface ErrorScope {
  log: Logger;
  requestId: string;
}

interface Typed {
  type: string;
  message: string;
  details: Record<string, unknown>;
}

function typed(thrown: unknown): Typed | null {
  if (!(thrown instanceof Error)) return null;
  const err = thrown as Error & { type?: unknown; details?: unknown };
  if (typeof err.type !== 'string' || !isMappedErrorType(err.type)) return null;
  const details =
    err.details && typeof err.details === 'object' ? (err.details as Record<string, unknown>) : {};
  return { type: err.type, message: err.message, details };
}

/** `error` as it may be answered (see the module comment). */
export function safeGraphQLError(error: GraphQLError, scope: ErrorScope): GraphQLError {
  const original = error.originalError;
  // graphql-js's own errors, and ours made as GraphQLErrors (QueryTooComplex): their words are safe.
  if (original === undefined || original instanceof GraphQLError) return error;
  const known = typed(original) ?? typed(asDatabaseUnavailable(original));
  const located = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  if (known) {
    // As the JSON API logs its 5xx answers (a database that does not answer, a lost final write).
    if ((STATUS_BY_ERROR_TYPE[known.type as keyof typeof STATUS_BY_ERROR_TYPE] ?? 500) >= 500)
      scope.log.error({ err: original }, 'request failed');
    return new GraphQLError(known.message, {
      ...located,
      extensions: { type: known.type, details: known.details },
    });
  }
  scope.log.error({ err: original }, 'unexpected error');
  return new GraphQLError(
    'Something went wrong on the server; it has been logged. Quote the request id when reporting it.',
    { ...located, extensions: { type: 'InternalError', details: { requestId: scope.requestId } } },
  );
}
