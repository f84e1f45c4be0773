/**
 * A fresh database for benches that fill it in bulk: its operations may take minutes (a million-row
 * insert, an index build), so the per-operation bound is raised to 10 minutes.
 */
import type { Knex } from 'knex';
import { openDatabase, type DatabaseKind } from '../../server/storage/database.js';
import { benchTargets, createBenchDatabase } from './bench-databases.js';

/** A fresh database of `kind` and its Knex; `destroy` closes it and drops the database. */
export interface BulkDatabase {
  kind: DatabaseKind;
  knex: Knex;
  destroy(): Promise<void>;
}

/** Creates an empty database of `kind` on this machine's server (or a temporary SQLite file). */
export async function createBulkDatabase(kind: DatabaseKind, label: string): Promise<BulkDatabase> {
  const created = await createBenchDatabase(benchTargets(['--db', kind])[0]!, label);
  const knex = openDatabase(created.url, { timeoutMs: 600_000 });
  return {
    kind,
    knex,
    async destroy() {
      await knex.destroy();
      await created.destroy();
    },
  };
}
