/**
 * The production logger, and what it writes about errors. A failed database write must not put the
 * execution's inputs (secrets included) in the logs: drivers attach the statement to their errors
 * (mysql2's `sql`, knex's timeout `sql` and `bindings`), and knex prefixes the message with the SQL,
 * its values inlined. The `err` serializer keeps what identifies a failure (type, code, errno,
 * sqlState, the stack frames) and drops the SQL text and values. Every process (`turtle serve`,
 * `turtle worker`, `createApp` without a logger) logs through {@link createLogger}.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Logged as `name` on every line. */
  name?: string;
  /** A pino level (`LOG_LEVEL`). Default `info`. */
  level?: string;
}

/**
 * Error properties that carry SQL text or the values bound into it (pg's `detail` quotes the row or
 * key that failed, its `where` and `internalQuery` quote SQL).
 */
const STATEMENT_KEYS = new Set([
  'sql',
  'bindings',
  'sqlMessage',
  'parameters',
  'query',
  'values',
  'detail',
  'where',
  'internalQuery',
]);

// knex prefixes a failed query's message with the statement: `<sql> - <driver message>`.
const SQL_PREFIX =
  /^\s*(?:select|insert|update|delete|replace|with|create|alter|drop|truncate|pragma|begin|commit|rollback|savepoint|release|set|show|lock|unlock|call|explain)\b/i;

// Driver messages that quote a value (MariaDB's "Duplicate entry '…'", "Incorrect … value: '…'").
const QUOTED_VALUE = /\b(entry|value:?)\s+'(?:[^'\\]|\\.|'')*'/gi;

/** Deep enough for real cause chains; stops a cycle. */
const MAX_DEPTH = 8;

/**
 * A pino logger on stdout (or `destination`) whose `err` serializer is {@link serializeError}.
 * @example
 * const logger = createLogger({ name: 'turtle-shell', level: config.logLevel });
 */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const config = {
    ...(options.name !== undefined && { name: options.name }),
    level: options.level ?? 'info',
    serializers: { err: serializeError },
  };
  return destination ? pino(config, destination) : pino(config);
}

/**
 * An error as it may be logged: `type`, `message` and `stack` without SQL text or quoted values,
 * the error's other own properties except the statement and its bindings, `cause` and `errors`
 * (AggregateError) serialized the same way. Anything that is not an error is returned as is.
 */
export function serializeError(err: unknown): unknown {
  return serialize(err, 0, new Set());
}

function serialize(err: unknown, depth: number, seen: Set<unknown>): unknown {
  if (!isErrorLike(err)) return err;
  if (seen.has(err) || depth > MAX_DEPTH) return { type: typeName(err), message: '[circular or too deep]' };
  seen.add(err);
  const record = err as unknown as Record<string, unknown>;
  const type = typeName(err);
  const message = safeMessage(err);
  const out: Record<string, unknown> = { type, message, stack: safeStack(err, type, message) };
  for (const key of Object.keys(record)) {
    if (STATEMENT_KEYS.has(key) || key in out || key === 'cause' || key === 'errors') continue;
    const value = record[key];
    out[key] = isErrorLike(value) ? serialize(value, depth + 1, seen) : value;
  }
  if (isErrorLike(record.cause)) out.cause = serialize(record.cause, depth + 1, seen);
  if (Array.isArray(record.errors))
    out.errors = record.errors.map((inner) => serialize(inner, depth + 1, seen));
  return out;
}

/** The message without the statement knex put in front of it, and with quoted values masked. */
function safeMessage(err: Error): string {
  const record = err as unknown as Record<string, unknown>;
  let message = String(err.message);
  const sql = record.sql;
  if (typeof sql === 'string' && sql !== '') message = message.split(sql).join('<sql>');
  if (SQL_PREFIX.test(message)) {
    // The driver's own message comes after the last separator; the SQL before it may contain one too.
    const cut = message.lastIndexOf(' - ');
    message = cut === -1 ? '<sql>' : message.slice(cut + 3);
  }
  return message.replace(QUOTED_VALUE, "$1 '…'");
}

/** The stack's frames under a safe first line (V8 repeats the original message there). */
function safeStack(err: Error, type: string, message: string): string | undefined {
  if (typeof err.stack !== 'string') return undefined;
  const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line));
  return [`${type}: ${message}`, ...frames].join('\n');
}

function typeName(err: Error): string {
  const ctor = (err as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : err.name;
}

function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
