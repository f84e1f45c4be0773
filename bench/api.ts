/**
 * The JSON API's throughput, each figure next to a baseline measured in the same run on the same
 * database. turtle is started as `turtle serve --no-worker` starts it (`startServer`, the functions
 * of `bench/fixtures/functions.ts`); the baseline is a bare Koa + Knex app with tables of its own
 * shaped like turtle's (`bench/support/bare-runs.ts`):
 *
 * - sync create: `POST /api/functions/noop/executions` (a sync no-op: validated, on record as running
 *   with its events before it runs, then done with its event) vs. a bare handler doing the same durable
 *   writes around a no-op: the row and its created/started/validated/running events in one
 *   transaction, then the conditional update to done and its event in a second. Target ≥ 0.8×.
 * - GraphQL sync create: `POST /graphql` running the same no-op as a mutation (`mutation { noop { id
 *   functionName status output createdAt } }`) vs. the JSON create above, on the same turtle server
 *   (started with `--graphql`). Target ≥ 0.8×.
 * - list: `GET /api/executions?limit=20` (newest first, summaries) vs. the bare keyset select of the
 *   same columns, `order by created_at desc, id desc limit 21`, rows answered as they come. Target ≥ 0.8×.
 * - background create (202): `POST /api/functions/backgroundNoop/executions` with no worker running
 *   (stored, handed to the scheduler), on an empty database and on one holding BENCH_PENDING pending
 *   executions (posted through the API before measuring). Targets: each ≥ 0.8× of turtle's sync create
 *   above, and the pending figure within 1.25× of the empty one.
 *
 * Each measurement runs BENCH_SECONDS, alternately, BENCH_ROUNDS times: sync create and list on turtle
 * and the bare app; background create on a fresh empty database (a new one each round) and on the
 * filled one (which grows by what each round posts). Autocannon, 10 connections, in a worker thread;
 * medians.
 *
 * Run (from source, as the other benches):
 *   node --import tsx --conditions=turtle-source bench/api.ts [--db sqlite,mysql,postgres]
 * or on the package as it ships: `npm run build && node --import tsx bench/api.ts`.
 * Databases: `--db`, else `DATABASE_URL`, else SQLite, MariaDB and PostgreSQL on this machine (see
 * `bench/support/bench-databases.ts`); a database this turtle-shell cannot open is reported and skipped.
 * Env: BENCH_SECONDS (default 2), BENCH_ROUNDS (default 3), BENCH_PENDING (default 10000).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { pino } from 'pino';
import { loadConfig, openDatabase, startServer, type RunningServer } from 'turtle-shell/server';
import { benchTargets, createBenchDatabase, labelOf, type BenchDatabase } from './support/bench-databases.js';
import { createBareTables, listPage, recordedRun } from './support/bare-runs.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PENDING = Number(process.env.BENCH_PENDING ?? 10_000);
const CONNECTIONS = 10;
const PAGE = 20;
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Both apps log one line per request, as production would; to /dev/null so output is not the bottleneck. */
const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));

/** A bench's view of a running app. */
interface App {
  url: string;
  close(): Promise<void>;
}

/** turtle as `turtle serve --no-worker` runs it, on `db`. */
async function turtleApp(db: BenchDatabase): Promise<App> {
  const config = loadConfig(
    {
      functions: path.join(FIXTURES, 'functions.ts'),
      manifest: path.join(FIXTURES, 'turtle.schema.json'),
      worker: false,
      port: '0',
      graphql: true,
    },
    { ...process.env, DATABASE_URL: db.url },
  );
  const running: RunningServer = await startServer(config, { logger });
  return {
    url: running.url,
    close: async () => {
      await running.close();
    },
  };
}

