/**
 * Turning whatever a function or hook threw into the stored `{ type, message, details }` plus a
 * traceback, and letting the function's `onError` hook shape it (the seed's `handle_error_response`).
 */
import { inspect } from 'node:util';
import { TurtleError } from '../errors.js';
import type { FunctionOptions, HookContext } from '../registry/function-options.js';
import { jsonSafe } from './storable-output.js';
import { toWellFormed } from '../well-formed-text.js';
import type { ExecutionError } from '../../api/execution.js';
import type { Logger } from './executions-service.js';

/** A stored error and its stack. */
export interface DescribedError {
  error: ExecutionError;
  traceback: string | null;
}

/** The default stored form of `thrown`: a `TurtleError`'s own type, else the error's name. */
export function describeError(thrown: unknown): DescribedError {
  if (thrown instanceof TurtleError)
    return { error: safeError(thrown.toJSON()), traceback: thrown.stack ?? null };
  if (thrown instanceof Error) {
    const named = thrown.name && thrown.name !== 'Error' ? thrown.name : thrown.constructor?.name || 'Error';
    const details = (thrown as { details?: unknown }).details;
    return {
      error: safeError({ type: named, message: thrown.message, details: isRecord(details) ? details : {} }),
      traceback: thrown.stack ?? null,
    };
  }
  return { error: { type: 'Error', message: inspect(thrown), details: {} }, traceback: null };
}

/** {@link describeError}, then the `onError` hook's overrides; a failing hook is logged and ignored. */
export async function shapeError(
  thrown: unknown,
  options: FunctionOptions,
  context: HookContext,
  logger?: Logger,
): Promise<DescribedError> {
  const described = describeError(thrown);
  if (!options.onError) return described;
  try {
    const shape = await options.onError(thrown, context);
    if (!shape) return described;
    return {
      traceback: described.traceback,
      error: safeError({
        type: typeof shape.type === 'string' && shape.type ? shape.type : described.error.type,
        message: typeof shape.message === 'string' ? shape.message : described.error.message,
        details: isRecord(shape.details) ? shape.details : described.error.details,
      }),
    };
  } catch (hookError) {
    logger?.error({ err: hookError, executionId: context.id }, 'onError hook failed');
    return described;
  }
}

/** JSON-safe details; type and message without lone surrogates, which not every database stores. */
function safeError(error: ExecutionError): ExecutionError {
  const details = jsonSafe(error.details);
  return {
    type: toWellFormed(error.type),
    message: toWellFormed(error.message),
    details: isRecord(details) ? details : {},
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
