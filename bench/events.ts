/**
 * What open Server-Sent Event streams cost the API: database statements per second and sync-request
 * latency with 0 (the baseline, measured in the same run), 500 and 1,000 open streams.
 *
 * For each stream count the app (default `eventsPollMs` 500) serves that many idle streams — list
 * views of another function (`/api/events?function=watched`) and per-execution streams of waiting
 * executions, half each, opened with plain `http.get` from a worker thread — while:
 * - idle: statements per second over `BENCH_SECONDS` with no requests;
 * - load: `POST /api/functions/noop/executions` (a sync no-op), one request after another from a
 *   worker thread for `BENCH_SECONDS`: p50 latency, and statements per second and per request.
 * Statements are counted twice: knex's `query` event (what goes through the query builder, as the
 * event feed does), and every statement the driver sends (the store's hot paths bypass the builder).
 * Rounds take the stream counts in turn (`BENCH_ROUNDS`, default 3); medians are shown with the ratio vs
 * 0 streams (target: within 1.5×). A last row: 1,000 list views of every event, which receive each
 * request's events (fan-out, a cost per stream by nature). Also printed: what one `GET /api/events`
 * connect costs on a table of 50,000 events.
 *
 * Run: node --import tsx --conditions=turtle-source bench/events.ts [--only mysql|sqlite]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { createExecutions } from '../server/executions/create-executions.js';
import { createApp } from '../server/http/create-app.js';
import { createRegistry } from '../server/registry/registry.js';
import { migrate } from '../server/storage/migrate.js';
import { EVENTS_TABLE } from '../server/storage/tables.js';
import type { DatabaseKind } from '../server/storage/database.js';
import { createTestDatabase } from '../test/support/databases.js';
import { manifestOf } from '../test/support/manifests.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] as DatabaseKind) : undefined;
const KINDS: DatabaseKind[] = only ? [only] : ['mysql', 'sqlite'];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAM_COUNTS = [0, 500, 1000];
const SEED_EVENTS = 50_000;

const registry = createRegistry();
registry.addSync(function noop() {
  return null;
});
registry.add(async function watched() {
  return null;
});
const functions = registry.bind(manifestOf({ noop: { mode: 'sync' }, watched: {} }), {
  manifestDir: process.cwd(),
});
const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Statement counters: knex's `query` event, and every statement the driver runs. */
interface Counters {
  builder: number;
  driver: number;
}

/**
 * Counts what the driver runs on every pooled connection. The pool is knex's (tarn), whose
 * `createSuccess` event hands over each new connection; the count wraps the driver's own entry points
 * (mysql2 `query`/`execute`, better-sqlite3 statements). A measuring instrument for this script only.
 */
function countStatements(knex: Knex, kind: DatabaseKind): Counters {
  const counters: Counters = { builder: 0, driver: 0 };
  knex.on('query', () => {
    counters.builder++;
  });
  const pool = (
    knex.client as { pool: { on(event: 'createSuccess', cb: (id: number, conn: any) => void): void } }
  ).pool;
  pool.on('createSuccess', (_id, conn) => {
    if (kind === 'mysql') {
      for (const method of ['query', 'execute'] as const) {
        const original = conn[method].bind(conn);
        conn[method] = (...a: unknown[]) => {
          // A multi-statement unit (storage/atomic.ts) is one round trip of several statements.
          counters.driver +=
            typeof a[0] === 'string' ? Math.max(1, a[0].split(';').filter((s) => s.trim()).length) : 1;
          return original(...a);
        };
      }
      return;
    }
    const prepare = conn.prepare.bind(conn);
    conn.prepare = (sql: string) => {
      const statement = prepare(sql);
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const original = statement[method].bind(statement);
        statement[method] = (...a: unknown[]) => {
          counters.driver++;
          return original(...a);
        };
      }
      return statement;
    };
  });
  return counters;
}

