/**
 * The JSON API's throughput against a bare Koa + Knex app doing the same insert / select, measured in
 * the same run on the same database:
 *
 * - create: `POST /api/functions/noop/executions` (a sync no-op: validated, stored, run, its events
 *   recorded) vs. a bare handler inserting one finished row into the same `turtle_executions` table;
 *   also shown, vs. a bare handler inserting the row as `created` then updating it to `done` (what
 *   a run on record before it starts costs at least, as every turtle run is);
 * - list: `GET /api/executions?limit=20` (one page, newest first) vs. the bare `select * … order by
 *   created_at desc, id desc limit 21` on that table, rows answered as they come.
 *
 * Each pair runs `BENCH_ROUNDS` times alternately (default 3) for `BENCH_SECONDS` each (default 3)
 * with autocannon in a worker thread; the table shows medians and the ratio turtle / bare (target
 * ≥ 0.7). Databases: SQLite, plus MariaDB when `BENCH_MYSQL` is not `0`.
 *
 * It measures the package as it ships (dist, compiled by tsc, as `turtle serve` runs it), so build first:
 *
 *   npm run build && node --import tsx bench/api.ts
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createApp, createExecutions, createRegistry, databaseKind, EXECUTIONS_TABLE, migrate, type DatabaseKind } from 'turtle-shell/server';
import type { Manifest } from 'turtle-shell';
import { createTestDatabase } from '../test/support/databases.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const SEED_ROWS = 1000;

function noop(): null {
  return null;
}

const manifest: Manifest = {
  version: 1,
  sources: {},
  functions: {
    noop: {
      name: 'noop', functionName: 'noop', mode: 'sync', call: 'positional', source: 'bench/api.ts:1',
      params: { type: 'object', properties: {}, additionalProperties: false }, returns: { type: 'null' },
    },
  },
};

/** Both apps log one line per request, as production would; to /dev/null so output is not the bottleneck. */
const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));

async function listen(callback: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(callback);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function turtleApp(knex: Knex) {
  await migrate(knex);
  const registry = createRegistry();
  registry.addSync(noop);
  const functions = registry.bind(manifest, { manifestDir: '.', checkSources: false });
  const executions = createExecutions({ knex, functions });
  for (let i = 0; i < SEED_ROWS; i++) await executions.runSync('noop', {});
  return listen(createApp({ executions, functions, knex, logger }).callback());
}

/**
 * The baseline: a hand-written endpoint doing the same insert / select on the same table (migrated the
 * same way, same indexes): one row written as a finished run, one page read newest first. No
 * validation, no lifecycle, no events, no mapping of rows.
 */
async function bareApp(knex: Knex) {
  await migrate(knex);
  const mysql = databaseKind(knex) === 'mysql';
  const insert = async (input: unknown) => {
    const now = mysql ? new Date() : Date.now();
    const row = {
      id: randomUUID(), func_name: 'noop', mode: 'sync', status: 'done', input_json: JSON.stringify(input), output_json: 'null',
      attempts: 1, created_at: now, updated_at: now, started_at: now, finished_at: now,
    };
    await knex(EXECUTIONS_TABLE).insert(row);
    return row;
  };
  /** The same row recorded before the "run" and finished after it: an insert, then an update. */
  const insertThenUpdate = async (input: unknown) => {
    const now = mysql ? new Date() : Date.now();
    const row = {
      id: randomUUID(), func_name: 'noop', mode: 'sync', status: 'created', input_json: JSON.stringify(input),
      attempts: 0, created_at: now, updated_at: now,
    };
    await knex(EXECUTIONS_TABLE).insert(row);
    const done = { status: 'done', output_json: 'null', attempts: 1, started_at: now, finished_at: mysql ? new Date() : Date.now(), updated_at: mysql ? new Date() : Date.now() };
    await knex(EXECUTIONS_TABLE).where({ id: row.id, status: 'created' }).update(done);
    return { ...row, ...done };
  };
  for (let i = 0; i < SEED_ROWS; i++) await insert({});
  const app = new Koa();
  app.use(async (ctx, next) => {
    await next();
    logger.info({ method: ctx.method, path: ctx.path, status: ctx.status }, 'request');
  });
  app.use(bodyParser());
  app.use(async (ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/noop') {
      ctx.status = 201;
      ctx.body = await insert(ctx.request.body);
    } else if (ctx.method === 'POST' && ctx.path === '/noop-recorded') {
      ctx.status = 201;
      ctx.body = await insertThenUpdate(ctx.request.body);
    } else if (ctx.method === 'GET' && ctx.path === '/list') {
      const rows = await knex(EXECUTIONS_TABLE).select().orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(21);
      ctx.body = { items: rows.slice(0, 20), next: rows.length > 20 ? rows[19].id : null };
    }
  });
  return listen(app.callback());
}

