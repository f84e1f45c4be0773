/**
 * Durable by default, at the process level: `turtle serve` killed with SIGKILL while a function runs in
 * the request (after it has started, so it may already have had an effect elsewhere) leaves that run
 * on record as running; the next process takes it over once its heartbeat is stale, as for a worker.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawnTurtle, ROOT } from '../../support/cli.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';

const FIXTURES = path.join(ROOT, 'test/server/http/fixtures');
const FUNCTIONS = path.join(FIXTURES, 'durable-functions.ts');
const MANIFEST = path.join(FIXTURES, 'durable-functions.schema.json');

/** Starts `turtle serve` and resolves with its URL once it listens. */
function serve(
  db: TestDatabase,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnTurtle(['serve', '--functions', FUNCTIONS, '--manifest', MANIFEST, '--port', '0'], {
    env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 30 s:\n${output}`)), 30_000);
    child.stdout!.on('data', (d) => {
      output += d;
      const match = /turtle-shell listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on('data', (d) => {
      output += d;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

/** Looks again until `condition` holds (another process writes), at most `ms`. */
async function until(condition: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`turtle serve killed with SIGKILL during a run in the request, on ${kind}`, () => {
    let db: TestDatabase;
    let dir: string;
    const children = new Set<ChildProcess>();

    before(async () => {
      db = await createTestDatabase(kind, 'serve_kill');
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-serve-kill-'));
    });
    after(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('the run is on record as running, then taken over by the next process', async () => {
      const first = await serve(db);
      children.add(first.child);
      const marker = path.join(dir, 'started');
      const request = fetch(`${first.url}/api/functions/emailsOnce/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ marker }),
      }).then(
        (res) => res.status,
        (err: unknown) => err,
      );
      await until(() => fs.existsSync(marker), 20_000, 'the function started');
      const exited = once(first.child, 'exit');
      first.child.kill('SIGKILL');
      await exited;
      assert.ok((await request) instanceof Error, 'the caller got no answer');

      const rows = await db.knex(EXECUTIONS_TABLE).where({ func_name: 'emailsOnce' });
      assert.equal(rows.length, 1, 'the run is on record');
      const [row] = rows;
      assert.equal(row.status, 'running');
      assert.equal(Number(row.attempts), 1);
      assert.match(String(row.worker_id), /^sync:/);
      const events = await db.knex(EVENTS_TABLE).where({ execution_id: row.id }).orderBy('id');
      assert.deepEqual(
        events.map((e) => e.to_status),
        ['created', 'started', 'validated', 'running'],
      );

      // The next process sweeps it up once its heartbeat is older than the TTL, as after a worker's death.
      const second = await serve(db, {
        TURTLE_HEARTBEAT_TTL_MS: '1000',
        TURTLE_SWEEP_MS: '200',
        TURTLE_POLL_MS: '200',
      });
      children.add(second.child);
      const final = async () =>
        (await db.knex(EXECUTIONS_TABLE).where({ id: row.id }).first()) as Record<string, unknown>;
      await until(
        async () => ['done', 'errored'].includes((await final()).status as string),
        30_000,
        'taken over and finished',
      );
      const execution = (await (await fetch(`${second.url}/api/executions/${row.id}`)).json()) as {
        status: string;
        output: unknown;
        attempts: number;
        events: Array<{ kind: string }>;
      };
      assert.equal(execution.status, 'done');
      assert.equal(execution.output, 'taken over');
      assert.equal(execution.attempts, 2);
      assert.ok(
        execution.events.some((e) => e.kind === 'takeover'),
        'the takeover is on the timeline',
      );
      const stopped = once(second.child, 'exit');
      second.child.kill('SIGTERM');
      await stopped;
    });
  });
}
