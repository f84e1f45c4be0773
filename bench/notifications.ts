/**
 * In-process notifications, in one run, on SQLite and on MariaDB:
 * 1. a burst: 250 `agenda.now()` jobs over 10 names (saved name after name, all at once), `lockLimit`
 *    150, per-definition `lockLimit` 20 and `concurrency` 10, jobs that run until released: the time
 *    until 90 run at once, through turtle's channel (`KnexBackend`'s default: fair delivery), through
 *    Agenda's plain in-process channel (before: the names saved last starve), and polling only every
 *    second (the baseline the issue names: "at least 90 running within 2.5 s, as with polling only");
 * 2. a lone job: `agenda.now()` → its start (ms), through turtle's channel, through Agenda's plain one
 *    (fair delivery must add no latency) and polling only.
 *
 * Run: node --import tsx --conditions=turtle-source bench/notifications.ts
 * Env: BENCH_REPS (bursts per variant, default 3), BENCH_SAMPLES (lone jobs per variant, default 50),
 *      BENCH_LONE_ONLY=1 (skip the bursts), MARIADB_URL (default mysql://root@127.0.0.1:3306).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agenda, InMemoryNotificationChannel } from 'agenda';
import type { Knex } from 'knex';
import { openDatabase } from '../server/storage/database.js';
import { freshMysql, MARIADB_URL } from './support/fresh-mysql.js';
import { median, quantile } from './support/stats.js';
import { KnexBackend } from '../server/scheduler/knex-backend/index.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 50);
const NAMES = Array.from({ length: 10 }, (_, i) => `burst-${i}`);
const PER_NAME = 25;
const TARGET = 90;
/** A burst that has not reached TARGET by then is reported as starved. */
const GIVE_UP_MS = 10_000;
const POLL_MS = 1000;

type Variant = 'turtle channel (fair)' | 'plain in-process channel (before)' | 'polling only (baseline)';
const VARIANTS: Variant[] = [
  'turtle channel (fair)',
  'plain in-process channel (before)',
  'polling only (baseline)',
];

interface Run {
  agenda: Agenda;
  knex: Knex;
}

/**
 * An Agenda for `variant` on the jobs table of `url` (emptied unless `keepTable`) with a job per
 * name of `names` that calls `onStart` and runs until `released`.
 */
async function agendaFor(
  url: string,
  variant: Variant,
  names: string[],
  released: Promise<void>,
  onStart: () => void,
  keepTable = false,
): Promise<Run> {
  const knex = openDatabase(url);
  if (!keepTable) await knex.schema.dropTableIfExists('turtle_agenda_jobs');
  const backend = new KnexBackend({
    knex,
    notificationChannel: variant === 'polling only (baseline)' ? false : 'memory',
  });
  const agenda = new Agenda({
    backend,
    processEvery: POLL_MS,
    maxConcurrency: 150,
    defaultConcurrency: 10,
    lockLimit: 150,
    // Agenda's own option, which takes precedence over the backend's channel: the channel unwrapped.
    ...(variant === 'plain in-process channel (before)' && {
      notificationChannel: new InMemoryNotificationChannel(),
    }),
  });
  for (const name of names)
    agenda.define(
      name,
      async () => {
        onStart();
        await released;
      },
      { lockLimit: 20 },
    );
  await agenda.start();
  return { agenda, knex };
}

/** Waits for the runs (and Agenda's writes after them) to end, then closes the database. */
async function close({ agenda, knex }: Run): Promise<void> {
  await agenda.drain();
  await knex.destroy();
}

/** ms from the first save until TARGET run at once, or undefined (and how many ran) when never within GIVE_UP_MS. */
async function burst(url: string, variant: Variant): Promise<{ ms?: number; most: number }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let running = 0;
  let reached!: (at: number) => void;
  const target = new Promise<number>((resolve) => {
    reached = resolve;
  });
  const run = await agendaFor(url, variant, NAMES, released, () => {
    if (++running === TARGET) reached(performance.now());
  });
  const { agenda } = run;
  const t0 = performance.now();
  await Promise.all(NAMES.flatMap((name) => Array.from({ length: PER_NAME }, () => agenda.now(name))));
  let timer: NodeJS.Timeout | undefined;
  const at = await Promise.race([
    target,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), GIVE_UP_MS);
    }),
  ]);
  clearTimeout(timer);
  const most = running;
  release();
  await close(run);
  return { ms: at === undefined ? undefined : at - t0, most };
}

