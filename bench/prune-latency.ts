/**
 * Benchmark of list latency during retention, on SQLite, MariaDB and PostgreSQL: a table of 100,000
 * finished executions older than the retention period (3 events each) and 20,000 recent ones. Prints
 * `list()` latency p50/p95 of a page of 50 (first pages overall, by function and by status, and
 * following pages), 200 reads a second each started when due (latency counted from then, so that
 * time the event loop spends in a SQLite batch counts), while `prune()` deletes the 100,000 (500 per
 * commit, as the hourly job does) in the same process, next to the same reads without a prune,
 * before and after it, in the same run; and how long the prune took.
 *
 * Run: node --import tsx --conditions=turtle-source bench/prune-latency.ts [--old 100000] [--batch 500] [--only sqlite|mysql|postgres]
 */
import { createRegistry } from '../server/registry/registry.js';
import { createExecutions } from '../server/executions/create-executions.js';
import type { Executions, ListOptions } from '../server/executions/executions-service.js';
import { migrate } from '../server/storage/migrate.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../server/storage/tables.js';
import type { DatabaseKind } from '../server/storage/database.js';
import { manifestOf } from '../test/support/manifests.js';
import { median, quantile } from './support/stats.js';
import { createBulkDatabase, type BulkDatabase } from './support/bulk-database.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const OLD = Number(option('old') ?? 100_000);
/** Executions deleted per commit (`PruneOptions.batchSize`); default the job's, 500. */
const BATCH = Number(option('batch') ?? 500);
const RECENT = 20_000;
const KINDS: DatabaseKind[] = option('only')
  ? [option('only') as DatabaseKind]
  : ['sqlite', 'mysql', 'postgres'];
const FUNCTIONS = Array.from({ length: 10 }, (_, i) => `fn${i}`);
const DAY_MS = 24 * 3600 * 1000;
const RETENTION_MS = 90 * DAY_MS;
/** The pace of the reads: well below what any of the databases serves. */
const READS_PER_SECOND = 200;
const BASELINE_READS = 600;

const registry = createRegistry();
for (const name of FUNCTIONS) registry.add({ [name]: () => undefined }[name]!);
const functions = registry.bind(manifestOf(Object.fromEntries(FUNCTIONS.map((name) => [name, {}]))), {
  manifestDir: process.cwd(),
});

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;

/**
 * `rows` executions, the n-th created at `start + n * stepMs` (finished then when `status` is
 * final), in one statement; then `events` status events each.
 */
async function seed(
  db: BulkDatabase,
  rows: number,
  start: number,
  stepMs: number,
  statuses: readonly string[],
  offset: number,
): Promise<void> {
  const user = db.kind === 'postgres' ? '"user"' : db.kind === 'mysql' ? '`user`' : 'user';
  const columns = `id, func_name, mode, status, input_json, ${user}, attempts, created_at, updated_at, finished_at`;
  const status = (n: string) =>
    db.kind === 'mysql'
      ? `ELT(1 + ${n} % ${statuses.length}, ${statuses.map((s) => `'${s}'`).join(',')})`
      : `(CASE ${n} % ${statuses.length} ${statuses.map((s, i) => `WHEN ${i} THEN '${s}'`).join(' ')} END)`;
  const finished = (n: string, time: string) =>
    `(CASE WHEN ${status(n)} IN ('done', 'errored', 'cancelled') THEN ${time} ELSE NULL END)`;
  // Ids: 12 hex digits of the time (v7-like), a per-row hash, and the offset so that seeds never collide.
  if (db.kind === 'mysql') {
    const time = 'FROM_UNIXTIME(ms / 1000)';
    await db.knex.raw(`
      INSERT INTO ${EXECUTIONS_TABLE} (${columns})
      SELECT LOWER(CONCAT(SUBSTR(h, 1, 8), '-', SUBSTR(h, 9, 4), '-7', SUBSTR(r, 1, 3), '-8', SUBSTR(r, 4, 3), '-', SUBSTR(r, 7, 12))),
             CONCAT('fn', seq % 10), 'async', ${status('seq')}, '{"n":1}', CONCAT('user', seq % 100), 1,
             ${time}, ${time}, ${finished('seq', time)}
      FROM (SELECT seq, ms, LPAD(HEX(ms), 12, '0') AS h, MD5(seq + ${offset}) AS r
            FROM (SELECT seq, ${start} + seq * ${stepMs} AS ms FROM seq_1_to_${rows}) n) s`);
  } else if (db.kind === 'postgres') {
    const time = 'to_timestamp(ms / 1000.0)';
    await db.knex.raw(`
      INSERT INTO ${EXECUTIONS_TABLE} (${columns})
      SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12),
             'fn' || (n % 10), 'async', ${status('n')}, '{"n":1}', 'user' || (n % 100), 1, ${time}, ${time}, ${finished('n', time)}
      FROM (SELECT n, ms, lpad(to_hex(ms), 12, '0') AS h, md5((n + ${offset})::text) AS r
            FROM (SELECT n, ${start}::bigint + n::bigint * ${stepMs} AS ms FROM generate_series(1, ${rows}) n) g) s`);
  } else {
    await db.knex.raw(`
      WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${rows}),
      rows AS (SELECT n, ${start} + n * ${stepMs} AS ms, printf('%012x', ${start} + n * ${stepMs}) AS h,
                      lower(hex(randomblob(9))) AS r FROM seq)
      INSERT INTO ${EXECUTIONS_TABLE} (${columns})
      SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12),
             'fn' || (n % 10), 'async', ${status('n')}, '{"n":1}', 'user' || (n % 100), 1, ms, ms, ${finished('n', 'ms')}
      FROM rows`);
  }
}

