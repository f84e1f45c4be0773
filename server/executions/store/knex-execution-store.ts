/**
 * The `ExecutionStore` on Knex (SQLite, MySQL/MariaDB). Writes go through `atomically` (one
 * transaction, conditional updates checked by affected-row counts); inserts without an idempotency
 * key, which cannot conflict, share commits with concurrent ones (`InsertBatches`). Rows become
 * records in `record-columns.ts`; the reads live in `knex-queries.ts`.
 */
import type { Knex } from 'knex';
import { atomically, type Statement } from '../../storage/atomic.js';
import { columnsFor, detectJsonParsedByDriver, type Columns } from '../../storage/columns.js';
import { existingInputColumns, inputColumnName } from '../../storage/input-index.js';
import { InsertBatches } from '../../storage/insert-batches.js';
import { readRow } from '../../storage/read-row.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../storage/tables.js';
import {
  PENDING_STATUSES,
  TERMINAL_STATUSES,
  type ExecutionEvent,
  type ExecutionStatus,
  type ExecutionSummary,
} from '../../../api/execution.js';
import type {
  EventWithUser,
  ExecutionPage,
  ListEventsOptions,
  ListOptions,
  PendingListOptions,
} from '../executions-service.js';
import { toEvent, type EventDraft, type ExecutionRecord, type Expected } from './execution-record.js';
import type { Change, ExecutionStore, InsertResult, PruneCriteria } from './execution-store.js';
import {
  eventFromRow,
  listExecutionEvents,
  listExecutions,
  newestEventId,
  pendingExecutions,
} from './knex-queries.js';
import { expectedColumns, fromColumns, toColumns } from './record-columns.js';
import { WEBHOOK_DELIVERIES_TABLE } from '../../storage/tables.js';
import { deliveryRow } from '../../webhooks/delivery-rows.js';
import { deleteDeliveriesOf } from '../../webhooks/knex-delivery-store.js';

export class KnexExecutionStore implements ExecutionStore {
  readonly #knex: Knex;
  readonly #batches: InsertBatches;
  #columns: Columns | undefined;
  #columnsReady: Promise<Columns> | undefined;
  /** MySQL/MariaDB: the generated input columns known to exist (see `input-index.ts`). */
  #inputColumns: Set<string> | undefined;

  constructor(knex: Knex) {
    this.#knex = knex;
    this.#batches = new InsertBatches(knex);
  }