/** The baseline: a hand-written Koa + Knex app, with the same request logging and JSON body parsing. */
async function bareApp(db: BenchDatabase): Promise<App> {
  const knex = openDatabase(db.url);
  await createBareTables(knex, db.kind);
  const run = recordedRun(knex, db.kind);
  const list = listPage(knex, db.kind);
  const noop = () => null;
  const app = new Koa();
  app.use(async (ctx, next) => {
    await next();
    logger.info({ method: ctx.method, path: ctx.path, status: ctx.status }, 'request');
  });
  app.use(bodyParser());
  app.use(async (ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/noop') {
      ctx.status = 201;
      ctx.body = await run('noop', ctx.request.body, noop);
    } else if (ctx.method === 'GET' && ctx.path === '/list') {
      ctx.body = await list(
        Number(ctx.query.limit ?? PAGE),
        typeof ctx.query.cursor === 'string' ? ctx.query.cursor : undefined,
      );
    }
  });
  const handle = app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await knex.destroy();
    },
  };
}

interface Figures {
  /** Requests answered per second. */
  rps: number;
  /** Requests answered. */
  count: number;
  p99: number;
  errors: number;
}

/**
 * Load on `url` for `seconds`, or until `amount` requests are answered. Rates are only meaningful for
 * `seconds`: autocannon notices the end of an `amount` on its 1 s sampling tick.
 */
async function load(
  url: string,
  method: 'GET' | 'POST',
  options: { seconds?: number; amount?: number; body?: string } = {},
): Promise<Figures> {
  const result = await autocannon({
    url,
    method,
    connections: CONNECTIONS,
    workers: 1,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds ?? SECONDS }),
    ...(options.body !== undefined && {
      body: options.body,
      headers: { 'content-type': 'application/json' },
    }),
  });
  const elapsedMs = new Date(result.finish).getTime() - new Date(result.start).getTime();
  return {
    rps: result.requests.total / (elapsedMs / 1000),
    count: result.requests.total,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** Posts one request and checks the answer is what the scenario claims to measure. */
async function expectAnswer(
  url: string,
  status: number,
  check: (body: Record<string, unknown>) => boolean,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== status || !check(body))
    throw new Error(`${url} answered ${response.status} ${JSON.stringify(body)}`);
}

/**
 * Before closing an app after a timed load: autocannon drops its connections at the deadline, but their
 * requests still run on the server, and closing would cut them off. One more request, answered after
 * the database pool served everyone queued before it (its queue is first in, first out), lets them end.
 */
async function settle(url: string): Promise<void> {
  await (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  ).arrayBuffer();
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => n.toFixed(0).padStart(6);
const errorsOf = (...runs: Figures[][]) => {
  const n = runs.flat().reduce((sum, f) => sum + f.errors, 0);
  return n ? `  ${n} errors/non-2xx/timeouts!` : '';
};
/** The ratio rounded towards missing its target (0.797 shows as 0.79, not as a passing 0.80). */
const verdict = (ratio: number, target: number, atMost = false) =>
  `${((atMost ? Math.ceil(ratio * 100) : Math.floor(ratio * 100)) / 100).toFixed(2)}x${(atMost ? ratio <= target : ratio >= target) ? '' : `  (misses the ${atMost ? '≤' : '≥'} ${target} target)`}`;

/** Sync create and list, turtle vs the bare app, interleaved rounds; returns turtle's sync create figure. */
async function pairs(label: string, turtle: App, bare: App): Promise<number> {
  const create = `${turtle.url}/api/functions/noop/executions`;
  await expectAnswer(create, 201, (body) => body.status === 'done' && body.mode === 'sync');
  await expectAnswer(`${bare.url}/noop`, 201, (body) => body.status === 'done');
  // Warm-up (JIT, pools, caches), not counted; it also leaves a table of 1,000+ runs for the list.
  await load(`${bare.url}/noop`, 'POST', { amount: 1000, body: '{}' });
  await load(create, 'POST', { amount: 1000, body: '{}' });
  await graphqlVsJson(label, turtle);
  // Each scenario also warms up for 1 s per app first.
  let syncCreate = 0;
  const scenarios = [
    {
      name: 'sync create (no-op)',
      turtle: (seconds?: number) => load(create, 'POST', { seconds, body: '{}' }),
      bare: (seconds?: number) => load(`${bare.url}/noop`, 'POST', { seconds, body: '{}' }),
    },
    {
      name: `list (page of ${PAGE})`,
      turtle: (seconds?: number) => load(`${turtle.url}/api/executions?limit=${PAGE}`, 'GET', { seconds }),
      bare: (seconds?: number) => load(`${bare.url}/list?limit=${PAGE}`, 'GET', { seconds }),
    },
  ];
  for (const scenario of scenarios) {
    await scenario.bare(1);
    await scenario.turtle(1);
    const t: Figures[] = [];
    const b: Figures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      b.push(await scenario.bare());
      t.push(await scenario.turtle());
    }
    const [tr, br] = [median(t.map((f) => f.rps)), median(b.map((f) => f.rps))];
    syncCreate ||= tr;
    console.log(
      [
        `  ${label.padEnd(8)} ${scenario.name.padEnd(28)}`,
        `turtle ${fmt(tr)} req/s  p99 ${String(median(t.map((f) => f.p99))).padStart(4)} ms`,
        `bare ${fmt(br)} req/s  p99 ${String(median(b.map((f) => f.p99))).padStart(4)} ms`,
        `turtle/bare ${verdict(tr / br, 0.8)}${errorsOf(t, b)}`,
      ].join('  |  '),
    );
  }
  return syncCreate;
}

