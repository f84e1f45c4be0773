/**
 * End to end, with the real CLI: BENCH_EXECUTIONS background executions (default 2,000) posted over
 * HTTP by BENCH_CLIENTS clients (default 20) to `turtle serve --no-worker` while 1, then 2, `turtle
 * worker` processes run them (the no-op `backgroundNoop` of `bench/fixtures/functions.ts`). Figure:
 * executions done per second, from the first post to the last `finished_at`.
 *
 * Baseline, same run, same machine: Agenda with its official PostgreSQL backend
 * (`@agendajs/postgres-backend`) on PostgreSQL 127.0.0.1:5432, as many no-op jobs saved due beforehand
 * and run by as many worker processes, timed from the start signal to the last completion. Both sides
 * run BENCH_CONCURRENCY jobs at once per worker (default 10) and poll every 1 s (`TURTLE_POLL_MS`,
 * Agenda's `processEvery`). Target: ≥ 1.0× on each database.
 *
 * Every round starts from a fresh database and fresh processes (their start-up is not timed); medians
 * of BENCH_ROUNDS rounds (default 1, to stay near 3 minutes; 3 for a report), interleaved so load from
 * elsewhere hits both alike.
 *
 * Run: node --import tsx --conditions=turtle-source bench/executions.ts [--db sqlite,mysql,postgres]
 * Databases: `--db`, else `DATABASE_URL`, else SQLite, MariaDB and PostgreSQL on this machine (see
 * `bench/support/bench-databases.ts`); one this turtle-shell cannot open is reported and skipped.
 * Env: BENCH_EXECUTIONS, BENCH_CLIENTS, BENCH_CONCURRENCY, BENCH_ROUNDS, BENCH_WORKERS (default "1,2"),
 *      POSTGRES_URL (the baseline's server, default postgres://postgres@127.0.0.1:5432/turtle_bench).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agenda } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { EXECUTIONS_TABLE, openDatabase } from 'turtle-shell/server';
import { benchTargets, createBenchDatabase, labelOf, type BenchDatabase } from './support/bench-databases.js';
import { ROOT, startTurtle, type TurtleProcess } from './support/turtle-process.js';
import { runAgendaChild } from './support/agenda-child.js';
import { timeAgendaChildren } from './support/agenda-children.js';

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 2000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/turtle_bench';
const POLL_MS = 1000;
/** A run that has not finished after this long has failed. */
const TIMEOUT_MS = 180_000;
const FUNCTIONS = [
  '--functions',
  'bench/fixtures/functions.ts',
  '--manifest',
  'bench/fixtures/turtle.schema.json',
];
const TERMINAL = ['done', 'errored', 'cancelled'];
const AGENDA_JOB = 'noop';

// ── turtle ───────────────────────────────────────────────────────────────────────────────────────

/** The manifest is what `turtle schema` writes for the fixture; stop if it is stale. */
async function checkManifest(): Promise<void> {
  const check = startTurtle(
    ['schema', 'bench/fixtures/functions.ts', '--out', 'bench/fixtures/turtle.schema.json', '--check'],
    {},
    /is up to date/,
  );
  await check.ready.catch(() => {
    throw new Error(
      `bench/fixtures/turtle.schema.json is stale; run: node --import tsx --conditions=turtle-source cli/turtle.ts schema bench/fixtures/functions.ts --out bench/fixtures/turtle.schema.json\n${check.output}`,
    );
  });
  await check.stop();
}