/**
 * ms from `agenda.now()` to the job's start, one job at a time, per variant: the three Agendas run
 * side by side on one table (each its own job names) and take turns, so load on the machine weighs
 * on each alike. Polling takes a second a job, so it gets a tenth of the samples.
 */
async function lone(url: string, samples: number): Promise<Map<Variant, number[]>> {
  let started: (() => void) | undefined;
  const runs = new Map<Variant, Run>();
  for (const [i, variant] of VARIANTS.entries()) {
    runs.set(
      variant,
      await agendaFor(url, variant, [`lone-${i}`], Promise.resolve(), () => started?.(), i > 0),
    );
  }
  const out = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  for (let s = 0; s < samples; s++) {
    for (const [i, variant] of VARIANTS.entries()) {
      if (variant === 'polling only (baseline)') {
        if (s % 10 !== 0) continue;
        // At a random moment of the poll interval, as a save would come (one after another, each would wait a whole interval).
        await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_MS));
      }
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      const t0 = performance.now();
      await runs.get(variant)!.agenda.now(`lone-${i}`);
      await running;
      out.get(variant)!.push(performance.now() - t0);
    }
  }
  for (const run of runs.values()) await close(run);
  return out;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-bench-'));
  const databases = [
    ['sqlite', `sqlite:${path.join(dir, 'notify.sqlite')}`],
    ['mariadb', await freshMysql('turtle_bench_notify')],
  ] as const;
  console.log(
    `burst: ${NAMES.length * PER_NAME} agenda.now() over ${NAMES.length} names, lockLimit 150, per name lockLimit 20 / concurrency 10;` +
      ` ms until ${TARGET} run at once (median of ${REPS}; polling every ${POLL_MS} ms)`,
  );
  for (const [label, url] of process.env.BENCH_LONE_ONLY ? [] : databases) {
    const line: string[] = [];
    const medians: Partial<Record<Variant, number>> = {};
    for (const variant of VARIANTS) {
      const runs = [];
      for (let r = 0; r < REPS; r++) runs.push(await burst(url, variant));
      const reached = runs.filter((r) => r.ms !== undefined).map((r) => r.ms!);
      if (reached.length > REPS / 2) {
        medians[variant] = median(runs.map((r) => r.ms ?? Infinity));
        line.push(`${variant}: ${medians[variant].toFixed(0)} ms`);
      } else {
        line.push(
          `${variant}: starved (at most ${Math.max(...runs.map((r) => r.most))} ran within ${GIVE_UP_MS / 1000} s)`,
        );
      }
    }
    const fair = medians['turtle channel (fair)'];
    const base = medians['polling only (baseline)'];
    const ratio =
      fair !== undefined && base !== undefined ? `   fair/polling ${(fair / base).toFixed(2)}x` : '';
    console.log(`  ${label.padEnd(8)} ${line.join(' | ')}${ratio}`);
  }

  console.log(
    `\nlone job: agenda.now() → start, one after another, variants taking turns: ${SAMPLES} each, polling ${Math.ceil(SAMPLES / 10)} (p50 / p95 ms)`,
  );
  for (const [label, url] of databases) {
    const results = await lone(url, SAMPLES);
    const show = (v: Variant) =>
      `${v}: ${median(results.get(v)!).toFixed(1)} / ${quantile(results.get(v)!, 0.95).toFixed(1)}`;
    const ratio =
      median(results.get('turtle channel (fair)')!) /
      median(results.get('plain in-process channel (before)')!);
    console.log(`  ${label.padEnd(8)} ${VARIANTS.map(show).join(' | ')}   fair/before ${ratio.toFixed(2)}x`);
  }

  const cleanup = openDatabase(MARIADB_URL);
  await cleanup.raw('DROP DATABASE IF EXISTS `turtle_bench_notify`');
  await cleanup.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
