/**
 * Scheduler benchmark, in one run:
 * 1. no-op Agenda jobs per second through the Knex backend on SQLite and on MariaDB, with 1 and 2
 *    worker processes, next to Agenda's official `@agendajs/postgres-backend` on the local PostgreSQL
 *    (the baseline) with the same job count, concurrency and polling settings (notifications off for
 *    every backend: the jobs are all due when the workers start, so they are found by polling);
 * 2. create→start latency (p50/p95) of a background execution in one process, through the
 *    in-process notification channel, next to polling only (the baseline);
 * 3. create→start latency across processes: the execution is created and enqueued in this process
 *    (the API's part) and started by a worker in a child process, through the Redis channel, next to
 *    polling only (the baseline; the in-process channel does not reach another process). Target:
 *    p50 < 20 ms with Redis.
 *
 * Run: node --import tsx --conditions=turtle-source bench/scheduler.ts
 * Env: BENCH_JOBS (default 2000), BENCH_REPS (default 3), BENCH_CONCURRENCY (default 10),
 *      BENCH_PARTS (default throughput,latency,cross), BENCH_SAMPLES (notified latency samples, default 100),
 *      MARIADB_URL (default mysql://root@127.0.0.1:3306), POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test),
 *      REDIS_URL (default redis://127.0.0.1:6379).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agenda, type AgendaBackend } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { runAgendaChild } from './support/agenda-child.js';
import { timeAgendaChildren } from './support/agenda-children.js';
import { createBenchDatabase } from './support/bench-databases.js';
import { freshMysql, MARIADB_URL } from './support/fresh-mysql.js';
import { median, quantile } from './support/stats.js';
import type { Manifest } from 'turtle-shell';
import { createRegistry, createExecutions, migrate, openDatabase } from 'turtle-shell/server';
import {
  chooseNotificationChannel,
  createScheduler,
  KnexBackend,
  migrateAgendaTables,
  startWorker,
} from '../server/scheduler/index.js';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PROCESS_EVERY = 1000;
const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PARTS = new Set((process.env.BENCH_PARTS ?? 'throughput,latency,cross').split(','));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const PG_TABLE = 'turtle_bench_agenda_jobs';
const JOB = 'noop';

type Kind = 'sqlite' | 'mysql' | 'postgres';
interface Target {
  kind: Kind;
  url: string;
}

/** `ensureSchema` only in the parent: the Postgres backend's schema set-up is not safe to run twice at once. */
function backendFor(target: Target, ensureSchema = true): AgendaBackend {
  if (target.kind === 'postgres') {
    return new PostgresBackend({
      connectionString: target.url,
      tableName: PG_TABLE,
      disableNotifications: true,
      ensureSchema,
    });
  }
  return new KnexBackend({ url: target.url, notificationChannel: false });
}

function agendaFor(target: Target, name: string, ensureSchema = true): Agenda {
  return new Agenda({
    backend: backendFor(target, ensureSchema),
    name,
    processEvery: PROCESS_EVERY,
    maxConcurrency: CONCURRENCY,
    defaultConcurrency: CONCURRENCY,
  });
}

// ── worker process ───────────────────────────────────────────────────────────────────────────────

async function child(target: Target, name: string): Promise<void> {
  await runAgendaChild(agendaFor(target, name, false), JOB);
}

// ── throughput ───────────────────────────────────────────────────────────────────────────────────

/** Empties the jobs table of `target` and fills it with JOBS due jobs. */
async function prepare(target: Target): Promise<void> {
  const agenda = agendaFor(target, 'prepare');
  await agenda.ready;
  const repo = agenda.db;
  await repo.purgeAllJobs();
  const at = new Date(Date.now() - 1000);
  for (let i = 0; i < JOBS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, JOBS - i) }, () => agenda.create(JOB, {}).schedule(at).save()),
    );
  }
  await agenda.stop(true);
}

