/**
 * Real `turtle worker` processes over a fresh database, for the process-level scheduler tests: the
 * database (executions, Agenda's tables and a table where the fixture functions record each run with
 * the pid that ran it), an executions service and scheduler on the test's side (the API's part), and
 * workers started as child processes from source.
 */
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Knex } from 'knex';
import { createRegistry } from '../../../../server/registry/registry.js';
import { loadManifest } from '../../../../server/registry/load-manifest.js';
import { createExecutions, type Executions } from '../../../../server/executions/index.js';
import { createScheduler, migrateAgendaTables, type Scheduler } from '../../../../server/scheduler/index.js';
import { migrate } from '../../../../server/storage/migrate.js';
import type { DatabaseKind } from '../../../../server/storage/database.js';
import { createTestDatabase, type TestDatabase } from '../../../support/databases.js';
import { ROOT, spawnTurtle } from '../../../support/cli.js';

const FIXTURES = path.join(ROOT, 'test/server/scheduler/fixtures');
/** Where the fixture functions record each run: `execution_id`, `pid`. */
export const EFFECTS = 'turtle_test_effects';
/** How long a worker may take to start from source on a loaded 2-core machine. */
const START_LIMIT_MS = 60_000;

/** A started worker process and everything it printed so far. */
export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
}

/** The database, the API's side and the worker processes of one test file. */
export interface WorkerFleet {
  db: TestDatabase;
  knex: Knex;
  executions: Executions;
  /** The API's scheduler: enqueues, runs no functions. */
  api: Scheduler;
  /** Starts `turtle worker` with `env` on top of `baseEnv`; resolves once it says it runs. */
  worker: (env?: Record<string, string>, args?: string[]) => Promise<WorkerProcess>;
  /** Kills every worker still running and drops the database. */
  close(): Promise<void>;
}

/** Creates the database and the API's side; `baseEnv` is given to every worker. */
export async function startWorkerFleet(
  kind: DatabaseKind,
  label: string,
  baseEnv: Record<string, string>,
): Promise<WorkerFleet> {
  const db = await createTestDatabase(kind, label);
  const knex = db.knex;
  await migrate(knex);
  await migrateAgendaTables(knex);
  await knex.schema.createTable(EFFECTS, (t) => {
    t.increments('id');
    t.string('execution_id', 36).notNullable().index();
    t.integer('pid').notNullable();
  });
  // The API's side: validation only, the functions run in the workers.
  const registry = createRegistry();
  registry.add(function record(n: number) {
    return n;
  });
  registry.add(function stall() {
    return '';
  });
  const { manifest, manifestDir } = await loadManifest(path.join(FIXTURES, 'turtle.schema.json'));
  const executions = createExecutions({ knex, functions: registry.bind(manifest, { manifestDir }) });
  const api = createScheduler({ knex, executions });
  const children = new Set<ChildProcess>();

  async function worker(env: Record<string, string> = {}, args: string[] = []): Promise<WorkerProcess> {
    const child = spawnTurtle(
      [
        'worker',
        '--functions',
        path.join(FIXTURES, 'functions.ts'),
        '--manifest',
        path.join(FIXTURES, 'turtle.schema.json'),
        ...args,
      ],
      {
        env: { ...process.env, DATABASE_URL: db.url, ...baseEnv, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    let output = '';
    child.stderr!.on('data', (d) => {
      output += d;
    });
    child.stdout!.on('data', (d) => {
      output += d;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker did not start within ${START_LIMIT_MS / 1000} s: ${output}`)),
        START_LIMIT_MS,
      );
      const onData = () => {
        if (!output.includes('running')) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`worker exited ${code}: ${output}`));
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
    return { child, output: () => output };
  }

  return {
    db,
    knex,
    executions,
    api,
    worker,
    async close() {
      for (const child of children) child.kill('SIGKILL');
      await db.destroy();
    },
  };
}

/**
 * Looks at the database until `condition` holds, at most `ms`: the other processes write, the test
 * reads again every 100 ms, bounded by the deadline.
 */
export async function until(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
