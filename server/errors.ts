/**
 * The typed errors of the domain. Each has a stable `type` string (what the JSON API returns and what
 * callers switch on) and a `details` object; the HTTP layer maps `type` to a status code, the domain
 * never knows about HTTP.
 */

import type { SchemaChangedDetails, TurtleErrorType } from '../api/errors.js';

export type { TurtleErrorType };

/** Base class of every error turtle-shell raises on purpose. */
export abstract class TurtleError extends Error {
  /** Stable machine-readable name, e.g. `"ValidationError"`. */
  abstract readonly type: TurtleErrorType;
  /** Structured facts about the error; always JSON-safe. */
  details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }

  override get name(): string {
    return this.type;
  }

  /** The `{ type, message, details }` form stored with executions and sent by the API. */
  toJSON(): { type: TurtleErrorType; message: string; details: Record<string, unknown> } {
    return { type: this.type, message: this.message, details: this.details };
  }
}

/** One failed JSON Schema check of an input. */
export interface ValidationIssue {
  /** JSON pointer of the offending value, e.g. `"/flowcell_type"` (a missing property points at itself). */
  path: string;
  /** Human-readable message. */
  message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `enum`, … or `validate` for the hook). */
  keyword: string;
  /** The keyword's parameters as ajv reports them. */
  params: Record<string, unknown>;
}

/** Inputs did not match the function's schema, or its `validate` hook rejected them. */
export class ValidationError extends TurtleError {
  override readonly type = 'ValidationError';
  declare details: { errors: ValidationIssue[] } & Record<string, unknown>;
  constructor(errors: ValidationIssue[], message = summarise(errors)) {
    super(message, { errors });
  }
}

/** No registered (and bound) function has that name. */
export class UnknownFunction extends TurtleError {
  override readonly type = 'UnknownFunction';
  constructor(name: string) {
    super(`No function named ${JSON.stringify(name)} is registered`, { name });
  }
}

/** No execution has that id. */
export class ExecutionNotFound extends TurtleError {
  override readonly type = 'ExecutionNotFound';
  constructor(id: string) {
    super(`No execution with id ${JSON.stringify(id)}`, { id });
  }
}

/** No schedule has that id. */
export class ScheduleNotFound extends TurtleError {
  override readonly type = 'ScheduleNotFound';
  constructor(id: string) {
    super(`No schedule with id ${JSON.stringify(id)}`, { id });
  }
}

/**
 * A schedule change that does not apply to the schedule as it is: pausing a paused one, resuming
 * one that runs, deleting one defined in code (it would come back at the next start).
 */
export class IllegalScheduleChange extends TurtleError {
  override readonly type = 'IllegalScheduleChange';
  constructor(id: string, change: 'pause' | 'resume' | 'delete', reason: string) {
    super(`Cannot ${change} schedule ${JSON.stringify(id)}: ${reason}`, { id, change });
  }
}

/**
 * A status change the transition table forbids, or one that lost a race: `details.current` is the
 * status the execution actually has (`null` if it does not exist).
 */
export class IllegalTransition extends TurtleError {
  override readonly type = 'IllegalTransition';
  constructor(id: string, from: string, to: string, current: string | null = from) {
    super(
      current === from
        ? `An execution cannot go from ${from} to ${to}`
        : `Execution ${id} is ${current ?? 'gone'}, not ${from}: it cannot go to ${to}`,
      { id, from, to, current },
    );
  }
}

/** The execution ran longer than its `timeout`. */
export class Timeout extends TurtleError {
  override readonly type = 'Timeout';
  constructor(timeoutMs: number) {
    super(`The execution did not finish within ${timeoutMs} ms`, { timeoutMs });
  }
}

/** The execution was cancelled (the reason a running function's `signal` aborts with). */
export class Cancelled extends TurtleError {
  override readonly type = 'Cancelled';
  constructor(id: string) {
    super(`Execution ${id} was cancelled`, { id });
  }
}

/** The function returned a value that does not survive JSON; `details.value` keeps a string form. */
export class OutputNotSerializable extends TurtleError {
  override readonly type = 'OutputNotSerializable';
  constructor(reason: string, path: string, value: string) {
    super(`The function's result cannot be stored as JSON: ${reason}${path ? ` at ${path}` : ''}`, {
      reason,
      path,
      value,
    });
  }
}

