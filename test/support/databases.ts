/**
 * Real databases for tests: a fresh SQLite file, or a fresh database on the MariaDB server running
 * on this machine (`MARIADB_URL`, default `mysql://root@127.0.0.1:3306`). Every storage test runs on both.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase, type DatabaseKind } from '../../server/storage/database.js';

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'mysql'];

export interface TestDatabase {
  kind: DatabaseKind;
  /** A `DATABASE_URL` for the fresh database, for child processes. */
  url: string;
  knex: Knex;
  /** Closes the connection and drops the database (or deletes the file). */
  destroy(): Promise<void>;
}

const MARIADB_URL = process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
let counter = 0;

/** Creates an empty database of `kind`; `label` makes its name recognisable when a test leaks it. */
export async function createTestDatabase(kind: DatabaseKind, label = 'test'): Promise<TestDatabase> {
  const unique = `${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${process.pid}_${++counter}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-test-'));
    const url = `sqlite:${path.join(dir, `${unique}.sqlite`)}`;
    const knex = openDatabase(url);
    return {
      kind, url, knex,
      async destroy() {
        await knex.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `turtle_${unique}`.slice(0, 64);
  const admin = openDatabase(MARIADB_URL);
  try {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.destroy();
  }
  const url = `${MARIADB_URL.replace(/\/+$/, '')}/${name}`;
  const knex = openDatabase(url);
  return {
    kind, url, knex,
    async destroy() {
      await knex.destroy();
      const cleanup = openDatabase(MARIADB_URL);
      try {
        await cleanup.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