/** Runs JOBS jobs with `workers` processes; returns jobs per second. */
async function throughput(target: Target, workers: number): Promise<number> {
  await prepare(target);
  const self = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = [];
  for (let i = 0; i < workers; i++) {
    children.push(
      fork(self, ['--child', JSON.stringify(target), `w${i}`], {
        execArgv: ['--import', 'tsx', '--conditions=turtle-source'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }
  return timeAgendaChildren(children, JOBS, 120_000, target.kind);
}

// ── latency ──────────────────────────────────────────────────────────────────────────────────────

/** An executions service with one no-op background function, on a migrated `url`. */
async function noopExecutions(url: string) {
  const knex = openDatabase(url);
  await migrate(knex);
  await migrateAgendaTables(knex);
  const registry = createRegistry();
  registry.add(function noop() {
    return 1;
  });
  const manifest: Manifest = {
    version: 1,
    sources: {},
    functions: {
      noop: {
        name: 'noop',
        functionName: 'noop',
        mode: 'async',
        call: 'positional',
        params: { type: 'object', properties: {} },
        returns: {},
        source: 'bench.ts:1',
      },
    },
  };
  const executions = createExecutions({
    knex,
    functions: registry.bind(manifest, { manifestDir: process.cwd() }),
  });
  return { knex, executions };
}

/** A wall-clock time in ms with sub-millisecond resolution, comparable across processes of this machine. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Before a polled sample: a pause of a random part of the poll interval, so executions are created
 * at any moment of it, as requests come (one after another, each would wait a whole interval).
 */
const randomPhase = () => new Promise((resolve) => setTimeout(resolve, Math.random() * PROCESS_EVERY));

/** create→start latencies (ms) of `samples` background executions on one process's scheduler. */
async function latency(url: string, samples: number, notifications: boolean): Promise<number[]> {
  const { knex, executions } = await noopExecutions(url);
  const scheduler = createScheduler({
    knex,
    executions,
    notificationChannel: notifications ? 'memory' : false,
  });
  await scheduler.startWorker({ processEvery: PROCESS_EVERY, sweepEvery: 0, heartbeatTtlMs: 2_000 });
  const started = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const unsubscribe = executions.subscribe((event) => {
    if (event.kind === 'status' && event.to === 'running' && !started.has(event.executionId)) {
      started.set(event.executionId, performance.now());
      waiters.get(event.executionId)?.();
    }
  });
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (!notifications) await randomPhase();
    const t0 = performance.now();
    const execution = await executions.create('noop', {});
    const running = started.has(execution.id)
      ? Promise.resolve()
      : new Promise<void>((r) => waiters.set(execution.id, r));
    await scheduler.enqueue(execution);
    await running;
    out.push(started.get(execution.id)! - t0);
  }
  unsubscribe();
  await scheduler.stop(5_000);
  await knex.destroy();
  return out;
}

/** `database`: the channel the database itself carries (PostgreSQL's LISTEN/NOTIFY). */
type Channel = 'redis' | 'database' | 'none';
const channelFor = (url: string, channel: Channel) =>
  chooseNotificationChannel({
    databaseUrl: url,
    notify: channel !== 'none',
    redisUrl: channel === 'redis' ? REDIS_URL : undefined,
  });

/** The worker process of {@link crossLatency}: reports when each execution starts running, and when a notification arrives. */
async function latencyWorker(url: string, channel: Channel): Promise<void> {
  const { knex, executions } = await noopExecutions(url);
  executions.subscribe((event) => {
    if (event.kind === 'status' && event.to === 'running')
      process.send!({ started: event.executionId, at: now() });
  });
  const notificationChannel = channelFor(url, channel);
  if (typeof notificationChannel === 'object')
    notificationChannel.subscribe(() => {
      process.send!({ notified: now() });
    });
  const worker = await startWorker({
    knex,
    executions,
    notificationChannel,
    processEvery: PROCESS_EVERY,
    sweepEvery: 0,
    heartbeatTtlMs: 2_000,
  });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void worker
      .stop()
      .then(() => knex.destroy())
      .then(() => process.exit(0));
  });
  process.send!('ready');
}

/**
 * create→start latencies (ms): created and enqueued here, started by a worker in another process;
 * with a channel also `hops`: from the end of the enqueue to the notification's arrival in the worker.
 */
async function crossLatency(
  url: string,
  samples: number,
  channel: Channel,
): Promise<{ latencies: number[]; hops: number[] }> {
  const { knex, executions } = await noopExecutions(url);
  const scheduler = createScheduler({ knex, executions, notificationChannel: channelFor(url, channel) });
  await scheduler.ready;
  const child = fork(fileURLToPath(import.meta.url), ['--latency-worker', url, channel], {
    execArgv: ['--import', 'tsx', '--conditions=turtle-source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const started = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  let notified: ((at: number) => void) | undefined;
  child.on('message', (m: { started?: string; at?: number; notified?: number }) => {
    if (typeof m === 'object' && m.notified) notified?.(m.notified);
    if (typeof m !== 'object' || !m.started || started.has(m.started)) return;
    started.set(m.started, m.at!);
    waiters.get(m.started)?.();
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(JSON.stringify(m)))));
    child.once('exit', (code) => reject(new Error(`latency worker exited ${code}`)));
  });
  const latencies: number[] = [];
  const hops: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (channel === 'none') await randomPhase();
    const t0 = now();
    const execution = await executions.create('noop', {});
    const running = new Promise<void>((r) => {
      if (started.has(execution.id)) r();
      else waiters.set(execution.id, r);
    });
    // The first notification after this sample's save is its own (the worker's refills stay in its process).
    const arrived = new Promise<number>((r) => {
      notified = r;
    });
    await scheduler.enqueue(execution);
    const enqueued = now();
    await running;
    latencies.push(started.get(execution.id)! - t0);
    if (channel !== 'none') hops.push((await arrived) - enqueued);
  }
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.send('stop');
  });
  await scheduler.stop(5_000);
  await knex.destroy();
  return { latencies, hops };
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-bench-'));
  const mysqlUrl = await freshMysql('turtle_bench_scheduler');
  const targets: Record<string, Target> = {
    'postgres-backend (baseline)': { kind: 'postgres', url: POSTGRES_URL },
    'knex sqlite': { kind: 'sqlite', url: `sqlite:${path.join(dir, 'bench.sqlite')}` },
    'knex mariadb': { kind: 'mysql', url: mysqlUrl },
  };
  if (PARTS.has('throughput')) await throughputs(targets);
  if (PARTS.has('latency')) await oneProcessLatencies(dir);
  if (PARTS.has('cross')) await crossProcessLatencies(dir);

  const cleanup = openDatabase(MARIADB_URL);
  await cleanup.raw('DROP DATABASE IF EXISTS `turtle_bench_scheduler`');
  await cleanup.raw('DROP DATABASE IF EXISTS `turtle_bench_latency`');
  await cleanup.raw('DROP DATABASE IF EXISTS `turtle_bench_cross`');
  await cleanup.destroy();
  const pg = agendaFor(targets['postgres-backend (baseline)']!, 'cleanup');
  await pg.ready;
  await pg.db.purgeAllJobs();
  await pg.stop(true);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function throughputs(targets: Record<string, Target>): Promise<void> {
  console.log(
    `Agenda no-op jobs/s: ${JOBS} jobs, concurrency ${CONCURRENCY}, processEvery ${PROCESS_EVERY} ms, lockLimit 0, notifications off; median of ${REPS}`,
  );
  const results: Record<string, number> = {};
  for (const workers of [1, 2]) {
    for (const [label, target] of Object.entries(targets)) {
      const runs: number[] = [];
      for (let r = 0; r < REPS; r++) runs.push(await throughput(target, workers));
      results[`${label} x${workers}`] = median(runs);
    }
    const base = results[`postgres-backend (baseline) x${workers}`]!;
    for (const label of Object.keys(targets)) {
      const v = results[`${label} x${workers}`]!;
      console.log(
        `  ${workers} worker${workers > 1 ? 's' : ' '}  ${label.padEnd(28)} ${v.toFixed(0).padStart(6)} jobs/s  ${(v / base).toFixed(2)}x`,
      );
    }
  }
}

