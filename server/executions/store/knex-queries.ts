/** The read side of the Knex store: listing executions and events, and what is pending. */
import type { Knex } from 'knex';
import type { Columns } from '../../storage/columns.js';
import { hasNul } from '../../storage/postgres-text.js';
import { inputColumnName, inputIndexName, whereInput } from '../../storage/input-index.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../storage/tables.js';
import { HEARTBEAT_TTL_MS } from '../claim-decision.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { checkLimit, invalidOption, toMs } from '../invalid-option.js';
import type {
  EventWithUser,
  ExecutionPage,
  ListEventsOptions,
  ListOptions,
  PendingListOptions,
} from '../executions-service.js';
import { fromColumns, SUMMARY_COLUMNS } from './record-columns.js';

/** A row as the driver returns it, before decoding. */
type Row = Record<string, unknown>;
import { toExecution, toSummary, type ExecutionRecord } from './execution-record.js';
import { isExecutionStatus, PENDING_STATUSES, type ExecutionStatus } from '../../../api/execution.js';
import type {
  Execution,
  ExecutionEvent,
  ExecutionEventKind,
  ExecutionSummary,
} from '../../../api/execution.js';

/**
 * Executions newest first, keyset-paginated over (created_at, id). See `Executions#list`. Summaries
 * do not even read the big columns: a page of 50 must not cost 50 outputs.
 */
export async function listExecutions(
  knex: Knex,
  columns: Columns,
  options: ListOptions & { fields: 'full' },
  inputColumns?: ReadonlySet<string>,
): Promise<ExecutionPage<Execution>>;
export async function listExecutions(
  knex: Knex,
  columns: Columns,
  options?: ListOptions,
  inputColumns?: ReadonlySet<string>,
): Promise<ExecutionPage>;
export async function listExecutions(
  knex: Knex,
  columns: Columns,
  options: ListOptions = {},
  inputColumns: ReadonlySet<string> = new Set(),
): Promise<ExecutionPage<ExecutionSummary>> {
  const limit = checkLimit(options.limit, 50, 500);
  const full = options.fields === 'full';
  if (!full && options.fields !== undefined && options.fields !== 'summary')
    throw invalidOption('/fields', 'must be summary or full', 'enum');
  if (columns.kind === 'postgres' && [options.functionName, options.user, options.scheduleId].some(hasNul))
    return { items: [], next: null }; // no PostgreSQL text holds NUL
  const rows = (await listQuery(knex, columns, options, inputColumns).limit(limit + 1)) as Row[];
  const items = rows.slice(0, limit).map((row) => {
    const record = fromColumns(columns, row);
    return full ? toExecution(record) : toSummary(record);
  });
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items,
    next: last
      ? encodeCursor({ createdAt: columns.readTime(last.created_at)!, id: last.id as string })
      : null,
  };
}

/**
 * The query of one page of {@link listExecutions}, without its limit (for `EXPLAIN` in tests and
 * benches). `inputColumns`: the MySQL/MariaDB generated input columns that exist (see `input-index.ts`).
 */
export function listQuery(
  knex: Knex,
  columns: Columns,
  options: ListOptions,
  inputColumns: ReadonlySet<string> = new Set(),
): Knex.QueryBuilder {
  const selected = options.fields === 'full' ? ['*'] : SUMMARY_COLUMNS;
  const inputs = Object.entries(options.input ?? {});
  if (inputs.length > 0 && options.functionName === undefined)
    throw invalidOption('/function', 'is required to filter by inputs', 'required');
  const indexedInput = inputs.find(([name]) => inputColumns.has(inputColumnName(name)));
  // MariaDB's optimizer sometimes prefers the primary key (for the cursor's `id <`) or another
  // filter's index and scans far; name the (filter, created_at, id) index that serves the page.
  const index =
    indexedInput !== undefined
      ? inputIndexName(indexedInput[0])
      : `${EXECUTIONS_TABLE}_${
          options.functionName !== undefined
            ? 'func_created_idx'
            : options.scheduleId !== undefined
              ? 'schedule_created_idx'
              : options.user !== undefined
                ? 'user_created_idx'
                : options.status !== undefined
                  ? 'status_created_idx'
                  : 'created_idx'
        }`;
  const query =
    columns.kind === 'mysql'
      ? knex.select(selected).from(knex.raw('?? FORCE INDEX (??)', [EXECUTIONS_TABLE, index]))
      : knex(EXECUTIONS_TABLE).select(selected);
  if (options.functionName !== undefined) query.where('func_name', options.functionName);
  for (const [name, value] of inputs)
    whereInput(query, columns.kind, name, value, inputColumns.has(inputColumnName(name)));
  if (options.status !== undefined) {
    if (!isExecutionStatus(options.status))
      throw invalidOption('/status', 'is not an execution status', 'enum');
    query.where('status', options.status);
  }
  if (options.user !== undefined) query.where('user', options.user);
  if (options.scheduleId !== undefined) query.where('schedule_id', options.scheduleId);
  if (options.createdAfter !== undefined)
    query.where('created_at', '>=', columns.time(toMs(options.createdAfter, '/createdAfter')));
  if (options.createdBefore !== undefined)
    query.where('created_at', '<', columns.time(toMs(options.createdBefore, '/createdBefore')));
  if (options.cursor) {
    const position = decodeCursor(options.cursor);
    const at = columns.time(position.createdAt);
    // The redundant `<=` bounds the index range scan; the OR picks up ties on created_at by id.
    query.where('created_at', '<=', at).where((q) => {
      q.where('created_at', '<', at).orWhere((tie) => {
        tie.where('created_at', at).where('id', '<', position.id);
      });
    });
  }
  return query.orderBy([
    { column: 'created_at', order: 'desc' },
    { column: 'id', order: 'desc' },
  ]);
}