/** Three status events per execution (created, running, its status), as a run leaves them. */
async function seedEvents(db: BulkDatabase): Promise<void> {
  for (const [from, to] of [
    ['NULL', "'created'"],
    ["'created'", "'running'"],
    ["'running'", 'status'],
  ] as const) {
    await db.knex.raw(
      `INSERT INTO ?? (??, ??, ??, ??, ??, ??)
       SELECT ??, ??, ??, 'status', ${from}, ${to} FROM ??`,
      [
        EVENTS_TABLE,
        ...['execution_id', 'func_name', 'at', 'kind', 'from_status', 'to_status'],
        ...['id', 'func_name', 'created_at'],
        EXECUTIONS_TABLE,
      ],
    );
  }
}

const STARTS: Array<() => ListOptions> = [
  () => ({}),
  () => ({ functionName: pick(FUNCTIONS) }),
  () => ({ status: pick(['done', 'errored', 'running'] as const) }),
];

/**
 * Reads at a steady rate, {@link READS_PER_SECOND}, each started when it is due whether or not the
 * earlier ones are done (as independent requests arrive), until `until()` says stop: first pages
 * (overall, by function, by status) and next pages through the cursors they returned. Returns each
 * read's latency counted from when it was due, so that a read due while the event loop is busy
 * (SQLite runs each prune batch synchronously) counts the wait.
 */
async function load(executions: Executions, until: (reads: number) => boolean): Promise<number[]> {
  const times: number[] = [];
  const reads: Array<Promise<void>> = [];
  const cursors: ListOptions[] = [];
  const interval = 1000 / READS_PER_SECOND;
  let due = performance.now();
  for (let n = 0; !until(n); n++) {
    due += interval;
    // Every read due by now starts now, as requests that arrived while the event loop was busy do.
    const wait = due - performance.now();
    if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait));
    const options = n % 3 === 0 || cursors.length === 0 ? { ...pick(STARTS)(), limit: 50 } : pick(cursors);
    const at = due;
    reads.push(
      executions.list(options).then((page) => {
        times.push(performance.now() - at);
        if (page.next) cursors.push({ ...options, cursor: page.next });
        if (cursors.length > 100) cursors.shift();
      }),
    );
  }
  await Promise.all(reads);
  return times;
}

async function pruneLatency(kind: DatabaseKind): Promise<void> {
  console.log(
    `\n[${kind}] list() while prune() deletes ${fmt(OLD)} finished executions (${fmt(RECENT)} recent kept)`,
  );
  const db = await createBulkDatabase(kind, 'bench_prune');
  try {
    await migrate(db.knex);
    const now = Date.now();
    const seeding = performance.now();
    // Old: finished a year ago, one a minute apart at most; recent: the last 20,000 minutes, mixed statuses.
    await seed(db, OLD, now - 365 * DAY_MS, 60_000, ['done', 'done', 'errored', 'cancelled'], 0);
    await seed(
      db,
      RECENT,
      now - RECENT * 60_000,
      60_000,
      ['done', 'done', 'errored', 'running', 'waiting'],
      OLD,
    );
    await seedEvents(db);
    await db.knex.raw(kind === 'mysql' ? `ANALYZE TABLE ${EXECUTIONS_TABLE}, ${EVENTS_TABLE}` : 'ANALYZE');
    console.log(`  seeded in ${fmt((performance.now() - seeding) / 1000, 1)} s`);
    const executions = createExecutions({ knex: db.knex, functions });
    await load(executions, (n) => n >= 60); // warm-up

    const before = await load(executions, (n) => n >= BASELINE_READS);
    let done = false;
    const pruneStart = performance.now();
    const pruning = executions.prune({ defaultMs: RETENTION_MS, now, batchSize: BATCH }).finally(() => {
      done = true;
    });
    const during = await load(executions, () => done);
    const report = await pruning;
    const pruneSeconds = (performance.now() - pruneStart) / 1000;
    const after = await load(executions, (n) => n >= BASELINE_READS);

    const remaining = await db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first();
    if (report.total !== OLD || Number(remaining?.n) !== RECENT)
      throw new Error(`pruned ${report.total}, ${String(remaining?.n)} left; expected ${OLD} and ${RECENT}`);
    const row = (label: string, xs: number[]) =>
      `  ${label.padEnd(30)} p50 ${fmt(median(xs), 2).padStart(7)} ms   p95 ${fmt(quantile(xs, 0.95), 2).padStart(7)} ms   (${xs.length} pages)`;
    console.log(
      `  prune: ${fmt(report.total)} deleted with their events, ${BATCH} per commit, in ${fmt(pruneSeconds, 1)} s`,
    );
    console.log(row('no prune, before (baseline)', before));
    console.log(row('during the prune', during));
    console.log(row('no prune, after', after));
    console.log(
      `  during vs before: p95 ${fmt(quantile(during, 0.95) / quantile(before, 0.95), 2)}x, p50 ${fmt(median(during) / median(before), 2)}x`,
    );
  } finally {
    await db.destroy();
  }
}

for (const kind of KINDS) await pruneLatency(kind);
