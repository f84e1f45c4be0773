/**
 * Column codecs that hide the differences between the databases from the rest of the store:
 * timestamps (epoch ms on SQLite, `DATETIME(3)` on MySQL/MariaDB, `timestamptz(3)` on PostgreSQL)
 * and JSON (text on SQLite and PostgreSQL, native `json` on MySQL/MariaDB).
 */
import type { Knex } from 'knex';
import { databaseKind, type DatabaseKind } from './database.js';

/** Encodes and decodes column values for one database. */
export interface Columns {
  kind: DatabaseKind;
  /** A time (epoch ms) as the column stores it. */
  time(ms: number): number | Date;
  /** A stored time as epoch ms (null stays null). */
  readTime(value: unknown): number | null;
  /** A JSON value as the column stores it (undefined and null are SQL NULL). */
  json(value: unknown): string | null;
  /** A stored JSON value, parsed. */
  readJson(value: unknown): unknown;
}

/**
 * The codecs for `knex`. `jsonParsedByDriver`: true on MySQL proper, whose driver returns `json`
 * columns parsed; MariaDB stores `json` as text and returns a string. Default: false.
 */
export function columnsFor(knex: Knex, jsonParsedByDriver = false): Columns {
  const kind = databaseKind(knex);
  return {
    kind,
    time: kind === 'sqlite' ? (ms) => ms : (ms) => new Date(ms),
    readTime(value) {
      if (value === null || value === undefined) return null;
      if (value instanceof Date) return value.getTime();
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      // DATETIME strings (dateStrings) are UTC: the session time zone is +00:00.
      if (typeof value !== 'string') throw new TypeError(`A time the driver read as ${typeof value}`);
      const text = value;
      return /^\d+$/.test(text)
        ? Number(text)
        : Date.parse(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
    },
    json: (value) => (value === undefined || value === null ? null : JSON.stringify(value)),
    readJson(value) {
      if (value === null || value === undefined) return null;
      if (jsonParsedByDriver) return value;
      if (Buffer.isBuffer(value)) return JSON.parse(value.toString('utf8')) as unknown;
      if (typeof value !== 'string') throw new TypeError(`JSON the driver read as ${typeof value}`);
      return JSON.parse(value) as unknown;
    },
  };
}

/**
 * Whether mysql2 returns the `json` columns of `table` parsed: it does when it can see that a column
 * is JSON (MySQL's JSON type, or MariaDB's extended metadata); older servers send plain text
 * (`openDatabase` never sets mysql2's `jsonStrings`). Asks the server for the column metadata of an
 * empty result.
 */
export async function detectJsonParsedByDriver(knex: Knex, table: string, column: string): Promise<boolean> {
  if (databaseKind(knex) !== 'mysql') return false;
  const [, fields] = (await knex.raw('SELECT ?? FROM ?? LIMIT 0', [column, table])) as [
    unknown,
    Array<{ columnType?: number; extendedFormat?: string }>,
  ];
  const field = fields[0];
  const MYSQL_JSON_TYPE = 245;
  return field?.columnType === MYSQL_JSON_TYPE || field?.extendedFormat === 'json';
}
