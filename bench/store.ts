/**
 * Benchmark of the executions store, on SQLite, MariaDB and PostgreSQL. Prints, next to a baseline measured in
 * the same run:
 * - executions created and completed per second through the lifecycle: the full life of a run in
 *   the request (`runSync` of a no-op: stored with its events as running before it runs, then
 *   finished with its event) vs a bare Knex script doing the same durable writes in the same two
 *   transactions (target: at least 0.8x); for context, the same against a bare insert + update of
 *   the row alone (less durable: no events), and `create` + `advance` of a background one;
 * - `list()` latency p50/p95 for a page of 50 from a table of 1,000,000 executions vs one of 1,000
 *   (target: p95 within 2x), browsing as a UI does, plus the worst case (one user around a random
 *   date) shown apart.
 *
 * Run: node --import tsx --conditions=turtle-source bench/store.ts [--rows 1000000] [--only sqlite|mysql|postgres] [--no-list]
 */
import { v7 as uuidv7 } from 'uuid';
import type { Knex } from 'knex';
import { createRegistry } from '../server/registry/registry.js';
import { createExecutions } from '../server/executions/create-executions.js';
import type { Executions, ListOptions } from '../server/executions/executions-service.js';
import { migrate } from '../server/storage/migrate.js';
import { columnsFor } from '../server/storage/columns.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../server/storage/tables.js';
import type { DatabaseKind } from '../server/storage/database.js';
import { createTestDatabase, type TestDatabase } from '../test/support/databases.js';
import { manifestOf } from '../test/support/manifests.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const BIG = Number(option('rows') ?? 1_000_000);
const SMALL = 1_000;
const KINDS: DatabaseKind[] = option('only')
  ? [option('only') as DatabaseKind]
  : ['sqlite', 'mysql', 'postgres'];
const FUNCTIONS = Array.from({ length: 10 }, (_, i) => `fn${i}`);
const STATUSES = ['done', 'done', 'done', 'errored', 'cancelled', 'waiting', 'created', 'running'];
const YEAR_MS = 365 * 24 * 3600 * 1000;
const BASE = Date.parse('2025-01-01T00:00:00.000Z');

const registry = createRegistry();
registry.addSync(function noop() {});
registry.add(function background() {});
const functions = registry.bind(manifestOf({ noop: { mode: 'sync' }, background: {} }), {
  manifestDir: process.cwd(),
});

const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function rate(n: number, one: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await one(i);
  return n / ((performance.now() - start) / 1000);
}

/** A bare Knex insert + update of the same row shape: the floor the lifecycle is compared with. */
function bareInsertUpdate(knex: Knex) {
  const columns = columnsFor(knex);
  return async () => {
    const id = uuidv7();
    const now = Date.now();
    await knex(EXECUTIONS_TABLE).insert({
      id,
      func_name: 'noop',
      mode: 'sync',
      status: 'created',
      input_json: '{}',
      user: null,
      attempts: 0,
      created_at: columns.time(now),
      updated_at: columns.time(now),
    });
    await knex(EXECUTIONS_TABLE)
      .where({ id, status: 'created' })
      .update({
        status: 'done',
        output_json: 'null',
        attempts: 1,
        started_at: columns.time(now),
        finished_at: columns.time(Date.now()),
        updated_at: columns.time(Date.now()),
      });
  };
}

/**
 * A bare Knex script doing the durable writes of a run in the request, in the same transactions: the
 * row inserted as running with its four status events, then finished (conditional update + event).
 */
function bareDurableRun(knex: Knex) {
  const columns = columnsFor(knex);
  return async () => {
    const id = uuidv7();
    const now = columns.time(Date.now());
    const event = (from: string | null, to: string) => ({
      execution_id: id,
      func_name: 'noop',
      at: columns.time(Date.now()),
      kind: 'status',
      from_status: from,
      to_status: to,
      data_json: null,
    });
    await knex.transaction(async (trx) => {
      await trx(EXECUTIONS_TABLE).insert({
        id,
        func_name: 'noop',
        mode: 'sync',
        status: 'running',
        input_json: '{}',
        user: null,
        attempts: 1,
        worker_id: 'bench',
        heartbeat_at: now,
        started_at: now,
        created_at: now,
        updated_at: now,
      });
      await trx(EVENTS_TABLE).insert([
        event(null, 'created'),
        event('created', 'started'),
        event('started', 'validated'),
        event('validated', 'running'),
      ]);
    });
    await knex.transaction(async (trx) => {
      const changed = await trx(EXECUTIONS_TABLE)
        .where({ id, status: 'running', worker_id: 'bench' })
        .update({
          status: 'done',
          output_json: 'null',
          worker_id: null,
          finished_at: columns.time(Date.now()),
          updated_at: columns.time(Date.now()),
        });
      if (changed !== 1) throw new Error('lost the row');
      await trx(EVENTS_TABLE).insert(event('running', 'done'));
    });
  };
}

