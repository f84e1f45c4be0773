/**
 * `turtle serve` while its database goes away, as real processes: the API answers 503
 * `DatabaseUnavailable` (with `Retry-After`) instead of 500 while a private MariaDB is killed or frozen
 * (bounded by `TURTLE_DB_TIMEOUT_MS`: the requests return), and serves again without a restart once
 * the database is back, with nothing stored before lost. On SQLite, a file locked by another
 * connection past the busy timeout is the same 503.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../../server/storage/database.js';
import { FIXTURE_MODULE } from '../../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb.js';
import { listeningUrl, spawnServe, type ServeProcess } from '../../support/serve-process.js';

const SERVE = ['serve', ...FIXTURE_MODULE, '--port', '0'];
/** Short, so that each request to a frozen database returns soon. */
const ENV = { TURTLE_DB_TIMEOUT_MS: '1000', LOG_LEVEL: 'fatal' };

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { id?: string; status?: string; items?: Array<{ id: string }>; error?: { type: string } };
}

async function call(url: string, route: string, json?: unknown): Promise<Answer> {
  const response = await fetch(
    url + route,
    json === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(json),
        },
  );
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Answer['body'],
  };
}

const create = (url: string) => call(url, '/api/functions/slowJob/executions', { ms: 0 });
const list = (url: string) => call(url, '/api/executions?limit=100');

function assertUnavailable(answer: Answer, what: string): void {
  assert.equal(answer.status, 503, `${what}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error?.type, 'DatabaseUnavailable', what);
  assert.match(answer.retryAfter ?? '', /^\d+$/, `${what}: Retry-After`);
}

/** Waits for the execution's event stream to end (it ends after the final status), then gives its status. */
async function finalStatus(url: string, id: string): Promise<string | undefined> {
  await (await fetch(`${url}/api/executions/${id}/events`)).text();
  return (await call(url, `/api/executions/${id}`)).body.status;
}

/** Every id in `ids` is still listed. */
async function assertStillStored(url: string, ids: string[]): Promise<void> {
  const listed = await list(url);
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  const present = new Set(listed.body.items!.map((item) => item.id));
  for (const id of ids) assert.ok(present.has(id), `execution ${id} is still stored`);
}

describe('turtle serve on a MariaDB that is killed, restarted, frozen and thawed', () => {
  let mariadb: PrivateMariadb;
  let serve: ServeProcess;
  let url: string;
  const stored: string[] = [];

  before(async () => {
    mariadb = await startPrivateMariadb();
    const databaseUrl = await mariadb.createDatabase('turtle_outage');
    serve = spawnServe(SERVE, { ...ENV, DATABASE_URL: databaseUrl });
    url = await listeningUrl(serve);
  });
  after(async () => {
    await serve?.kill();
    await mariadb?.destroy();
  });

  test('while the database runs, executions are created and listed', async () => {
    const created = await create(url);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    stored.push(created.body.id!);
    assert.equal((await call(url, '/healthz')).status, 200);
    await assertStillStored(url, stored);
  });

  test('killed: the API and /healthz answer 503 DatabaseUnavailable; restarted: 200/202 again, nothing lost', async () => {
    await mariadb.kill();
    try {
      assertUnavailable(await list(url), 'GET /api/executions');
      assertUnavailable(await create(url), 'POST a create');
      assertUnavailable(await call(url, `/api/executions/${stored[0]}`), 'GET /api/executions/:id');
      assertUnavailable(await call(url, '/healthz'), 'GET /healthz');
    } finally {
      await mariadb.start();
    }
    await assertStillStored(url, stored);
    const created = await create(url);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    stored.push(created.body.id!);
    assert.equal((await call(url, '/healthz')).status, 200);
    assert.equal(
      await finalStatus(url, created.body.id!),
      'done',
      'the in-process worker runs executions again',
    );
  });

  test('frozen (SIGSTOP): requests return 503 DatabaseUnavailable within the time limit; thawed: 200/202 again, nothing lost', async () => {
    // The pool holds open connections when the server stops: the frozen server's kernel keeps them up.
    assert.equal((await list(url)).status, 200);
    await mariadb.freeze();
    try {
      assertUnavailable(await list(url), 'GET /api/executions');
      assertUnavailable(await create(url), 'POST a create');
      assertUnavailable(await call(url, '/healthz'), 'GET /healthz');
    } finally {
      mariadb.thaw();
    }
    await assertStillStored(url, stored);
    const created = await create(url);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    stored.push(created.body.id!);
    await assertStillStored(url, stored);
    assert.equal(
      await finalStatus(url, created.body.id!),
      'done',
      'the in-process worker runs executions again',
    );
  });

  test('the server process never stopped', () => {
    assert.equal(serve.child.exitCode, null, serve.output);
  });
});

describe('turtle serve on a SQLite file locked by another connection', () => {
  let db: TestDatabase;
  let serve: ServeProcess;
  let url: string;

  before(async () => {
    db = await createTestDatabase('sqlite', 'outage');
    // No in-process worker: its polls would wait on the lock too, each blocking the event loop for
    // the busy timeout (SQLite statements are synchronous), and only slow the test down.
    serve = spawnServe(SERVE, { ...ENV, DATABASE_URL: db.url, TURTLE_WORKER: '0' });
    url = await listeningUrl(serve);
  });
  after(async () => {
    await serve?.kill();
    await db?.destroy();
  });

  test('a write waiting past the busy timeout answers 503 DatabaseUnavailable; once the lock is gone, 202', async () => {
    const first = await create(url);
    assert.equal(first.status, 202, JSON.stringify(first.body));
    // Another connection to the file, as another process would hold it.
    const locker = openDatabase(db.url);
    try {
      await locker.raw('BEGIN EXCLUSIVE');
      assertUnavailable(await create(url), 'POST a create');
      // WAL: readers do not wait for a writer.
      assert.equal((await list(url)).status, 200);
      await locker.raw('ROLLBACK');
    } finally {
      await locker.destroy();
    }
    const created = await create(url);
    assert.equal(created.status, 202, JSON.stringify(created.body));
    await assertStillStored(url, [first.body.id!, created.body.id!]);
  });
});
