/**
 * Real databases for tests: a fresh SQLite file, or a fresh database on the MariaDB server
 * (`MARIADB_URL`, default `mysql://root@127.0.0.1:3306`) or the PostgreSQL server (`POSTGRES_URL`,
 * default `postgres://postgres@127.0.0.1:5432`) running on this machine. Every storage test runs on all three.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase, type DatabaseKind } from '../../server/storage/database.js';

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'mysql', 'postgres'];

/**
 * For tests of what no database can change — HTTP parsing, content codings, headers, auth refused before
 * any handler: they run once, on SQLite. Whatever stores or reads executions runs on {@link DATABASE_KINDS}.
 */
export const HTTP_ONLY_KINDS: readonly DatabaseKind[] = ['sqlite'];

export interface TestDatabase {
  kind: DatabaseKind;
  /** A `DATABASE_URL` for the fresh database, for child processes. */
  url: string;
  knex: Knex;
  /** Closes the connection and drops the database (or deletes the file). */
  destroy(): Promise<void>;
}

const MARIADB_URL = process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
let counter = 0;

/** Creates an empty database of `kind`; `label` makes its name recognisable when a test leaks it. */
export async function createTestDatabase(kind: DatabaseKind, label = 'test'): Promise<TestDatabase> {
  const unique = `${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${process.pid}_${++counter}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-test-'));
    const url = `sqlite:${path.join(dir, `${unique}.sqlite`)}`;
    const knex = openDatabase(url);
    return {
      kind,
      url,
      knex,
      async destroy() {
        await knex.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (kind === 'postgres') return createPostgresDatabase(`turtle_${unique}`.slice(0, 63));
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
    kind,
    url,
    knex,
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

/** A fresh database on the PostgreSQL server (connecting to its `postgres` database to create and drop it). */
async function createPostgresDatabase(name: string): Promise<TestDatabase> {
  const server = POSTGRES_URL.replace(/\/+$/, '');
  const administer = async (sql: string) => {
    const admin = openDatabase(`${server}/postgres`);
    try {
      await admin.raw(sql);
    } finally {
      await admin.destroy();
    }
  };
  await administer(`DROP DATABASE IF EXISTS "${name}"`);
  await administer(`CREATE DATABASE "${name}"`);
  const url = `${server}/${name}`;
  const knex = openDatabase(url);
  return {
    kind: 'postgres',
    url,
    knex,
    async destroy() {
      await knex.destroy();
      // Child processes may still be closing their connections: WITH (FORCE) ends them.
      await administer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