async function throughput(kind: DatabaseKind): Promise<void> {
  const db = await createTestDatabase(kind, 'bench_rate');
  try {
    await migrate(db.knex);
    const executions = createExecutions({ knex: db.knex, functions });
    // Many short interleaved rounds: load from other processes on this machine hits all three alike.
    const n = kind === 'sqlite' ? 600 : 150;
    const rounds = 11;
    const bare: number[] = [];
    const bareDurable: number[] = [];
    const sync: number[] = [];
    const async: number[] = [];
    const runBare = bareInsertUpdate(db.knex);
    const runBareDurable = bareDurableRun(db.knex);
    const runSync = () => executions.runSync('noop', {});
    const createAdvance = async () => {
      const { id } = await executions.create('background', {});
      const { next } = await executions.advance(id, { workerId: 'bench' });
      if (next !== 'done') throw new Error(`advance gave ${next}`);
    };
    // Warm-up of all three (JIT, statement caches), not counted.
    for (const one of [runBare, runBareDurable, runSync, createAdvance]) await rate(50, one);
    for (let r = 0; r < rounds; r++) {
      // Interleaved rounds so that drift (caches, checkpoints) hits all alike.
      bare.push(await rate(n, runBare));
      bareDurable.push(await rate(n, runBareDurable));
      sync.push(await rate(n, runSync));
      async.push(await rate(n, createAdvance));
    }
    const b = median(bare);
    console.log(`\n[${kind}] executions created+completed per second (median of ${rounds} rounds of ${n})`);
    console.log(`  bare knex insert+update  ${fmt(b).padStart(8)}/s  (baseline)`);
    console.log(
      `  runSync (no-op, sync)    ${fmt(median(sync)).padStart(8)}/s  ${fmt(median(sync) / b, 2)}x`,
    );
    const d = median(bareDurable);
    console.log(
      `  bare knex, same durable writes in the same transactions  ${fmt(d)}/s: runSync ${fmt(median(sync) / d, 2)}x of it (target >= 0.8x)`,
    );
    console.log(
      `  create + advance (async) ${fmt(median(async)).padStart(8)}/s  ${fmt(median(async) / b, 2)}x`,
    );
  } finally {
    await db.destroy();
  }
}

/** Fills the executions table with `rows` executions in one statement, spread over a year. */
async function seed(db: TestDatabase, rows: number): Promise<void> {
  const started = performance.now();
  const funcs = FUNCTIONS.map((f) => `'${f}'`).join(',');
  const statuses = STATUSES.map((s) => `'${s}'`).join(',');
  // Ids are time-ordered UUIDs (v7) as the service makes them: 48 bits of milliseconds, then random.
  if (db.kind === 'mysql') {
    // MariaDB's SEQUENCE engine gives the numbers; one INSERT … SELECT, no round trips.
    await db.knex.raw(`
      INSERT INTO ${EXECUTIONS_TABLE} (id, func_name, mode, status, input_json, user, attempts, created_at, updated_at)
      SELECT LOWER(CONCAT(SUBSTR(h, 1, 8), '-', SUBSTR(h, 9, 4), '-7', SUBSTR(r, 1, 3), '-', ELT(1 + seq % 4, '8', '9', 'a', 'b'),
                          SUBSTR(r, 4, 3), '-', SUBSTR(r, 7, 12))),
             ELT(1 + seq % 10, ${funcs}), 'async', ELT(1 + (seq DIV 10) % 8, ${statuses}), '{"n":1}',
             CONCAT('user', seq % 100), 1, FROM_UNIXTIME(ms / 1000), FROM_UNIXTIME(ms / 1000)
      FROM (SELECT seq, ms, LPAD(HEX(ms), 12, '0') AS h, MD5(seq) AS r
            FROM (SELECT seq, ${BASE} + FLOOR(seq * ${YEAR_MS} / ${rows}) AS ms FROM seq_1_to_${rows}) n) s`);
  } else {
    // One statement over a recursive CTE, in one transaction.
    await db.knex.raw(`
      WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${rows}),
      rows AS (SELECT n, ${BASE} + (n * ${YEAR_MS} / ${rows}) AS ms, printf('%012x', ${BASE} + (n * ${YEAR_MS} / ${rows})) AS h,
                      lower(hex(randomblob(9))) AS r FROM seq)
      INSERT INTO ${EXECUTIONS_TABLE} (id, func_name, mode, status, input_json, user, attempts, created_at, updated_at)
      SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12),
             json_extract('[${funcs.replace(/'/g, '"')}]', '$[' || (n % 10) || ']'), 'async',
             json_extract('[${statuses.replace(/'/g, '"')}]', '$[' || ((n / 10) % 8) || ']'), '{"n":1}',
             'user' || (n % 100), 1, ms, ms
      FROM rows`);
    await db.knex.raw('ANALYZE');
  }
  if (db.kind === 'mysql') await db.knex.raw(`ANALYZE TABLE ${EXECUTIONS_TABLE}`);
  const count = await db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first();
  console.log(`  seeded ${fmt(Number(count?.n))} rows in ${fmt((performance.now() - started) / 1000, 1)} s`);
}