function latencyLine(label: string, notified: number[], channel: string, polled: number[]): string {
  return (
    `  ${label.padEnd(8)} ${channel}: p50 ${median(notified).toFixed(1)} ms, p95 ${quantile(notified, 0.95).toFixed(1)} ms` +
    `   | baseline polling every ${PROCESS_EVERY} ms: p50 ${median(polled).toFixed(1)} ms, p95 ${quantile(polled, 0.95).toFixed(1)} ms` +
    `   (${(median(polled) / median(notified)).toFixed(0)}x faster)`
  );
}

async function oneProcessLatencies(dir: string): Promise<void> {
  console.log('\ncreate→start latency of a background execution, one process (API + worker)');
  for (const [label, url] of [
    ['sqlite', `sqlite:${path.join(dir, 'latency.sqlite')}`],
    ['mariadb', await freshMysql('turtle_bench_latency')],
  ] as const) {
    const polled = await latency(url, 20, false);
    const notified = await latency(url, SAMPLES, true);
    console.log(latencyLine(label, notified, 'in-process notification', polled));
  }
}

async function crossProcessLatencies(dir: string): Promise<void> {
  console.log(
    '\ncreate→start latency of a background execution, across processes (API here, worker in a child process)',
  );
  const postgres = await createBenchDatabase(POSTGRES_URL, 'cross');
  const databases = [
    ['sqlite', `sqlite:${path.join(dir, 'cross.sqlite')}`],
    ['mariadb', await freshMysql('turtle_bench_cross')],
    ['postgres', postgres.url],
  ] as const;
  try {
    for (const [label, url] of databases) {
      const polled = await crossLatency(url, 20, 'none');
      const channels: Array<[Channel, string]> = [
        ['redis', 'Redis notification'],
        ...(label === 'postgres' ? [['database', 'LISTEN/NOTIFY'] as [Channel, string]] : []),
      ];
      for (const [channel, name] of channels) {
        const notified = await crossLatency(url, SAMPLES, channel);
        console.log(
          `${latencyLine(label, notified.latencies, name, polled.latencies)}` +
            `   [of which enqueued → notified in the worker: p50 ${median(notified.hops).toFixed(1)} ms]`,
        );
      }
    }
  } finally {
    await postgres.destroy();
  }
}

if (process.argv[2] === '--child') await child(JSON.parse(process.argv[3]!) as Target, process.argv[4]!);
else if (process.argv[2] === '--latency-worker')
  await latencyWorker(process.argv[3]!, process.argv[4] as Channel);
else
  await main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
