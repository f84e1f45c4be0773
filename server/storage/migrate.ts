/**
 * `migrate(knex)`: brings the executions store to the latest schema. The migrations are listed in
 * code (not read from a folder) so they run the same from source and from `dist/`.
 */
import type { Knex } from 'knex';
import { databaseKind, type DatabaseKind } from './database.js';
import * as createExecutions from './migrations/001-create-executions.js';
import * as finishedIndex from './migrations/002-finished-index.js';
import * as scheduleId from './migrations/003-schedule-id.js';
import * as functionVersions from './migrations/004-function-versions.js';
import * as webhookDeliveries from './migrations/005-webhook-deliveries.js';
import { MIGRATIONS_TABLE } from './tables.js';

/** One migration. It runs in Knex's migration transaction, which is not the Knex `openDatabase` opened: it is told the database kind. */
interface Migration {
  name: string;
  up(knex: Knex, kind: DatabaseKind): Promise<void>;
  down(knex: Knex, kind: DatabaseKind): Promise<void>;
}

/** Every migration of the store, oldest first. Append, never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  createExecutions,
  finishedIndex,
  scheduleId,
  functionVersions,
  webhookDeliveries,
];

/** The migrations as Knex runs them, each given the kind of the database it migrates. */
function sourceFor(kind: DatabaseKind): Knex.MigrationSource<Migration> {
  return {
    getMigrations: () => Promise.resolve([...MIGRATIONS]),
    getMigrationName: (migration) => migration.name,
    getMigration: (migration) =>
      Promise.resolve({
        up: (trx: Knex) => migration.up(trx, kind),
        down: (trx: Knex) => migration.down(trx, kind),
      }),
  };
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** How long to wait for another process that is migrating the same database, in ms. Default 60000. */
  waitMs?: number;
}

/**
 * Runs every pending migration. Idempotent; when two processes start at once, one migrates and the
 * other waits for it (Knex's migration lock) and then finds nothing left to do.
 * @returns the names of the migrations this call applied.
 */
export async function migrate(knex: Knex, options: MigrateOptions = {}): Promise<string[]> {
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  const source = sourceFor(databaseKind(knex));
  for (let attempt = 0; ; attempt++) {
    try {
      const [, applied] = (await knex.migrate.latest({
        migrationSource: source,
        tableName: MIGRATIONS_TABLE,
      })) as [number, string[]];
      return applied;
    } catch (err) {
      // Lost the race for the lock, or for creating the migrations table itself: wait and look again.
      if (!isConcurrentMigration(err) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 1000)));
    }
  }
}

function isConcurrentMigration(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string };
  // 23505: two PostgreSQL sessions created the migrations table at once (its row type collides).
  return (
    e?.name === 'MigrationLocked' ||
    e?.code === '23505' ||
    /already locked|already exists|ER_TABLE_EXISTS_ERROR|ER_DUP_ENTRY|UNIQUE constraint failed|SQLITE_BUSY|Deadlock/i.test(
      `${e?.code ?? ''} ${e?.message ?? ''}`,
    )
  );
}
