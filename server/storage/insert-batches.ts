/**
 * Group commit for inserts. Callers queue rows; everything queued in the same turn of the event loop,
 * or while the previous write was in flight, goes in one transaction with one multi-row INSERT per
 * table. Under concurrency N callers pay for one commit instead of N: SQLite writes each page they
 * touch once, MySQL/MariaDB parses, commits and flushes its log once. With no concurrency a write waits
 * only for the end of the current turn.
 *
 * Only for rows that cannot conflict (fresh keys, no conditions): one failing row fails its batch, and
 * every caller in it gets the error.
 */
import type { Knex } from 'knex';
import { atomically, type Statement } from './atomic.js';

/** Rows for one table. Rows of one table should have the same columns (they are grouped by columns). */
export interface InsertPart {
  table: string;
  rows: ReadonlyArray<Record<string, unknown>>;
}

interface Queued {
  parts: readonly InsertPart[];
  bytes: number;
  resolve(ids: number[][]): void;
  reject(err: unknown): void;
}

/** Most callers and bytes of values (a rough size of the statements) in one batch. */
const MAX_CALLERS = 64;
const MAX_BYTES = 4 * 1024 * 1024;

/** Batches the inserts of many callers on one database. */
export class InsertBatches {
  readonly #queue: Queued[] = [];
  #draining = false;

  constructor(private readonly knex: Knex) {}

  /**
   * Inserts each part's rows, with other callers' in one transaction.
   * @returns for each part, the auto-increment ids of its rows in order (empty for tables without).
   */
  insert(parts: readonly InsertPart[]): Promise<number[][]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ parts, bytes: sizeOf(parts), resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch: Queued[] = [this.#queue.shift()!];
      let bytes = batch[0]!.bytes;
      while (
        this.#queue.length > 0 &&
        batch.length < MAX_CALLERS &&
        bytes + this.#queue[0]!.bytes <= MAX_BYTES
      ) {
        bytes += this.#queue[0]!.bytes;
        batch.push(this.#queue.shift()!);
      }
      await this.#write(batch);
    }
    this.#draining = false;
  }

  async #write(batch: Queued[]): Promise<void> {
    // One statement per table and column set, in order of first appearance; each caller's rows are a
    // contiguous slice of it, so its ids are a slice of the statement's.
    const groups = new Map<string, { table: string; rows: Record<string, unknown>[] }>();
    const slices = batch.map((queued) =>
      queued.parts.map((part) => {
        const key = `${part.table}\u0000${Object.keys(part.rows[0] ?? {})
          .sort()
          .join('\u0000')}`;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { table: part.table, rows: [] }));
        const start = group.rows.length;
        group.rows.push(...part.rows);
        return { key, start, count: part.rows.length };
      }),
    );
    try {
      const keys = [...groups.keys()];
      const statements: Statement[] = [...groups.values()]
        .filter((g) => g.rows.length > 0)
        .map((g) => ({ insert: g.table, rows: g.rows }));
      const results = (await atomically(this.knex, statements))!;
      const idsOf = new Map(
        keys.filter((k) => groups.get(k)!.rows.length > 0).map((k, i) => [k, results[i]!.insertIds]),
      );
      batch.forEach((queued, i) =>
        queued.resolve(
          slices[i]!.map(({ key, start, count }) => (idsOf.get(key) ?? []).slice(start, start + count)),
        ),
      );
    } catch (err) {
      for (const queued of batch) queued.reject(err);
    }
  }
}

function sizeOf(parts: readonly InsertPart[]): number {
  let bytes = 0;
  for (const part of parts) {
    for (const row of part.rows) {
      for (const value of Object.values(row)) bytes += typeof value === 'string' ? value.length : 8;
    }
  }
  return bytes;
}
