/**
 * Benchmark of filtering executions by a `@filterable` input, on SQLite, MariaDB and PostgreSQL: one
 * table of 1,000,000 executions (10 functions, inputs `{ site, reportId, urgent }`), indexed as
 * `turtle migrate` does for the manifest; prints `list()` latency p50/p95 of a page of 50 (first page
 * and up to 4 next ones) of one function filtered by one input — `site` (about 2,000 runs per
 * function and value) and `reportId` (about 100) — next to the same function unfiltered, in the same
 * run on the same table (target: filtered p95 within 2x of unfiltered), and the plan of the filtered
 * query (`EXPLAIN`: the input index).
 *
 * Run: node --import tsx --conditions=turtle-source bench/filters.ts [--rows 1000000] [--only sqlite|mysql|postgres]
 */
import type { Knex } from 'knex';
import { createRegistry } from '../server/registry/registry.js';
import { createExecutions } from '../server/executions/create-executions.js';
import type { Executions, ListOptions } from '../server/executions/executions-service.js';
import { listQuery } from '../server/executions/store/knex-queries.js';
import { migrate } from '../server/storage/migrate.js';
import { columnsFor } from '../server/storage/columns.js';
import { ensureInputIndexes, existingInputColumns, filterableNames } from '../server/storage/input-index.js';
import { EXECUTIONS_TABLE } from '../server/storage/tables.js';
import type { DatabaseKind } from '../server/storage/database.js';
import type { Schema } from '../manifest/manifest.js';
import { manifestOf, type FunctionSpec } from '../test/support/manifests.js';
import { median, quantile } from './support/stats.js';
import { createBulkDatabase, type BulkDatabase } from './support/bulk-database.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ROWS = Number(option('rows') ?? 1_000_000);
const KINDS: DatabaseKind[] = option('only')
  ? [option('only') as DatabaseKind]
  : ['sqlite', 'mysql', 'postgres'];
const FUNCTIONS = Array.from({ length: 10 }, (_, i) => `fn${i}`);
const SITES = 50;
const REPORTS = 1000;
const YEAR_MS = 365 * 24 * 3600 * 1000;
const BASE = Date.parse('2025-01-01T00:00:00.000Z');

const PARAMS: Record<string, Schema> = {
  site: { type: 'string', 'x-turtle-filterable': true },
  reportId: { type: 'integer', 'x-turtle-filterable': true },
  urgent: { type: 'boolean', 'x-turtle-filterable': true },
};
const manifest = manifestOf(
  Object.fromEntries(FUNCTIONS.map((name): [string, FunctionSpec] => [name, { properties: PARAMS }])),
);
const registry = createRegistry();
for (const name of FUNCTIONS) registry.add({ [name]: () => undefined }[name]!);
const functions = registry.bind(manifest, { manifestDir: process.cwd() });

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;

/**
 * Fills the table with `rows` finished executions in one statement, spread over a year: function
 * `n % 10`, site `s<(n / 10) % 50>`, reportId `(n / 10) * 7 % 1000`, urgent every third.
 */
async function seed(db: BulkDatabase, rows: number): Promise<void> {
  const started = performance.now();
  const user = db.kind === 'postgres' ? '"user"' : db.kind === 'mysql' ? '`user`' : 'user';
  const columns = `id, func_name, mode, status, input_json, ${user}, attempts, created_at, updated_at, finished_at`;
  if (db.kind === 'mysql') {
    await db.knex.raw(`
      INSERT INTO ${EXECUTIONS_TABLE} (${columns})
      SELECT LOWER(CONCAT(SUBSTR(h, 1, 8), '-', SUBSTR(h, 9, 4), '-7', SUBSTR(r, 1, 3), '-8', SUBSTR(r, 4, 3), '-', SUBSTR(r, 7, 12))),
             CONCAT('fn', seq % 10), 'async', 'done',
             CONCAT('{"site":"s', (seq DIV 10) % ${SITES}, '","reportId":', ((seq DIV 10) * 7) % ${REPORTS}, ',"urgent":', IF(seq % 3 = 0, 'true', 'false'), '}'),
             CONCAT('user', seq % 100), 1, FROM_UNIXTIME(ms / 1000), FROM_UNIXTIME(ms / 1000), FROM_UNIXTIME(ms / 1000)
      FROM (SELECT seq, ms, LPAD(HEX(ms), 12, '0') AS h, MD5(seq) AS r
            FROM (SELECT seq, ${BASE} + FLOOR(seq * ${YEAR_MS} / ${rows}) AS ms FROM seq_1_to_${rows}) n) s`);
    await db.knex.raw(`ANALYZE TABLE ${EXECUTIONS_TABLE}`);
  } else if (db.kind === 'postgres') {
    await db.knex.raw(`
      INSERT INTO ${EXECUTIONS_TABLE} (${columns})
      SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12),
             'fn' || (n % 10), 'async', 'done',
             '{"site":"s' || ((n / 10) % ${SITES}) || '","reportId":' || (((n / 10) * 7) % ${REPORTS}) || ',"urgent":' || (CASE WHEN n % 3 = 0 THEN 'true' ELSE 'false' END) || '}',
             'user' || (n % 100), 1, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
      FROM (SELECT n, ms, lpad(to_hex(ms), 12, '0') AS h, md5(n::text) AS r
            FROM (SELECT n, ${BASE}::bigint + (n::bigint * ${YEAR_MS} / ${rows}) AS ms FROM generate_series(1, ${rows}) n) g) s`);
    await db.knex.raw(`ANALYZE ${EXECUTIONS_TABLE}`);
  } else {
    await db.knex.raw(`
      WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${rows}),
      rows AS (SELECT n, ${BASE} + (n * ${YEAR_MS} / ${rows}) AS ms, printf('%012x', ${BASE} + (n * ${YEAR_MS} / ${rows})) AS h,
                      lower(hex(randomblob(9))) AS r FROM seq)
      INSERT INTO ${EXECUTIONS_TABLE} (${columns})
      SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12),
             'fn' || (n % 10), 'async', 'done',
             '{"site":"s' || ((n / 10) % ${SITES}) || '","reportId":' || (((n / 10) * 7) % ${REPORTS}) || ',"urgent":' || (CASE WHEN n % 3 = 0 THEN 'true' ELSE 'false' END) || '}',
             'user' || (n % 100), 1, ms, ms, ms
      FROM rows`);
    await db.knex.raw('ANALYZE');
  }
  console.log(`  seeded ${fmt(rows)} rows in ${fmt((performance.now() - started) / 1000, 1)} s`);
}