const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const randomUser = () => `user${Math.floor(Math.random() * 100)}`;
/** A date in the older 90% of the seeded year: a "jump to date" lands deep in the table. */
const randomDate = () => new Date(BASE + YEAR_MS * 0.1 + Math.floor(Math.random() * YEAR_MS * 0.9));

/**
 * What a UI asks for: a first page — overall, by function, by status or by user — or a jump to a date
 * (`createdBefore`), then the next pages through the cursors `list()` returned.
 */
const BROWSE: Array<() => ListOptions> = [
  () => ({}),
  () => ({ functionName: pick(FUNCTIONS) }),
  () => ({ status: pick(['done', 'errored', 'waiting'] as const) }),
  () => ({ user: randomUser() }),
  () => ({ createdBefore: randomDate() }),
  () => ({ functionName: pick(FUNCTIONS), createdBefore: randomDate() }),
  () => ({ status: pick(['done', 'errored'] as const), createdBefore: randomDate() }),
];
/** The worst case, shown apart: one user's executions around a random date (scattered rows). */
const USER_JUMP = (): ListOptions => ({ user: randomUser(), createdBefore: randomDate() });

/** Latencies of `sequences` browses: a first page of 50 and up to `depth - 1` next pages. */
async function browse(
  executions: Executions,
  starts: Array<() => ListOptions>,
  sequences: number,
  depth: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < sequences; i++) {
    let options: ListOptions = { ...starts[i % starts.length]!(), limit: 50 };
    for (let page = 0; page < depth; page++) {
      const start = performance.now();
      const result = await executions.list(options);
      times.push(performance.now() - start);
      if (page === 0 && result.items.length === 0)
        throw new Error(`empty first page for ${JSON.stringify(options)}`);
      if (!result.next) break;
      options = { ...options, cursor: result.next };
    }
  }
  return times;
}

async function listLatency(kind: DatabaseKind): Promise<void> {
  console.log(`\n[${kind}] list(): a page of 50, newest first`);
  const small = await createTestDatabase(kind, 'bench_small');
  const big = await createTestDatabase(kind, 'bench_big');
  try {
    await migrate(small.knex);
    await migrate(big.knex);
    await seed(small, SMALL);
    await seed(big, BIG);
    const smallEx = createExecutions({ knex: small.knex, functions });
    const bigEx = createExecutions({ knex: big.knex, functions });
    await browse(smallEx, BROWSE, 14, 2); // warm-up
    await browse(bigEx, BROWSE, 14, 2);
    const s: number[] = [];
    const b: number[] = [];
    const sJump: number[] = [];
    const bJump: number[] = [];
    // Alternate batches so both tables see the same machine conditions.
    for (let r = 0; r < 5; r++) {
      s.push(...(await browse(smallEx, BROWSE, 14, 5)));
      b.push(...(await browse(bigEx, BROWSE, 14, 5)));
      sJump.push(...(await browse(smallEx, [USER_JUMP], 10, 1)));
      bJump.push(...(await browse(bigEx, [USER_JUMP], 10, 1)));
    }
    const row = (label: string, xs: number[]) =>
      `  ${label.padEnd(34)} p50 ${fmt(median(xs), 2).padStart(6)} ms   p95 ${fmt(percentile(xs, 95), 2).padStart(6)} ms   (${xs.length} pages)`;
    console.log(
      ' browsing: first pages (all, by function / status / user, jump to a date) and the next 4 pages',
    );
    console.log(row(`${fmt(SMALL)} rows (baseline)`, s));
    console.log(row(`${fmt(BIG)} rows`, b));
    console.log(
      `  p95 ratio ${fmt(percentile(b, 95) / percentile(s, 95), 2)}x (target <= 2x), p50 ratio ${fmt(median(b) / median(s), 2)}x`,
    );
    console.log(' worst case: one user around a random date (rows scattered over the whole table)');
    console.log(row(`${fmt(SMALL)} rows (baseline)`, sJump));
    console.log(row(`${fmt(BIG)} rows`, bJump));
    console.log(
      `  p95 ratio ${fmt(percentile(bJump, 95) / percentile(sJump, 95), 2)}x, p50 ratio ${fmt(median(bJump) / median(sJump), 2)}x`,
    );
  } finally {
    await small.destroy();
    await big.destroy();
  }
}

for (const kind of KINDS) {
  await throughput(kind);
  if (!args.includes('--no-list')) await listLatency(kind);
}
