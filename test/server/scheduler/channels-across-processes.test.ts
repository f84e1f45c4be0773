/**
 * The Redis notification channel across real processes (Redis at `REDIS_URL`, default
 * redis://127.0.0.1:6379): an execution created in one process starts in a `turtle worker` that
 * polls only once a minute, so only the notification explains a start within the limit — created
 * over HTTP in `turtle serve --no-worker --redis-url …`, and through the API (`createScheduler` with
 * `chooseNotificationChannel`) in this test's process. On every database; and PostgreSQL's own
 * LISTEN/NOTIFY, chosen when the database is PostgreSQL and no Redis is given, the same way.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  chooseNotificationChannel,
  createScheduler,
  type Scheduler,
} from '../../../server/scheduler/index.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { ROOT } from '../../support/cli.js';
import { listeningUrl, spawnServe, type ServeProcess } from '../../support/serve-process.js';
import { EFFECTS, startWorkerFleet, until, type WorkerFleet } from './support/worker-fleet.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FIXTURES = path.join(ROOT, 'test/server/scheduler/fixtures');
/** The worker polls once a minute; a start within half of that can only come from a notification. */
const POLL_MS = 60_000;
const LIMIT_MS = 30_000;

/** Redis on every database; PostgreSQL's own LISTEN/NOTIFY when it is the database and no Redis is given. */
const CASES = [
  ...DATABASE_KINDS.map((kind) => ({
    kind,
    channel: 'the Redis channel',
    redisUrl: REDIS_URL,
  })),
  { kind: 'postgres' as const, channel: 'PostgreSQL LISTEN/NOTIFY', redisUrl: undefined },
];

for (const { kind, channel, redisUrl } of CASES) {
  describe(`${channel} across processes on ${kind}`, () => {
    let fleet: WorkerFleet;
    let serve: ServeProcess;
    let url: string;
    let api: Scheduler;

    before(async () => {
      fleet = await startWorkerFleet(kind, 'channel', {
        ...(redisUrl && { TURTLE_REDIS_URL: redisUrl }),
        TURTLE_POLL_MS: String(POLL_MS),
        TURTLE_SWEEP_MS: '0',
        LOG_LEVEL: 'error',
      });
      serve = spawnServe(
        [
          'serve',
          '--no-worker',
          ...(redisUrl ? ['--redis-url', redisUrl] : []),
          '--port',
          '0',
          '--functions',
          path.join(FIXTURES, 'functions.ts'),
          '--manifest',
          path.join(FIXTURES, 'turtle.schema.json'),
        ],
        { DATABASE_URL: fleet.db.url, LOG_LEVEL: 'error' },
      );
      [url] = await Promise.all([listeningUrl(serve), fleet.worker()]);
      api = createScheduler({
        knex: fleet.knex,
        executions: fleet.executions,
        notificationChannel: chooseNotificationChannel({
          databaseUrl: fleet.db.url,
          ...(redisUrl && { redisUrl }),
        }),
      });
      await api.ready;
    });

    after(async () => {
      await api?.stop();
      await serve?.kill();
      await fleet?.close();
    });

    const ranBy = async (executionId: string) =>
      (await fleet.knex(EFFECTS).where({ execution_id: executionId })).length === 1;
    const status = async (executionId: string) =>
      (await fleet.knex(EXECUTIONS_TABLE).where({ id: executionId }).first()).status as string;

    it('starts an execution created over HTTP in `turtle serve --no-worker` at once in `turtle worker`', async () => {
      const response = await fetch(`${url}/api/functions/record/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n: 1 }),
      });
      assert.equal(response.status, 202);
      const { id } = (await response.json()) as { id: string };
      await until(() => ranBy(id), LIMIT_MS, 'the worker ran it (a poll would take a minute)');
      await until(async () => (await status(id)) === 'done', LIMIT_MS, 'done');
    });

    it('starts an execution enqueued through the API in another process at once in `turtle worker`', async () => {
      const execution = await fleet.executions.create('record', { n: 2 });
      await api.enqueue(execution);
      await until(() => ranBy(execution.id), LIMIT_MS, 'the worker ran it (a poll would take a minute)');
    });
  });
}
