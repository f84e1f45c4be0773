/**
 * `turtle serve` and `turtle migrate` as real processes: migrating, a start-up error that says what to
 * do, serving a functions module with its in-process worker, and a graceful SIGTERM that lets an
 * in-flight request and a running background execution finish, then exits 0.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runTurtle, spawnTurtle, ROOT } from '../../support/cli.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

const FIXTURES = path.join(ROOT, 'test/server/http/fixtures');
const FUNCTIONS = path.join(FIXTURES, 'serve-functions.ts');
const MANIFEST = path.join(FIXTURES, 'serve-functions.schema.json');

/** Resolves with the process's exit code, or rejects after `timeoutMs`. */
function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Resolves with the URL printed by `turtle serve`, or rejects with its output. */
function listening(child: ChildProcess, output: { text: string }, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not listening within ${timeoutMs} ms:\n${output.text}`)),
      timeoutMs,
    );
    const check = (): void => {
      const match = /turtle-shell listening on (http:\/\/\S+)/.exec(output.text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', (d) => {
      output.text += d;
      check();
    });
    child.stderr!.on('data', (d) => {
      output.text += d;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output.text}`));
    });
  });
}

async function waitForStatus(
  url: string,
  id: string,
  statuses: string[],
  timeoutMs = 15_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = (await (await fetch(`${url}/api/executions/${id}`)).json()) as Record<string, unknown>;
    if (statuses.includes(execution.status as string)) return execution;
    if (Date.now() > deadline)
      throw new Error(`execution ${id} is ${String(execution.status)}, not ${statuses.join('/')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`turtle migrate on ${kind}`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase(kind, 'cli_migrate');
    });
    after(() => db.destroy());

    test('creates the turtle_ tables, and a second run finds nothing to do', async () => {
      const env = { ...process.env, DATABASE_URL: db.url };
      const first = await runTurtle(['migrate'], { env });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /applied/);
      assert.ok(await db.knex.schema.hasTable('turtle_executions'));
      const second = await runTurtle(['migrate'], { env });
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /already up to date/);
    });
  });
}

describe('turtle serve', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('sqlite', 'cli_serve');
  });
  after(() => db.destroy());

  test('a missing manifest stops start-up with exit 1, naming the file and `turtle schema`', async () => {
    const res = await runTurtle(
      ['serve', '--functions', FUNCTIONS, '--manifest', path.join(FIXTURES, 'missing.json'), '--port', '0'],
      {
        env: { ...process.env, DATABASE_URL: db.url },
      },
    );
    assert.equal(res.code, 1);
    assert.match(res.stderr, /missing\.json/);
    assert.match(res.stderr, /turtle schema/);
  });

  test('serves the module, runs background work in-process, and on SIGTERM finishes in-flight work and exits 0', async () => {
    const child = spawnTurtle(['serve', '--functions', FUNCTIONS, '--manifest', MANIFEST, '--port', '0'], {
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', TURTLE_SHUTDOWN_GRACE_MS: '10000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { text: '' };
    try {
      const url = await listening(child, output);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);

      const job = (await (
        await fetch(`${url}/api/functions/slowJob/executions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ms: 50 }),
        })
      ).json()) as { id: string };
      assert.equal(
        (await waitForStatus(url, job.id, ['done', 'errored'])).status,
        'done',
        'the in-process worker ran it',
      );

      // Work in flight when SIGTERM arrives: a background execution and a sync request.
      const running = (await (
        await fetch(`${url}/api/functions/slowJob/executions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ms: 1500 }),
        })
      ).json()) as { id: string };
      await waitForStatus(url, running.id, ['running']);
      const inFlight = fetch(`${url}/api/functions/slowSync/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ms: 1000 }),
      });
      const deadline = Date.now() + 10_000;
      const started = async () =>
        ((await (await fetch(`${url}/api/executions?function=slowSync`)).json()) as { items: unknown[] })
          .items.length > 0;
      while (!(await started())) {
        if (Date.now() > deadline) throw new Error('the sync request never started');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGTERM');
      const response = await inFlight;
      assert.equal(response.status, 201);
      assert.equal(((await response.json()) as { output: string }).output, 'slept');
      assert.equal(await exited(child, 15_000), 0, output.text);
      await assert.rejects(fetch(`${url}/healthz`), 'no longer accepting connections');
      const { createExecutions } = await import('../../../server/executions/index.js');
      const { registry } = await import('../../../server/registry/index.js');
      const store = createExecutions({
        knex: db.knex,
        functions: registry.bind({ version: 1, sources: {}, functions: {} }, { manifestDir: '.' }),
      });
      assert.equal(
        (await store.get(running.id)).status,
        'done',
        'the running execution finished within the grace period',
      );
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