interface Figures {
  rps: number;
  p99: number;
  errors: number;
}

async function load(url: string, method: 'GET' | 'POST', body?: string, seconds = SECONDS): Promise<Figures> {
  const result = await autocannon({
    url, method, connections: CONNECTIONS, duration: seconds, workers: 1,
    ...(body !== undefined && { body, headers: { 'content-type': 'application/json' } }),
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function benchKind(kind: DatabaseKind): Promise<void> {
  const turtleDb = await createTestDatabase(kind, 'bench_turtle');
  const bareDb = await createTestDatabase(kind, 'bench_bare');
  const turtle = await turtleApp(turtleDb.knex);
  const bare = await bareApp(bareDb.knex);
  try {
    const scenarios: Array<{ name: string; turtle: (s?: number) => Promise<Figures>; bare: (s?: number) => Promise<Figures>; recorded?: (s?: number) => Promise<Figures> }> = [
      {
        name: 'create (sync no-op)',
        turtle: (s) => load(`${turtle.url}/api/functions/noop/executions`, 'POST', '{}', s),
        bare: (s) => load(`${bare.url}/noop`, 'POST', '{}', s),
        recorded: (s) => load(`${bare.url}/noop-recorded`, 'POST', '{}', s),
      },
      { name: 'list (page of 20)', turtle: (s?: number) => load(`${turtle.url}/api/executions?limit=20`, 'GET', undefined, s), bare: (s?: number) => load(`${bare.url}/list`, 'GET', undefined, s) },
    ];
    for (const scenario of scenarios) {
      // Warm-up (JIT, database caches), not counted.
      await scenario.bare(1);
      await scenario.recorded?.(1);
      await scenario.turtle(1);
      const t: Figures[] = [];
      const b: Figures[] = [];
      const r: Figures[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        b.push(await scenario.bare());
        if (scenario.recorded) r.push(await scenario.recorded());
        t.push(await scenario.turtle());
      }
      const tr = median(t.map((f) => f.rps));
      const br = median(b.map((f) => f.rps));
      const errors = [...t, ...b, ...r].reduce((n, f) => n + f.errors, 0);
      console.log([
        kind.padEnd(7), scenario.name.padEnd(20),
        `turtle ${tr.toFixed(0).padStart(6)} req/s  p99 ${String(median(t.map((f) => f.p99))).padStart(4)} ms`,
        `bare ${br.toFixed(0).padStart(6)} req/s  p99 ${String(median(b.map((f) => f.p99))).padStart(4)} ms`,
        `ratio ${(tr / br).toFixed(2)}${tr / br >= 0.7 ? '' : '  (below the 0.7 target)'}`,
        errors ? `  ${errors} errors/non-2xx!` : '',
      ].join('  |  '));
      if (r.length) {
        const rr = median(r.map((f) => f.rps));
        console.log(`${' '.repeat(32)}bare insert+update ${rr.toFixed(0).padStart(6)} req/s  p99 ${String(median(r.map((f) => f.p99))).padStart(4)} ms  |  ratio turtle / it ${(tr / rr).toFixed(2)}`);
      }
    }
  } finally {
    await turtle.close();
    await bare.close();
    await turtleDb.destroy();
    await bareDb.destroy();
  }
}

console.log(`API benchmark: ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s per app and scenario, medians; ratio = turtle / bare (target ≥ 0.7)`);
await benchKind('sqlite');
if (process.env.BENCH_MYSQL !== '0') await benchKind('mysql');
