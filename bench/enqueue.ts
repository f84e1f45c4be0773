/**
 * Enqueue benchmark: unique jobs saved per second through the Knex backend's repository (what every
 * background execution costs: one `saveUnique` of a new `{ executionId }` job), with an empty jobs
 * table next to one holding 10,000 pending jobs of the same name (the baseline is the empty table,
 * in the same run). Target: the 10,000-pending figure within 1.25x of the empty one.
 *
 * Run: node --import tsx --conditions=turtle-source bench/enqueue.ts
 * Env: BENCH_SAVES (default 2000), BENCH_PENDING (default 10000), BENCH_REPS (default 3),
 *      MARIADB_URL (default mysql://root@127.0.0.1:3306).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobParameters } from 'agenda';
import { openDatabase } from '../server/storage/database.js';
import { KnexJobRepository } from '../server/scheduler/knex-backend/index.js';

const SAVES = Number(process.env.BENCH_SAVES ?? 2000);
const PENDING = Number(process.env.BENCH_PENDING ?? 10_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const MARIADB_URL = (process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const JOB = 'turtle-shell.advance';
/** Concurrent savers, as concurrent requests would be. */
const CLIENTS = 10;

function uniqueJob(): JobParameters {
  const executionId = randomUUID();
  return {
    name: JOB,
    priority: 0,
    type: 'normal',
    nextRunAt: new Date(),
    data: { executionId },
    unique: { 'data.executionId': executionId },
  };
}

/** Runs `task` `count` times, CLIENTS at a time. */
async function inParallel(count: number, task: () => Promise<unknown>): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (left-- > 0) await task();
    }),
  );
}

/** Unique saves per second with `pending` jobs of the same name already waiting. */
async function savesPerSecond(repo: KnexJobRepository, pending: number): Promise<number> {
  await repo.purgeAllJobs();
  // Pending jobs are due later, as a backlog waiting for workers is.
  const later = new Date(Date.now() + 3_600_000);
  await inParallel(pending, () => repo.saveJob({ ...uniqueJob(), nextRunAt: later }, undefined));
  const t0 = performance.now();
  await inParallel(SAVES, () => repo.saveJob(uniqueJob(), undefined));
  return SAVES / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-bench-enqueue-'));
  const admin = openDatabase(MARIADB_URL);
  await admin.raw('DROP DATABASE IF EXISTS `turtle_bench_enqueue`');
  await admin.raw('CREATE DATABASE `turtle_bench_enqueue` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  console.log(
    `Unique job saves/s (saveUnique), ${SAVES} saves by ${CLIENTS} concurrent savers; median of ${REPS}`,
  );
  for (const [label, url] of [
    ['sqlite', `sqlite:${path.join(dir, 'enqueue.sqlite')}`],
    ['mariadb', `${MARIADB_URL}/turtle_bench_enqueue`],
  ] as const) {
    const knex = openDatabase(url);
    const repo = new KnexJobRepository({ knex });
    await repo.connect();
    const empty: number[] = [];
    const full: number[] = [];
    for (let r = 0; r < REPS; r++) {
      empty.push(await savesPerSecond(repo, 0));
      full.push(await savesPerSecond(repo, PENDING));
    }
    const [e, f] = [median(empty), median(full)];
    console.log(
      `  ${label.padEnd(8)} empty (baseline) ${e.toFixed(0).padStart(6)}/s   ${PENDING} pending ${f.toFixed(0).padStart(6)}/s   empty/pending ${(e / f).toFixed(2)}x (target <= 1.25x)`,
    );
    await knex.destroy();
  }
  await admin.raw('DROP DATABASE IF EXISTS `turtle_bench_enqueue`');
  await admin.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