/** Latencies of `sequences` browses: a first page of 50 and up to `depth - 1` next pages. */
async function browse(
  executions: Executions,
  start: () => ListOptions,
  sequences: number,
  depth: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < sequences; i++) {
    let options: ListOptions = { ...start(), limit: 50 };
    for (let page = 0; page < depth; page++) {
      const t = performance.now();
      const result = await executions.list(options);
      times.push(performance.now() - t);
      if (page === 0 && result.items.length === 0 && ROWS >= 1_000_000)
        throw new Error(`empty first page for ${JSON.stringify(options)}`);
      if (!result.next) break;
      options = { ...options, cursor: result.next };
    }
  }
  return times;
}

/** The first lines of the database's plan for `options`. */
async function plan(knex: Knex, options: ListOptions): Promise<string> {
  const columns = columnsFor(knex);
  const inputColumns = columns.kind === 'mysql' ? await existingInputColumns(knex) : undefined;
  const { sql, bindings } = listQuery(knex, columns, options, inputColumns).limit(51).toSQL();
  if (columns.kind === 'sqlite') {
    const rows = await knex.raw<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, bindings);
    return rows.map((r) => r.detail).join('; ');
  }
  if (columns.kind === 'mysql') {
    const [rows] = await knex.raw<[Array<{ key: string; rows: number }>]>(`EXPLAIN ${sql}`, bindings);
    return rows!.map((r) => `key ${r.key}, rows ${r.rows}`).join('; ');
  }
  const result = await knex.raw<{ rows: Array<{ 'QUERY PLAN': string }> }>(`EXPLAIN ${sql}`, bindings);
  return result.rows
    .map((r) => r['QUERY PLAN'].trim())
    .filter((line) => !line.startsWith('Filter') && !line.startsWith('Index Cond'))
    .join('; ');
}

async function filterLatency(kind: DatabaseKind): Promise<void> {
  console.log(`\n[${kind}] list() of one function, a page of 50, ${fmt(ROWS)} executions`);
  const db = await createBulkDatabase(kind, 'bench_filters');
  try {
    await migrate(db.knex);
    await seed(db, ROWS);
    const indexing = performance.now();
    const created = await ensureInputIndexes(db.knex, filterableNames(manifest));
    console.log(
      `  indexed ${created.length} inputs (as turtle migrate does) in ${fmt((performance.now() - indexing) / 1000, 1)} s`,
    );
    const executions = createExecutions({ knex: db.knex, functions });
    const unfiltered = () => ({ functionName: pick(FUNCTIONS) });
    const bySite = () => ({
      functionName: pick(FUNCTIONS),
      input: { site: `s${Math.floor(Math.random() * SITES)}` },
    });
    const byReport = () => ({
      functionName: pick(FUNCTIONS),
      input: { reportId: String(Math.floor(Math.random() * REPORTS)) },
    });
    const both = () => ({
      functionName: pick(FUNCTIONS),
      input: { site: `s${Math.floor(Math.random() * SITES)}`, urgent: 'true' },
    });
    for (const start of [unfiltered, bySite, byReport, both]) await browse(executions, start, 10, 2); // warm-up
    const u: number[] = [];
    const s: number[] = [];
    const r: number[] = [];
    const b: number[] = [];
    // Alternate batches so that every kind sees the same machine conditions.
    for (let round = 0; round < 5; round++) {
      u.push(...(await browse(executions, unfiltered, 20, 5)));
      s.push(...(await browse(executions, bySite, 20, 5)));
      r.push(...(await browse(executions, byReport, 20, 5)));
      b.push(...(await browse(executions, both, 20, 5)));
    }
    const row = (label: string, xs: number[]) =>
      `  ${label.padEnd(44)} p50 ${fmt(median(xs), 2).padStart(6)} ms   p95 ${fmt(quantile(xs, 0.95), 2).padStart(6)} ms   (${xs.length} pages)`;
    console.log(row('function only (baseline)', u));
    console.log(row('function + input.site (~2,000 matches)', s));
    console.log(row('function + input.reportId (~100 matches)', r));
    console.log(row('function + input.site + input.urgent', b));
    const ratio = (xs: number[]) =>
      `p95 ${fmt(quantile(xs, 0.95) / quantile(u, 0.95), 2)}x, p50 ${fmt(median(xs) / median(u), 2)}x`;
    console.log(`  input.site vs baseline: ${ratio(s)} (target p95 <= 2x)`);
    console.log(`  input.reportId vs baseline: ${ratio(r)}`);
    console.log(`  two inputs vs baseline: ${ratio(b)}`);
    console.log(
      `  plan of input.site: ${await plan(db.knex, { functionName: 'fn3', input: { site: 's7' } })}`,
    );
  } finally {
    await db.destroy();
  }
}

for (const kind of KINDS) await filterLatency(kind);