/**
 * An idempotency key used again for another function or other input (the IETF Idempotency-Key
 * draft answers this 422): `details.executionId` is the execution the key already names.
 */
export class IdempotencyKeyReused extends TurtleError {
  override readonly type = 'IdempotencyKeyReused';
  constructor(key: string, executionId: string, functionName: string) {
    super(
      `The idempotency key ${JSON.stringify(key)} was already used for another request (execution ${executionId} of ${functionName}); send a new request with a new key`,
      { idempotencyKey: key, executionId, functionName },
    );
  }
}

/**
 * A value too big to store: a function's result, its pending state or checkpoint, or its error, as
 * JSON text over the `maxOutputBytes` cap (`limit`), or refused by the database (`limit` null).
 * `bytes` is the UTF-8 length of the JSON text.
 */
export class OutputTooLarge extends TurtleError {
  override readonly type = 'OutputTooLarge';
  constructor(what: 'output' | 'state' | 'error', bytes: number, limit: number | null) {
    super(
      limit === null
        ? `The database refused to store the execution's ${what} (${bytes} bytes as JSON)`
        : `The execution's ${what} is ${bytes} bytes as JSON, more than the limit of ${limit}`,
      { what, bytes, limit },
    );
  }
}

/**
 * The database kept failing while the end of a run was written (after retries); the run itself is
 * not repeated. `details.code` is the driver's error code, when it has one. The driver's error is
 * logged where it happens, not carried here (it may hold the SQL and its values).
 */
export class StorageUnavailable extends TurtleError {
  override readonly type = 'StorageUnavailable';
  constructor(attempts: number, failure?: unknown) {
    const code = (failure as { code?: unknown } | undefined)?.code;
    super(`The database kept failing while the end of the run was recorded (${attempts} attempts)`, {
      attempts,
      code: typeof code === 'string' ? code : null,
    });
  }
}

/** Why an execution cannot be resumed: it did not error, or it errored before any checkpoint. */
export type NotResumableReason = 'not-errored' | 'no-checkpoint';

/**
 * A rerun asked to resume (`resume: true`) from an execution that cannot be resumed:
 * `details.reason` is `not-errored` (`details.status` says what it is) or `no-checkpoint` (it errored
 * before its function stored any state). A plain rerun of it is still possible.
 */
export class NotResumable extends TurtleError {
  override readonly type = 'NotResumable';
  constructor(id: string, reason: NotResumableReason, status: string) {
    super(
      reason === 'not-errored'
        ? `Execution ${id} is ${status}: only an errored execution can be resumed`
        : `Execution ${id} errored before any checkpoint: there is nothing to resume from`,
      { id, reason, status },
    );
  }
}

/**
 * A rerun of a run whose stored inputs no longer fit its function's current schema: nothing is run.
 * `details` say what changed since the run's version and which inputs still fit (see
 * {@link SchemaChangedDetails}).
 */
export class SchemaChanged extends TurtleError {
  override readonly type = 'SchemaChanged';
  declare details: SchemaChangedDetails & Record<string, unknown>;
  constructor(details: SchemaChangedDetails) {
    super(
      `The inputs of execution ${details.executionId} no longer fit ${details.functionName}: its parameters changed since it ran`,
      { ...details },
    );
  }
}

/** No version `version` of function `name` was ever recorded. */
export class FunctionVersionNotFound extends TurtleError {
  override readonly type = 'FunctionVersionNotFound';
  constructor(name: string, version: string) {
    super(`No version ${JSON.stringify(version)} of function ${JSON.stringify(name)} was recorded`, {
      name,
      version,
    });
  }
}

/** At start-up: the registered functions and the manifest disagree; run `turtle schema`. */
export class ManifestMismatch extends TurtleError {
  override readonly type = 'ManifestMismatch';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(`${message}. Run \`turtle schema\` to regenerate the manifest.`, details);
  }
}

/** A registration or option the registry cannot accept (e.g. two functions under one name). */
export class RegistryError extends TurtleError {
  override readonly type = 'RegistryError';
}

/** `currentExecution()` was called outside a running execution. */
export class NoCurrentExecution extends TurtleError {
  override readonly type = 'NoCurrentExecution';
  constructor() {
    super('currentExecution() is only available while a function runs as an execution');
  }
}

function summarise(errors: ValidationIssue[]): string {
  const first = errors[0];
  if (!first) return 'Invalid input';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Invalid input: ${first.path || '(input)'} ${first.message}${more}`;
}