/** Posts EXECUTIONS background runs from CLIENTS clients; resolves with when the last was answered. */
async function post(url: string): Promise<number> {
  let left = EXECUTIONS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (left-- > 0) {
        const response = await fetch(`${url}/api/functions/backgroundNoop/executions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        const body = await response.text();
        if (response.status !== 202) throw new Error(`POST answered ${response.status}: ${body}`);
      }
    }),
  );
  return Date.now();
}

/** A stored time as epoch ms (epoch ms on SQLite, a Date for DATETIME / timestamp columns). */
function epochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

/** One round on a fresh database: returns executions done per second, and creates answered per second. */
async function turtleRound(target: string, workers: number): Promise<{ done: number; posted: number }> {
  const db = await createBenchDatabase(target, 'bench_e2e');
  const env = {
    DATABASE_URL: db.url,
    TURTLE_CONCURRENCY: String(CONCURRENCY),
    TURTLE_POLL_MS: String(POLL_MS),
    LOG_LEVEL: 'info',
  };
  const processes: TurtleProcess[] = [];
  const knex = openDatabase(db.url);
  try {
    const serve = startTurtle(
      ['serve', '--no-worker', '--port', '0', ...FUNCTIONS],
      env,
      /turtle-shell listening on (http:\/\/\S+)/,
    );
    processes.push(serve);
    const url = (await serve.ready)[1]!;
    // Started once serve has migrated the database, so they do not migrate at the same time.
    for (let i = 0; i < workers; i++)
      processes.push(startTurtle(['worker', ...FUNCTIONS], env, /turtle worker \S+ running/));
    await Promise.all(processes.map((p) => p.ready));
    const t0 = Date.now();
    const lastPost = await post(url);
    const deadline = t0 + TIMEOUT_MS;
    for (;;) {
      const row = await knex(EXECUTIONS_TABLE).whereIn('status', TERMINAL).count({ n: '*' }).first();
      if (Number(row?.n) >= EXECUTIONS) break;
      if (Date.now() > deadline)
        throw new Error(
          `${labelOf(target)}: ${Number(row?.n)} of ${EXECUTIONS} executions finished in ${TIMEOUT_MS / 1000} s`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const outcome: Array<{ status: string; n: number | string; last: unknown }> = await knex(EXECUTIONS_TABLE)
      .select('status')
      .count({ n: '*' })
      .max({ last: 'finished_at' })
      .groupBy('status');
    if (outcome.length !== 1 || outcome[0]!.status !== 'done')
      throw new Error(`${labelOf(target)}: not all done: ${JSON.stringify(outcome)}`);
    const last = epochMs(outcome[0]!.last);
    return { done: EXECUTIONS / ((last - t0) / 1000), posted: EXECUTIONS / ((lastPost - t0) / 1000) };
  } catch (err) {
    for (const p of processes)
      console.error(`--- ${p.child.spawnargs.slice(4, 5).join(' ')} output ---\n${p.output}`);
    throw err;
  } finally {
    await knex.destroy();
    await Promise.all(processes.map((p) => p.stop()));
    await db.destroy();
  }
}

// ── Agenda's PostgreSQL backend (the baseline) ──────────────────────────────────────────────────

/** `ensureSchema` only in the parent: the backend's schema set-up is not safe to run twice at once. */
function agendaFor(
  url: string,
  name: string,
  ensureSchema: boolean,
): { agenda: Agenda; backend: PostgresBackend } {
  const backend = new PostgresBackend({ connectionString: url, disableNotifications: true, ensureSchema });
  const agenda = new Agenda({
    backend,
    name,
    processEvery: POLL_MS,
    maxConcurrency: CONCURRENCY,
    defaultConcurrency: CONCURRENCY,
  });
  return { agenda, backend };
}

/** A worker process of the baseline: runs no-op jobs once told to start, reports completions. */
async function agendaChild(url: string, name: string): Promise<void> {
  await runAgendaChild(agendaFor(url, name, false).agenda, AGENDA_JOB);
}

/** One round of the baseline on `db` (emptied first): returns jobs done per second. */
async function agendaRound(db: BenchDatabase, workers: number): Promise<number> {
  const { agenda, backend } = agendaFor(db.url, 'prepare', true);
  await agenda.ready;
  await backend.repository.purgeAllJobs();
  const due = new Date(Date.now() - 1000);
  for (let i = 0; i < EXECUTIONS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, EXECUTIONS - i) }, () =>
        agenda.create(AGENDA_JOB, {}).schedule(due).save(),
      ),
    );
  }
  // Not `agenda.stop(true)`: an Agenda that never started returns without closing its backend, whose
  // idle connections then die with an unhandled error when the database is dropped.
  await backend.disconnect();

  const children: ChildProcess[] = [];
  for (let i = 0; i < workers; i++) {
    children.push(
      fork(fileURLToPath(import.meta.url), ['--agenda-child', db.url, `w${i}`], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx', '--conditions=turtle-source'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }
  return timeAgendaChildren(children, EXECUTIONS, TIMEOUT_MS, 'agenda');
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Whether this turtle-shell can open `target`'s kind of database (PostgreSQL lands separately). */
async function supported(target: string): Promise<boolean> {
  const db = await createBenchDatabase(target, 'bench_e2e_probe');
  try {
    await openDatabase(db.url).destroy();
    return true;
  } catch (err) {
    console.log(
      `  ${labelOf(target).padEnd(9)} skipped: this turtle-shell does not open ${labelOf(target)} URLs (${(err as Error).name})`,
    );
    return false;
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  console.log(
    `End to end: ${EXECUTIONS} background executions posted by ${CLIENTS} clients to \`turtle serve --no-worker\` while \`turtle worker\` processes run them; ` +
      `concurrency ${CONCURRENCY} per worker, polling every ${POLL_MS} ms; medians of ${ROUNDS} rounds.`,
  );
  console.log(
    `Baseline: Agenda + @agendajs/postgres-backend, ${EXECUTIONS} no-op jobs saved due beforehand, timed from the start signal.`,
  );
  await checkManifest();
  const targets: string[] = [];
  for (const target of benchTargets(process.argv.slice(2))) if (await supported(target)) targets.push(target);
  const agendaDb = await createBenchDatabase(POSTGRES_URL, 'bench_e2e_agenda');
  try {
    for (const workers of WORKERS) {
      const baseline: number[] = [];
      const done = new Map<string, number[]>(targets.map((t) => [t, []]));
      const posted = new Map<string, number[]>(targets.map((t) => [t, []]));
      for (let round = 0; round < ROUNDS; round++) {
        baseline.push(await agendaRound(agendaDb, workers));
        for (const target of targets) {
          const figures = await turtleRound(target, workers);
          done.get(target)!.push(figures.done);
          posted.get(target)!.push(figures.posted);
        }
      }
      const base = median(baseline);
      const plural = workers === 1 ? 'worker ' : 'workers';
      console.log(
        `  ${workers} ${plural}  agenda postgres-backend (baseline) ${base.toFixed(0).padStart(6)} jobs/s`,
      );
      for (const target of targets) {
        const d = median(done.get(target)!);
        // Rounded down, so that a ratio shown as 1.00 meets the target.
        console.log(
          `  ${workers} ${plural}  turtle ${labelOf(target).padEnd(28)} ${d.toFixed(0).padStart(6)} executions/s  ` +
            `${(Math.floor((d / base) * 100) / 100).toFixed(2)}x${d / base >= 1 ? '' : '  (misses the ≥ 1.0 target)'}   (posted at ${median(posted.get(target)!).toFixed(0)}/s)`,
        );
      }
    }
  } finally {
    await agendaDb.destroy();
  }
}

if (process.argv[2] === '--agenda-child') await agendaChild(process.argv[3]!, process.argv[4]!);
else
  await main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