/** Opens and holds SSE connections in a worker thread, so reading them does not load the server's event loop. */
const STREAMS_WORKER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
let open = [];
parentPort.on('message', (message) => {
  if (message.close) {
    for (const req of open) req.destroy();
    open = [];
    parentPort.postMessage({ closed: true });
    return;
  }
  let ready = 0;
  let failed = 0;
  for (const url of message.urls) {
    const req = http.get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) failed++;
      res.once('data', () => { if (++ready + failed === message.urls.length) parentPort.postMessage({ ready, failed }); });
      res.resume();
    });
    req.on('error', () => { if (ready + ++failed === message.urls.length) parentPort.postMessage({ ready, failed }); });
    open.push(req);
  }
});
`;

class StreamClients {
  readonly #worker = new Worker(STREAMS_WORKER, { eval: true });
  #ask<T>(message: unknown): Promise<T> {
    return new Promise((resolve) => {
      this.#worker.once('message', resolve);
      this.#worker.postMessage(message);
    });
  }
  async open(urls: string[]): Promise<void> {
    if (urls.length === 0) return;
    const { ready, failed } = await this.#ask<{ ready: number; failed: number }>({ urls });
    if (failed > 0) throw new Error(`${failed} of ${urls.length} streams failed to open (${ready} open)`);
  }
  async close(): Promise<void> {
    await this.#ask({ close: true });
  }
  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** Sends sync requests one after another from a worker thread for a while; reports each one's latency (ms). */
const LOAD_WORKER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
parentPort.on('message', async ({ url, seconds }) => {
  const latencies = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const started = performance.now();
    const status = await new Promise((resolve) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', () => resolve(0));
      req.end('{}');
    });
    latencies.push(performance.now() - started);
    if (status !== 201) errors++;
  }
  parentPort.postMessage({ latencies, errors });
});
`;

