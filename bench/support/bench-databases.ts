/**
 * The databases a bench runs on, and a fresh one for each of its apps: a SQLite file in a temporary
 * folder, or a database created (and dropped afterwards) on the MySQL/MariaDB or PostgreSQL server
 * the URL names. Bench-only: tests have their own helpers.
 *
 * Which databases: `--db <list>` (comma-separated), else `DATABASE_URL`, else SQLite, MariaDB and
 * PostgreSQL on this machine. An entry is a URL or one of the shorthands `sqlite`, `mysql`
 * (`mariadb`) and `postgres`. The database named in a server URL (`mysql://root@127.0.0.1:3306/<db>`)
 * is the prefix of the bench's databases (default `turtle_bench`); a SQLite URL's path is not used, each
 * app gets a file in a folder of its own under the system's temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

/** The kinds of database a bench knows how to create. */
export type BenchKind = 'sqlite' | 'mysql' | 'postgres';

/** A fresh, empty database. */
export interface BenchDatabase {
  kind: BenchKind;
  /** Its `DATABASE_URL`. */
  url: string;
  /** Drops it (or deletes its folder). */
  destroy(): Promise<void>;
}

const SHORTHANDS: Record<string, string> = {
  sqlite: 'sqlite:',
  mysql: 'mysql://root@127.0.0.1:3306/turtle_bench',
  mariadb: 'mysql://root@127.0.0.1:3306/turtle_bench',
  postgres: 'postgres://postgres@127.0.0.1:5432/turtle_bench',
};

/** The kind of database `url` names. */
export function kindOf(url: string): BenchKind {
  if (/^(mysql2?|mariadb):\/\//.test(url)) return 'mysql';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  return 'sqlite';
}

/** The databases to run on, from `--db`, `DATABASE_URL` or the default (see the module comment). */
export function benchTargets(args: readonly string[], fallback = 'sqlite,mysql,postgres'): string[] {
  const i = args.indexOf('--db');
  const list = (i >= 0 ? args[i + 1] : undefined) ?? (process.env.DATABASE_URL || fallback);
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => SHORTHANDS[entry] ?? entry);
}

/** A short label for `url` in printed tables. */
export function labelOf(url: string): string {
  const kind = kindOf(url);
  return kind === 'mysql' ? 'mariadb' : kind;
}

let counter = 0;

/** Creates an empty database on the server (or in the folder) `target` names; `label` goes into its name. */
export async function createBenchDatabase(target: string, label: string): Promise<BenchDatabase> {
  const kind = kindOf(target);
  const suffix = `${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}_${process.pid}_${++counter}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-bench-'));
    return {
      kind,
      url: `sqlite:${path.join(dir, `${suffix}.sqlite`)}`,
      destroy: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
    };
  }
  const server = new URL(target);
  const name = `${decodeURIComponent(server.pathname.replace(/^\//, '')) || 'turtle_bench'}_${suffix}`.slice(
    0,
    63,
  );
  const url = new URL(target);
  url.pathname = `/${name}`;
  const admin = kind === 'mysql' ? mysqlAdmin(server) : postgresAdmin(server);
  await admin(`DROP DATABASE IF EXISTS ${quote(kind, name)}`);
  await admin(
    kind === 'mysql'
      ? `CREATE DATABASE ${quote(kind, name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`
      : `CREATE DATABASE ${quote(kind, name)}`,
  );
  return {
    kind,
    url: url.toString(),
    destroy: () =>
      admin(`DROP DATABASE IF EXISTS ${quote(kind, name)}${kind === 'postgres' ? ' WITH (FORCE)' : ''}`),
  };
}

const quote = (kind: BenchKind, name: string) => (kind === 'mysql' ? `\`${name}\`` : `"${name}"`);

/** Runs one statement on a MySQL/MariaDB server, on a connection of its own. */
function mysqlAdmin(server: URL): (sql: string) => Promise<void> {
  return (sql) =>
    once(
      {
        client: 'mysql2',
        connection: {
          host: server.hostname || '127.0.0.1',
          port: Number(server.port || 3306),
          user: decodeURIComponent(server.username || 'root'),
          password: decodeURIComponent(server.password),
        },
      },
      sql,
    );
}

/** Runs one statement on a PostgreSQL server, connected to its `postgres` maintenance database. */
function postgresAdmin(server: URL): (sql: string) => Promise<void> {
  const maintenance = new URL(server);
  maintenance.pathname = '/postgres';
  return (sql) => once({ client: 'pg', connection: maintenance.toString() }, sql);
}

async function once(config: knexFactory.Knex.Config, sql: string): Promise<void> {
  const admin = knexFactory({ ...config, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(sql);
  } finally {
    await admin.destroy();
  }
}
