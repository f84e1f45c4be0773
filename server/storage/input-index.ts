/**
 * Finding executions by one top-level input (`@filterable` parameters): the SQL expression that reads
 * it from `input_json` on each database, and the index over (func_name, that expression, created_at,
 * id) that serves a filtered keyset page. The query and the index are built here from the same text,
 * so the planner always sees the expression the index covers.
 *
 * - SQLite: `json_extract(input_json, '$.p')`, compared with the typed value (booleans as 1 / 0); an
 *   expression index.
 * - PostgreSQL: the JSON text of the value, `(input_json::json -> 'p')::text`, compared with
 *   `JSON.stringify(value)`; an expression index on its first {@link KEY_CHARS} characters (btree
 *   entries are limited to about 2.7 kB), the whole text checked on the rows it finds. PostgreSQL's
 *   JSON functions refuse a `\u0000` escape anywhere in the document, so such escapes are rewritten
 *   to `\ufffd` first, on both sides (only when the text has one: no cost otherwise).
 * - MySQL/MariaDB: the JSON text of the value, `JSON_EXTRACT(input_json, '$.p')` in a string context,
 *   compared with `JSON.stringify(value)`; MariaDB indexes no expression, so a generated (virtual)
 *   column holds its first {@link KEY_CHARS} characters and is indexed, and the store compares that
 *   column (a longer value is also checked whole).
 * Names are deterministic: `turtle_executions_in_<name>_<hash>` (index), `turtle_in_<name>_<hash>`
 * (MySQL/MariaDB column), `<name>` lower-cased and cut to 24 characters, `<hash>` the first 8 hex
 * digits of the SHA-1 of the exact name.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { FILTERABLE_NAME, filterableParams, type FilterValue } from '../../manifest/filterable.js';
import type { Manifest } from '../../manifest/manifest.js';
import { databaseKind, type DatabaseKind } from './database.js';
import { EXECUTIONS_TABLE } from './tables.js';

/** How many characters of a value's JSON text the PostgreSQL and MySQL/MariaDB indexes hold. */
export const KEY_CHARS = 255;

/** The deterministic part of the names of `name`'s index and column. */
function nameKey(name: string): string {
  checkName(name);
  const hash = crypto.createHash('sha1').update(name).digest('hex').slice(0, 8);
  return `${name.toLowerCase().slice(0, 24)}_${hash}`;
}

/** The name of the index serving filters on input `name`. */
export function inputIndexName(name: string): string {
  return `${EXECUTIONS_TABLE}_in_${nameKey(name)}`;
}

/** The name of the MySQL/MariaDB generated column holding input `name`'s indexed prefix. */
export function inputColumnName(name: string): string {
  return `turtle_in_${nameKey(name)}`;
}

/** The name goes into SQL as a literal: only the identifiers `@filterable` allows ever get there. */
function checkName(name: string): void {
  if (!FILTERABLE_NAME.test(name)) throw new Error(`Not a filterable input name: ${JSON.stringify(name)}`);
}

/**
 * The input JSON for PostgreSQL's JSON functions: `\u0000` escapes (not escaped backslashes) as
 * `\ufffd`. The regular expression's `?` are written `\?`, which Knex sends as `?` (not a binding).
 */
function postgresJson(text: string): string {
  const escape = String.raw`(\?<!\\)((\?:\\\\)*)\\u0000`;
  return `(CASE WHEN strpos(${text}, '\\u0000') > 0 THEN regexp_replace(${text}, '${escape}', '\\1\\\\ufffd', 'g') ELSE ${text} END)`;
}

/** The value of input `name` as the store compares it, as SQL over the row (`exact`) and its indexed key. */
function expressions(kind: DatabaseKind, name: string): { exact: string; key: string } {
  checkName(name);
  if (kind === 'sqlite') {
    const exact = `json_extract("input_json", '$.${name}')`;
    return { exact, key: exact };
  }
  if (kind === 'postgres') {
    const exact = `((${postgresJson('"input_json"')}::json -> '${name}')::text)`;
    return { exact, key: `left(${exact}, ${KEY_CHARS})` };
  }
  // CONCAT of the one JSON value is its text: JSON_EXTRACT itself compares as JSON, never equal to a string.
  return {
    exact: `CONCAT(JSON_EXTRACT(\`input_json\`, '$.${name}'))`,
    key: `LEFT(JSON_EXTRACT(\`input_json\`, '$.${name}'), ${KEY_CHARS})`,
  };
}

/**
 * Adds "input `name` is exactly `value`" to `query`. On MySQL/MariaDB `indexed` says whether the
 * generated column exists (`turtle migrate` made it); without it the expression is compared unindexed.
 */
