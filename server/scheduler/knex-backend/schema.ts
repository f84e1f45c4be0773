/**
 * DDL of the Agenda tables as pure functions of the database kind and table names.
 * Every statement is create-if-missing, so two processes starting at once both succeed.
 * Timestamps are BIGINT epoch milliseconds: they keep milliseconds on both databases and make the
 * "next job" query a plain integer range on one composite index, `(name, disabled, locked_at,
 * next_run_at, priority DESC)`, already in claim order (MariaDB 10.8+ / MySQL 8 keep DESC).
 * PostgreSQL and SQLite share one text of DDL but for the types (`BIGINT`, `SMALLINT` flags,
 * `DOUBLE PRECISION`, a `BIGSERIAL` log id; text columns are `TEXT` on both).
 */
import type { DatabaseKind } from '../../storage/database.js';

/** Table names used by the Knex backend. */
export interface AgendaTableNames {
  /** The jobs table. Default `turtle_agenda_jobs`. */
  jobs: string;
  /** The job log table. Default `turtle_agenda_job_logs`. */
  logs: string;
}

/** The default table names, prefixed `turtle_` so a user's database is not polluted. */
export const DEFAULT_TABLE_NAMES: AgendaTableNames = {
  jobs: 'turtle_agenda_jobs',
  logs: 'turtle_agenda_job_logs',
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,50}$/;

/** Throws unless `name` is a plain identifier: table names are placed into SQL text. */
export function assertTableName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid table name ${JSON.stringify(name)}`);
  return name;
}

/** Statements creating the jobs table and its indexes. */
export function jobsTableDdl(kind: DatabaseKind, table: string): string[] {
  assertTableName(table);
  if (kind === 'mysql') {
    // Indexes inline: MySQL has no CREATE INDEX IF NOT EXISTS, and one statement is atomic.
    return [
      `CREATE TABLE IF NOT EXISTS \`${table}\` (
      id VARCHAR(36) NOT NULL PRIMARY KEY,
      name VARCHAR(255) NOT NULL,
      priority INT NOT NULL DEFAULT 0,
      next_run_at BIGINT NULL,
      type VARCHAR(10) NOT NULL DEFAULT 'normal',
      single_key VARCHAR(255) NULL,
      unique_key CHAR(64) NULL,
      locked_at BIGINT NULL,
      last_finished_at BIGINT NULL,
      failed_at BIGINT NULL,
      fail_count INT NULL,
      fail_reason TEXT NULL,
      repeat_timezone VARCHAR(100) NULL,
      last_run_at BIGINT NULL,
      repeat_interval VARCHAR(255) NULL,
      data LONGTEXT NULL,
      repeat_at VARCHAR(255) NULL,
      disabled TINYINT(1) NOT NULL DEFAULT 0,
      progress DOUBLE NULL,
      fork TINYINT(1) NOT NULL DEFAULT 0,
      last_modified_by VARCHAR(255) NULL,
      debounce_started_at BIGINT NULL,
      start_date BIGINT NULL,
      end_date BIGINT NULL,
      skip_days VARCHAR(255) NULL,
      created_at BIGINT NOT NULL,
      UNIQUE KEY \`${table}_single_uq\` (single_key),
      UNIQUE KEY \`${table}_unique_uq\` (unique_key),
      KEY \`${table}_next_idx\` (name, disabled, locked_at, next_run_at, priority DESC),
      KEY \`${table}_locked_idx\` (locked_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    ];
  }
  const pg = kind === 'postgres';
  const int = pg ? 'BIGINT' : 'INTEGER';
  const flag = pg ? 'SMALLINT' : 'INTEGER';
  // Ids and names in byte order on PostgreSQL too, as on the other databases (its default may be a locale's).
  const key = pg ? 'TEXT COLLATE "C"' : 'TEXT';
  return [
    `CREATE TABLE IF NOT EXISTS "${table}" (
      id ${key} NOT NULL PRIMARY KEY,
      name ${key} NOT NULL,
      priority INTEGER NOT NULL DEFAULT 0,
      next_run_at ${int},
      type TEXT NOT NULL DEFAULT 'normal',
      single_key TEXT UNIQUE,
      unique_key TEXT UNIQUE,
      locked_at ${int},
      last_finished_at ${int},
      failed_at ${int},
      fail_count INTEGER,
      fail_reason TEXT,
      repeat_timezone TEXT,
      last_run_at ${int},
      repeat_interval TEXT,
      data TEXT,
      repeat_at TEXT,
      disabled ${flag} NOT NULL DEFAULT 0,
      progress ${pg ? 'DOUBLE PRECISION' : 'REAL'},
      fork ${flag} NOT NULL DEFAULT 0,
      last_modified_by TEXT,
      debounce_started_at ${int},
      start_date ${int},
      end_date ${int},
      skip_days TEXT,
      created_at ${int} NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_next_idx" ON "${table}" (name, disabled, locked_at, next_run_at, priority DESC)`,
    `CREATE INDEX IF NOT EXISTS "${table}_locked_idx" ON "${table}" (locked_at)`,
  ];
}

/** Statements creating the job log table and its indexes. */
export function logsTableDdl(kind: DatabaseKind, table: string): string[] {
  assertTableName(table);
  if (kind === 'mysql') {
    return [
      `CREATE TABLE IF NOT EXISTS \`${table}\` (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      timestamp BIGINT NOT NULL,
      level VARCHAR(10) NOT NULL,
      event VARCHAR(32) NOT NULL,
      job_id VARCHAR(36) NULL,
      job_name VARCHAR(255) NOT NULL,
      message TEXT NOT NULL,
      duration BIGINT NULL,
      error TEXT NULL,
      fail_count INT NULL,
      retry_delay BIGINT NULL,
      retry_attempt INT NULL,
      agenda_name VARCHAR(255) NULL,
      meta LONGTEXT NULL,
      KEY \`${table}_timestamp_idx\` (timestamp),
      KEY \`${table}_job_id_idx\` (job_id),
      KEY \`${table}_job_name_idx\` (job_name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    ];
  }
  const pg = kind === 'postgres';
  const int = pg ? 'BIGINT' : 'INTEGER';
  return [
    `CREATE TABLE IF NOT EXISTS "${table}" (
      id ${pg ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
      timestamp ${int} NOT NULL,
      level TEXT NOT NULL,
      event TEXT NOT NULL,
      job_id TEXT,
      job_name TEXT NOT NULL,
      message TEXT NOT NULL,
      duration ${int},
      error TEXT,
      fail_count INTEGER,
      retry_delay ${int},
      retry_attempt INTEGER,
      agenda_name TEXT,
      meta TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_timestamp_idx" ON "${table}" (timestamp)`,
    `CREATE INDEX IF NOT EXISTS "${table}_job_id_idx" ON "${table}" (job_id)`,
    `CREATE INDEX IF NOT EXISTS "${table}_job_name_idx" ON "${table}" (job_name)`,
  ];
}

/** Statements dropping both tables (tests and `purge` tooling). */
export function dropTablesDdl(kind: DatabaseKind, names: AgendaTableNames): string[] {
  const q = kind === 'mysql' ? '`' : '"';
  return [names.jobs, names.logs].map((t) => `DROP TABLE IF EXISTS ${q}${assertTableName(t)}${q}`);
}