/** The no-op's sync create as a GraphQL mutation vs. through the JSON API, on the same server, interleaved rounds. */
async function graphqlVsJson(label: string, turtle: App): Promise<void> {
  const json = `${turtle.url}/api/functions/noop/executions`;
  const graphql = `${turtle.url}/graphql`;
  const mutation = JSON.stringify({ query: 'mutation { noop { id functionName status output createdAt } }' });
  const check = await fetch(graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: mutation,
  });
  const answer = (await check.json()) as { data?: { noop?: { status?: string } }; errors?: unknown };
  if (check.status !== 200 || answer.errors || answer.data?.noop?.status !== 'done')
    throw new Error(`${graphql} answered ${check.status} ${JSON.stringify(answer)}`);
  await load(graphql, 'POST', { amount: 1000, body: mutation });
  await load(json, 'POST', { seconds: 1, body: '{}' });
  await load(graphql, 'POST', { seconds: 1, body: mutation });
  const j: Figures[] = [];
  const g: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    j.push(await load(json, 'POST', { body: '{}' }));
    g.push(await load(graphql, 'POST', { body: mutation }));
  }
  const [jr, gr] = [median(j.map((f) => f.rps)), median(g.map((f) => f.rps))];
  console.log(
    [
      `  ${label.padEnd(8)} ${'GraphQL sync create (no-op)'.padEnd(28)}`,
      `graphql ${fmt(gr)} req/s  p99 ${String(median(g.map((f) => f.p99))).padStart(4)} ms`,
      `json ${fmt(jr)} req/s  p99 ${String(median(j.map((f) => f.p99))).padStart(4)} ms`,
      `graphql/json ${verdict(gr / jr, 0.8)}${errorsOf(g, j)}`,
    ].join('  |  '),
  );
}