/** Due executions no live worker holds, oldest first. See `Executions#pending`. */
export async function pendingExecutions(
  knex: Knex,
  columns: Columns,
  options: PendingListOptions = {},
): Promise<ExecutionRecord[]> {
  const limit = checkLimit(options.limit, 100, 10_000);
  const now = Date.now();
  const staleBefore = columns.time(now - (options.heartbeatTtlMs ?? HEARTBEAT_TTL_MS));
  const rows = (await knex(EXECUTIONS_TABLE)
    .whereIn('status', PENDING_STATUSES as ExecutionStatus[])
    .where((q) => {
      q.whereNull('next_run_at').orWhere('next_run_at', '<=', columns.time(now));
    })
    .where((q) => {
      q.whereNull('worker_id').orWhereNull('heartbeat_at').orWhere('heartbeat_at', '<', staleBefore);
    })
    .orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .limit(limit)) as Row[];
  return rows.map((row) => fromColumns(columns, row));
}

/** Events in id order. See `Executions#listEvents`. */
export async function listExecutionEvents(
  knex: Knex,
  columns: Columns,
  options: ListEventsOptions = {},
): Promise<ExecutionEvent[]> {
  const limit = checkLimit(options.limit, 100, 1000);
  const afterId = options.afterId ?? 0;
  const missing = options.missingIds ?? [];
  if (missing.length > 1000) throw invalidOption('/missingIds', 'must have at most 1000 ids', 'maxItems');
  if (columns.kind === 'postgres' && [options.executionId, options.functionName, options.user].some(hasNul))
    return []; // no PostgreSQL text holds NUL
  const query = knex({ e: EVENTS_TABLE }).select('e.*');
  // The user is the execution's: joined by primary key, so filtering by it stays in SQL.
  const joined = options.withUser === true || options.user !== undefined;
  if (joined) query.leftJoin({ x: EXECUTIONS_TABLE }, 'x.id', 'e.execution_id').select('x.user as user');
  if (missing.length > 0)
    query.where((q) => {
      q.where('e.id', '>', afterId).orWhereIn('e.id', missing);
    });
  else query.where('e.id', '>', afterId);
  if (options.executionId !== undefined) query.where('e.execution_id', options.executionId);
  if (options.functionName !== undefined) query.where('e.func_name', options.functionName);
  if (options.user === null) query.whereNull('x.user');
  else if (options.user !== undefined) query.where('x.user', options.user);
  const rows = (await query.orderBy('e.id', 'asc').limit(limit)) as Row[];
  if (options.withUser !== true) return rows.map((row) => eventFromRow(columns, row));
  return rows.map((row): EventWithUser => ({
    ...eventFromRow(columns, row),
    user: (row.user as string | null) ?? null,
  }));
}

/** The newest event id, 0 when there is none. See `Executions#newestEventId`. */
export async function newestEventId(knex: Knex): Promise<number> {
  const row = (await knex(EVENTS_TABLE).max('id as max').first()) as
    { max: number | string | null } | undefined;
  return Number(row?.max ?? 0);
}

/** A stored event row in its public form. */
export function eventFromRow(columns: Columns, row: Record<string, unknown>): ExecutionEvent {
  const data = columns.readJson(row.data_json);
  return {
    id: Number(row.id),
    executionId: row.execution_id as string,
    functionName: row.func_name as string,
    at: new Date(columns.readTime(row.at)!).toISOString(),
    kind: row.kind as ExecutionEventKind,
    ...(row.from_status ? { from: row.from_status as ExecutionStatus } : {}),
    ...(row.to_status ? { to: row.to_status as ExecutionStatus } : {}),
    ...(data !== null ? { data } : {}),
  };
}