  async insert(record: ExecutionRecord, events: readonly EventDraft[]): Promise<InsertResult> {
    const columns = await this.#cols();
    const at = record.createdAt;
    const eventRows = events.map((draft) => this.#eventRow(columns, record, at, draft));
    const row = toColumns(columns, record);
    if (record.idempotencyKey === null) {
      const [, ids] = await this.#batches.insert([
        { table: EXECUTIONS_TABLE, rows: [row] },
        { table: EVENTS_TABLE, rows: eventRows },
      ]);
      return { events: events.map((draft, i) => toEvent(record, ids![i] ?? 0, at, draft)) };
    }
    const existing = await this.#byKey(record.idempotencyKey);
    if (existing) return { existing };
    try {
      const results = (await atomically(this.#knex, [
        { insert: EXECUTIONS_TABLE, rows: [row] },
        { insert: EVENTS_TABLE, rows: eventRows },
      ]))!;
      return { events: events.map((draft, i) => toEvent(record, results[1]!.insertIds[i] ?? 0, at, draft)) };
    } catch (err) {
      // Another request with the same key got there first.
      const winner = isUniqueViolation(err) ? await this.#byKey(record.idempotencyKey) : undefined;
      if (winner) return { existing: winner };
      throw err;
    }
  }

  async change(id: string, expected: Expected, at: number, change: Change): Promise<ExecutionEvent[] | null> {
    const columns = await this.#cols();
    const target = { id, functionName: change.functionName };
    const set = toColumns(columns, {
      ...change.patch,
      ...(change.status ? { status: change.status } : {}),
      updatedAt: at,
    });
    const statements: Statement[] = [
      { update: EXECUTIONS_TABLE, set, where: expectedColumns(columns, id, expected), expect: 1 },
    ];
    if (change.events.length > 0)
      statements.push({
        insert: EVENTS_TABLE,
        rows: change.events.map((draft) => this.#eventRow(columns, target, at, draft)),
      });
    if (change.deliveries?.length)
      statements.push({
        insert: WEBHOOK_DELIVERIES_TABLE,
        rows: change.deliveries.map((draft) => deliveryRow(columns, draft)),
      });
    const results = await atomically(this.#knex, statements);
    if (!results) return null;
    const ids = change.events.length > 0 ? (results[1]?.insertIds ?? []) : [];
    return change.events.map((draft, i) => toEvent(target, ids[i] ?? 0, at, draft));
  }

  async heartbeat(id: string, workerId: string, at: number): Promise<boolean> {
    const columns = await this.#cols();
    const changed = await this.#knex(EXECUTIONS_TABLE)
      .where({ id, worker_id: workerId })
      .whereIn('status', PENDING_STATUSES as ExecutionStatus[])
      .update({ heartbeat_at: columns.time(at) });
    return Number(changed) === 1;
  }

  async release(id: string, workerId: string): Promise<boolean> {
    const changed = await this.#knex(EXECUTIONS_TABLE)
      .where({ id, worker_id: workerId })
      .whereIn('status', PENDING_STATUSES as ExecutionStatus[])
      .update({ worker_id: null, heartbeat_at: null });
    return Number(changed) === 1;
  }

  async get(id: string): Promise<ExecutionRecord | undefined> {
    const columns = await this.#cols();
    const row = await readRow(this.#knex, { select: EXECUTIONS_TABLE, where: { id } });
    return row && fromColumns(columns, row);
  }

  async eventsOf(id: string): Promise<ExecutionEvent[]> {
    const columns = await this.#cols();
    const rows = await this.#knex(EVENTS_TABLE)
      .where({ execution_id: id })
      .orderBy('id', 'asc')
      .select<Array<Record<string, unknown>>>();
    return rows.map((row) => eventFromRow(columns, row));
  }

  async list(options: ListOptions): Promise<ExecutionPage<ExecutionSummary>> {
    const columns = await this.#cols();
    const names = Object.keys(options.input ?? {});
    if (columns.kind !== 'mysql' || names.length === 0) return listExecutions(this.#knex, columns, options);
    // `turtle migrate` may add a generated column at any time: look again while one is missing.
    if (!names.every((name) => this.#inputColumns?.has(inputColumnName(name))))
      this.#inputColumns = await existingInputColumns(this.#knex);
    return listExecutions(this.#knex, columns, options, this.#inputColumns);
  }

  async pending(options: PendingListOptions): Promise<ExecutionRecord[]> {
    return pendingExecutions(this.#knex, await this.#cols(), options);
  }

  async events(options: ListEventsOptions): Promise<Array<ExecutionEvent | EventWithUser>> {
    return listExecutionEvents(this.#knex, await this.#cols(), options);
  }

  async prune(criteria: PruneCriteria, limit: number): Promise<number> {
    const oldest = await this.#finished(await this.#cols(), criteria)
      .select<Array<{ id: string }>>('id')
      .orderBy([{ column: 'finished_at' }, { column: 'id' }])
      .limit(limit);
    const ids = oldest.map((row) => row.id);
    if (ids.length === 0) return 0;
    return this.#knex.transaction(async (trx) => {
      await trx(EVENTS_TABLE).whereIn('execution_id', ids).delete();
      await deleteDeliveriesOf(trx, ids);
      // Terminal statuses are final, so the check is a guard, not a race.
      return Number(
        await trx(EXECUTIONS_TABLE)
          .whereIn('id', ids)
          .whereIn('status', TERMINAL_STATUSES as ExecutionStatus[])
          .delete(),
      );
    });
  }

  async countPrunable(criteria: PruneCriteria): Promise<number> {
    const row = (await this.#finished(await this.#cols(), criteria)
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  newestEventId(): Promise<number> {
    return newestEventId(this.#knex);
  }

  /** The finished executions matching `criteria`, as a query to select from or count (not awaited: a builder runs when awaited). */
  #finished(columns: Columns, criteria: PruneCriteria): Knex.QueryBuilder {
    const query = this.#knex(EXECUTIONS_TABLE)
      .whereIn('status', TERMINAL_STATUSES as ExecutionStatus[])
      .where('finished_at', '<', columns.time(criteria.finishedBefore));
    if (criteria.functionName !== undefined) query.where('func_name', criteria.functionName);
    if (criteria.exceptFunctions?.length) query.whereNotIn('func_name', criteria.exceptFunctions as string[]);
    return query;
  }

  async #byKey(key: string): Promise<ExecutionRecord | undefined> {
    const row = await readRow(this.#knex, { select: EXECUTIONS_TABLE, where: { idempotency_key: key } });
    return row && fromColumns(await this.#cols(), row);
  }

  #eventRow(
    columns: Columns,
    execution: Pick<ExecutionRecord, 'id' | 'functionName'>,
    at: number,
    draft: EventDraft,
  ): Record<string, unknown> {
    return {
      execution_id: execution.id,
      func_name: execution.functionName,
      at: columns.time(at),
      kind: draft.kind,
      from_status: draft.from ?? null,
      to_status: draft.to ?? null,
      data_json: columns.json(draft.data),
    };
  }

  /** The column codecs; a plain value once known, so the hot paths' `await` costs no promise. */
  #cols(): Columns | Promise<Columns> {
    if (this.#columns) return this.#columns;
    this.#columnsReady ??= detectJsonParsedByDriver(this.#knex, EXECUTIONS_TABLE, 'input_json').then(
      (parsed) => (this.#columns = columnsFor(this.#knex, parsed)),
    );
    return this.#columnsReady;
  }
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'ER_DUP_ENTRY' || code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}