/** Background creates on a fresh empty database vs one holding PENDING pending executions. */
async function background(label: string, target: string, syncCreate: number): Promise<void> {
  const route = '/api/functions/backgroundNoop/executions';
  const filledDb = await createBenchDatabase(target, 'bench_api_pending');
  const filled = await turtleApp(filledDb);
  try {
    await expectAnswer(
      `${filled.url}${route}`,
      202,
      (body) => body.status === 'created' && body.mode === 'async',
    );
    const t0 = performance.now();
    const fill = await load(`${filled.url}${route}`, 'POST', { amount: PENDING - 1, body: '{}' });
    if (fill.errors) throw new Error(`${fill.errors} of the ${PENDING} pending executions were not created`);
    console.log(
      `  ${label.padEnd(8)} (${PENDING.toLocaleString('en-US')} pending executions posted through the API in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    const empty: Figures[] = [];
    const pending: Figures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh database each round, so "empty" holds only this round's executions (and a warm-up's).
      const emptyDb = await createBenchDatabase(target, 'bench_api_empty');
      const fresh = await turtleApp(emptyDb);
      try {
        // A few requests first: the first ones also open the pool and start the scheduler's backend.
        await load(`${fresh.url}${route}`, 'POST', { amount: 2 * CONNECTIONS, body: '{}' });
        empty.push(await load(`${fresh.url}${route}`, 'POST', { body: '{}' }));
        await settle(`${fresh.url}${route}`);
      } finally {
        await fresh.close();
        await emptyDb.destroy();
      }
      pending.push(await load(`${filled.url}${route}`, 'POST', { body: '{}' }));
    }
    await settle(`${filled.url}${route}`);
    const [e, p] = [median(empty.map((f) => f.rps)), median(pending.map((f) => f.rps))];
    const most = Math.max(...empty.map((f) => f.count)) + 2 * CONNECTIONS;
    console.log(
      `  ${label.padEnd(8)} (empty: a fresh database each round, holding 0 to ${most.toLocaleString('en-US')} executions by its end; ` +
        `pending: ${PENDING.toLocaleString('en-US')} to ${(PENDING + pending.reduce((n, f) => n + f.count, 0)).toLocaleString('en-US')})`,
    );
    const p99 = (xs: Figures[]) => String(median(xs.map((f) => f.p99))).padStart(4);
    console.log(
      `  ${label.padEnd(8)} ${'background create, empty'.padEnd(28)}  |  turtle ${fmt(e)} req/s  p99 ${p99(empty)} ms  |  /sync create ${verdict(e / syncCreate, 0.8)}${errorsOf(empty)}`,
    );
    console.log(
      `  ${label.padEnd(8)} ${`background create, ${PENDING / 1000}k pending`.padEnd(28)}  |  turtle ${fmt(p)} req/s  p99 ${p99(pending)} ms  |  /sync create ${verdict(p / syncCreate, 0.8)}  |  empty/pending ${verdict(e / p, 1.25, true)}${errorsOf(pending)}`,
    );
  } finally {
    await filled.close();
    await filledDb.destroy();
  }
}

async function benchDatabase(target: string): Promise<void> {
  const label = labelOf(target);
  const turtleDb = await createBenchDatabase(target, 'bench_api_turtle');
  let turtle: App;
  try {
    turtle = await turtleApp(turtleDb);
  } catch (err) {
    await turtleDb.destroy();
    console.log(
      `  ${label.padEnd(8)} skipped: this turtle-shell does not run on ${label} (${(err as Error).name}: ${(err as Error).message.split('\n')[0]!.slice(0, 60)}…)`,
    );
    return;
  }
  const bareDb = await createBenchDatabase(target, 'bench_api_bare');
  const bare = await bareApp(bareDb);
  let syncCreate: number;
  try {
    syncCreate = await pairs(label, turtle, bare);
    await settle(`${turtle.url}/api/functions/noop/executions`);
    await settle(`${bare.url}/noop`);
  } finally {
    await turtle.close();
    await bare.close();
    await turtleDb.destroy();
    await bareDb.destroy();
  }
  await background(label, target, syncCreate);
}

console.log(
  `API benchmark: ${CONNECTIONS} connections; sync create and list ${ROUNDS} rounds × ${SECONDS} s per app; ` +
    `background create ${ROUNDS} rounds × ${SECONDS} s on each database; medians. Baselines from this run.`,
);
for (const target of benchTargets(process.argv.slice(2))) await benchDatabase(target);
// pino's async destination and autocannon's worker keep nothing running that matters: exit now.
process.exit(0);