class LoadClient {
  readonly #worker = new Worker(LOAD_WORKER, { eval: true });
  run(url: string, seconds: number): Promise<{ latencies: number[]; errors: number }> {
    return new Promise((resolve) => {
      this.#worker.once('message', resolve);
      this.#worker.postMessage({ url, seconds });
    });
  }
  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

interface Figures {
  idleBuilder: number;
  idleDriver: number;
  loadBuilder: number;
  loadDriver: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function measure(url: string, counters: Counters, load: LoadClient): Promise<Figures> {
  let before = { ...counters };
  await sleep(SECONDS * 1000);
  const idleBuilder = (counters.builder - before.builder) / SECONDS;
  const idleDriver = (counters.driver - before.driver) / SECONDS;
  before = { ...counters };
  const started = performance.now();
  const { latencies, errors } = await load.run(`${url}/api/functions/noop/executions`, SECONDS);
  const elapsed = (performance.now() - started) / 1000;
  return {
    idleBuilder,
    idleDriver,
    loadBuilder: (counters.builder - before.builder) / elapsed,
    loadDriver: (counters.driver - before.driver) / elapsed,
    p50: median(latencies),
    p99: [...latencies].sort((a, b) => a - b)[Math.floor(latencies.length * 0.99)]!,
    rps: latencies.length / elapsed,
    errors,
  };
}

async function benchKind(kind: DatabaseKind): Promise<void> {
  const db = await createTestDatabase(kind, 'bench_events');
  const counters = countStatements(db.knex, kind);
  const clients = new StreamClients();
  const load = new LoadClient();
  const controller = new AbortController();
  let server: http.Server | undefined;
  try {
    await migrate(db.knex);
    const executions = createExecutions({ knex: db.knex, functions });
    // Waiting executions to watch, and 50,000 older events.
    const watched: string[] = [];
    for (let i = 0; i < 50; i++) watched.push((await executions.create('watched', {})).id);
    const at = kind === 'mysql' ? new Date() : Date.now();
    const seed = Array.from({ length: 400 }, () => ({
      execution_id: watched[0],
      func_name: 'watched',
      at,
      kind: 'progress',
      data_json: '{}',
    }));
    for (let n = 0; n < SEED_EVENTS; n += seed.length) await db.knex(EVENTS_TABLE).insert(seed);

    const app = createApp({ executions, functions, knex: db.knex, logger, signal: controller.signal });
    const handle = app.callback();
    server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const idleUrls = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        i % 2
          ? `${url}/api/executions/${watched[i % watched.length]}/events`
          : `${url}/api/events?function=watched`,
      );

    // What one list-view connect costs with the feed running (another stream open).
    await clients.open(idleUrls(1));
    const builderBefore = counters.builder;
    const driverBefore = counters.driver;
    await clients.open([`${url}/api/events`]);
    const connectBuilder = counters.builder - builderBefore;
    const connectDriver = counters.driver - driverBefore;
    await clients.close();

    // Warm-up (JIT, caches), not counted.
    await load.run(`${url}/api/functions/noop/executions`, 2);
    const figures = new Map<string, Figures[]>();
    const scenarios: Array<{ name: string; urls: () => string[] }> = [
      ...STREAM_COUNTS.map((n) => ({ name: `${fmt(n)} idle streams`, urls: () => idleUrls(n) })),
      { name: '1,000 views of all', urls: () => Array.from({ length: 1000 }, () => `${url}/api/events`) },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      // Each round in another order, so drift (caches, other load on the machine) hits all alike.
      const order = scenarios.map((_, i) => scenarios[(i + round) % scenarios.length]!);
      for (const scenario of order) {
        await clients.open(scenario.urls());
        const f = await measure(url, counters, load);
        await clients.close();
        figures.set(scenario.name, [...(figures.get(scenario.name) ?? []), f]);
        // Let the feed notice the closed streams before the next scenario.
        await sleep(300);
      }
    }

    const med = (name: string, key: keyof Figures) => median(figures.get(name)!.map((f) => f[key]));
    const base = scenarios[0]!.name;
    const ratio = (name: string, key: keyof Figures) => {
      const b = med(base, key);
      return b === 0 ? '  —  ' : `${fmt(med(name, key) / b, 2)}×`;
    };
    console.log(
      `\n[${kind}] ${fmt(SEED_EVENTS)} events stored; eventsPollMs 500; medians of ${ROUNDS} rounds of ${SECONDS} s`,
    );
    console.log(
      `  GET /api/events connect: ${connectDriver} statement${connectDriver === 1 ? '' : 's'} (${connectBuilder} through the query builder)`,
    );
    console.log(
      '  stmt = statements the driver ran (all paths); "builder" = those through knex\'s query builder (its `query` event)',
    );
    console.log(
      '  open streams          idle stmt/s        | load: p50      p99     req/s  stmt/s   stmt/req  | vs 0: p50   stmt/s  stmt/req',
    );
    for (const { name } of scenarios) {
      const errors = figures.get(name)!.reduce((n, f) => n + f.errors, 0);
      const perRequest = (n: string) => med(n, 'loadDriver') / med(n, 'rps');
      console.log(
        [
          `  ${name.padEnd(20)}`,
          `${fmt(med(name, 'idleDriver'), 1).padStart(5)} (${fmt(med(name, 'idleBuilder'), 1)} builder)`.padEnd(
            20,
          ),
          ` | ${fmt(med(name, 'p50'), 2).padStart(5)} ms ${fmt(med(name, 'p99'), 1).padStart(5)} ms ${fmt(med(name, 'rps')).padStart(6)} ${fmt(med(name, 'loadDriver')).padStart(7)} ${fmt(perRequest(name), 2).padStart(8)}`,
          `   | ${ratio(name, 'p50').padStart(6)} ${ratio(name, 'loadDriver').padStart(8)} ${`${fmt(perRequest(name) / perRequest(base), 2)}×`.padStart(8)}`,
          errors ? `  ${errors} errors/non-2xx!` : '',
        ].join(''),
      );
    }
  } finally {
    controller.abort();
    await clients.terminate();
    await load.terminate();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await db.destroy();
  }
}

console.log(
  'Event streams benchmark: statements per second and sync-request p50 with 0, 500 and 1,000 open streams (target: within 1.5× of 0)',
);
for (const kind of KINDS) await benchKind(kind);
