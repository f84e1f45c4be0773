/**
 * `turtle_function_versions`: every version of every function's manifest entry a process has bound.
 * Written at start-up by every process, so inserts must be idempotent across processes starting at
 * once: an insert that finds the version already there does nothing (`ON CONFLICT DO NOTHING`, or
 * `INSERT IGNORE` on MySQL/MariaDB), and its first `firstSeenAt` stays.
 */
import type { Knex } from 'knex';
import { columnsFor, detectJsonParsedByDriver, type Columns } from '../../storage/columns.js';
import { hasNul } from '../../storage/postgres-text.js';
import { FUNCTION_VERSIONS_TABLE } from '../../storage/tables.js';
import type { VersionedEntry } from '../../registry/function-version.js';

/** One stored version of a function. */
export interface FunctionVersionRecord {
  functionName: string;
  /** The content hash of `entry` (see `function-version.ts`). */
  version: string;
  /** The manifest entry (without `source`) the function had under this version. */
  entry: VersionedEntry;
  /** When a process first bound it (epoch ms). */
  firstSeenAt: number;
}

/** A version is 64 lowercase hex digits; anything else names no version (and is never sent to the database). */
const VERSION = /^[0-9a-f]{64}$/;

export class KnexFunctionVersions {
  readonly #knex: Knex;
  #columns: Promise<Columns> | undefined;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Stores each version not stored yet; one seen before keeps its first row. */
  async record(versions: readonly Omit<FunctionVersionRecord, 'firstSeenAt'>[], at: number): Promise<void> {
    if (!versions.length) return;
    const columns = await this.#cols();
    const rows = versions.map((v) => ({
      func_name: v.functionName,
      version: v.version,
      entry_json: columns.json(v.entry),
      first_seen_at: columns.time(at),
    }));
    await this.#knex(FUNCTION_VERSIONS_TABLE).insert(rows).onConflict(['func_name', 'version']).ignore();
  }

  /** The stored version `version` of `functionName`, or undefined. */
  async get(functionName: string, version: string): Promise<FunctionVersionRecord | undefined> {
    if (!VERSION.test(version) || hasNul(functionName)) return undefined;
    const columns = await this.#cols();
    const row = (await this.#knex(FUNCTION_VERSIONS_TABLE)
      .where({ func_name: functionName, version })
      .first()) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      functionName: row.func_name as string,
      version: row.version as string,
      entry: columns.readJson(row.entry_json) as VersionedEntry,
      firstSeenAt: columns.readTime(row.first_seen_at)!,
    };
  }

  #cols(): Promise<Columns> {
    return (this.#columns ??= detectJsonParsedByDriver(
      this.#knex,
      FUNCTION_VERSIONS_TABLE,
      'entry_json',
    ).then((parsed) => columnsFor(this.#knex, parsed)));
  }
}