export function whereInput(
  query: Knex.QueryBuilder,
  kind: DatabaseKind,
  name: string,
  value: FilterValue,
  indexed: boolean,
): void {
  const { exact, key } = expressions(kind, name);
  if (kind === 'sqlite') {
    query.whereRaw(`${key} = ?`, [typeof value === 'boolean' ? Number(value) : value]);
    return;
  }
  const text = JSON.stringify(value);
  // A text shorter than the indexed prefix equals the prefix only when it is the whole value: then the
  // key alone decides (and the planner estimates it from the index's statistics).
  const whole = [...text].length < KEY_CHARS;
  if (kind === 'postgres') {
    // The parameter goes through the same rewrite as the row.
    const param = postgresJson('?::text');
    const bindings = [text, text, text];
    if (whole) query.whereRaw(`${key} = ${param}`, bindings);
    else
      query.whereRaw(`${key} = left(${param}, ${KEY_CHARS}) and ${exact} = ${param}`, [
        ...bindings,
        ...bindings,
      ]);
    return;
  }
  if (!indexed) {
    query.whereRaw(`${exact} = ?`, [text]);
    return;
  }
  const column = inputColumnName(name);
  if (whole) query.whereRaw('?? = ?', [column, text]);
  else query.whereRaw(`?? = LEFT(?, ${KEY_CHARS}) and ${exact} = ?`, [column, text, text]);
}

/** The names of the MySQL/MariaDB generated input columns that exist (`turtle_in_…`). */
export async function existingInputColumns(knex: Knex): Promise<Set<string>> {
  const rows = (await knex('information_schema.COLUMNS')
    .select('COLUMN_NAME as name')
    .whereRaw('TABLE_SCHEMA = DATABASE()')
    .where('TABLE_NAME', EXECUTIONS_TABLE)
    .where('COLUMN_NAME', 'like', 'turtle\\_in\\_%')) as Array<{ name: string }>;
  return new Set(rows.map((row) => row.name));
}

/** The distinct `@filterable` parameter names of every function of `manifest`. */
export function filterableNames(manifest: Manifest): string[] {
  return [...new Set(Object.values(manifest.functions).flatMap((fn) => filterableParams(fn)))].sort();
}

/**
 * Creates the index (and on MySQL/MariaDB its generated column) for each input name that lacks one.
 * Idempotent; another process creating the same one at the same time is not an error.
 * @returns the names of the indexes this call created.
 */
export async function ensureInputIndexes(knex: Knex, names: readonly string[]): Promise<string[]> {
  const kind = databaseKind(knex);
  const created: string[] = [];
  for (const name of names) {
    const index = inputIndexName(name);
    if (await hasIndex(knex, kind, index)) continue;
    try {
      await createIndex(knex, kind, name);
      created.push(index);
    } catch (err) {
      if (!(await hasIndex(knex, kind, index))) throw err;
    }
  }
  // Statistics of a new index come only with the next ANALYZE. Without them PostgreSQL guesses one
  // row per value (and sorts a bitmap scan instead of walking the index in order), and SQLite, whose
  // other indexes have statistics, takes the new one for a selective index even for a page of one
  // function, which it then sorts (a sampled ANALYZE is not enough there: 2 s per million rows is).
  if (created.length > 0 && kind !== 'mysql') await knex.raw('ANALYZE ??', [EXECUTIONS_TABLE]);
  return created;
}

async function createIndex(knex: Knex, kind: DatabaseKind, name: string): Promise<void> {
  const index = inputIndexName(name);
  const { key } = expressions(kind, name);
  if (kind !== 'mysql') {
    await knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? ("func_name", ${key}, "created_at", "id")`, [
      index,
      EXECUTIONS_TABLE,
    ]);
    return;
  }
  const column = inputColumnName(name);
  const columns = await existingInputColumns(knex);
  if (!columns.has(column)) {
    // Virtual: computed when read or indexed, nothing stored in the row.
    await knex.raw(
      `ALTER TABLE ?? ADD COLUMN ?? VARCHAR(${KEY_CHARS}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin AS (${key}) VIRTUAL`,
      [EXECUTIONS_TABLE, column],
    );
  }
  await knex.raw('CREATE INDEX ?? ON ?? (`func_name`, ??, `created_at`, `id`)', [
    index,
    EXECUTIONS_TABLE,
    column,
  ]);
}

async function hasIndex(knex: Knex, kind: DatabaseKind, index: string): Promise<boolean> {
  if (kind === 'sqlite') {
    const row: unknown = await knex('sqlite_master').where({ type: 'index', name: index }).first('name');
    return row !== undefined;
  }
  if (kind === 'postgres') {
    const row: unknown = await knex('pg_indexes')
      .whereRaw('schemaname = current_schema()')
      .where({ tablename: EXECUTIONS_TABLE, indexname: index })
      .first('indexname');
    return row !== undefined;
  }
  const row: unknown = await knex('information_schema.STATISTICS')
    .whereRaw('TABLE_SCHEMA = DATABASE()')
    .where({ TABLE_NAME: EXECUTIONS_TABLE, INDEX_NAME: index })
    .first('INDEX_NAME');
  return row !== undefined;
}
