/**
 * A start-up that cannot succeed ends by itself with exit code 1 and one line saying what to change:
 * `turtle serve` on a port already in use (on every database: the runtime is open by then), and
 * `turtle worker` / `turtle serve` on a database that refuses connections. A hang is caught by the
 * test's timeout.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FIXTURE_MODULE } from '../../support/cli.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { spawnServe } from '../../support/serve-process.js';

/** Far above a normal start-up: only a process that hangs reaches it. */
const HANG_MS = 60_000;

/** Runs `turtle <args>` to its exit; fails the test if it has not exited within {@link HANG_MS}. */
async function runToExit(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const run = spawnServe(args, { LOG_LEVEL: 'warn', ...env });
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await Promise.race([
      run.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running after ${HANG_MS} ms:\n${run.output}`)),
          HANG_MS,
        );
      }),
    ]);
    return { code, output: run.output };
  } finally {
    clearTimeout(timer);
    await run.kill();
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`turtle serve on a port already in use, on ${kind}`, () => {
    let db: TestDatabase;
    let occupant: net.Server;
    let port: number;

    before(async () => {
      db = await createTestDatabase(kind, 'port_in_use');
      occupant = net.createServer();
      await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
      port = (occupant.address() as net.AddressInfo).port;
    });
    after(async () => {
      await new Promise((resolve) => occupant.close(resolve));
      await db.destroy();
    });

    test('exits 1 by itself, naming the port, --port and PORT', async () => {
      const { code, output } = await runToExit(['serve', ...FIXTURE_MODULE, '--port', String(port)], {
        DATABASE_URL: db.url,
      });
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`port ${port}\\b.*already in use`));
      assert.match(output, /--port/);
      assert.match(output, /\bPORT\b/);
      assert.doesNotMatch(output, /Unable to acquire a connection/);
    });

    test('the same through PORT', async () => {
      const { code, output } = await runToExit(['serve', ...FIXTURE_MODULE], {
        DATABASE_URL: db.url,
        PORT: String(port),
      });
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`port ${port}\\b.*already in use`));
    });
  });
}

// A refused connection is a MySQL/MariaDB condition; SQLite opens its file or fails on the path.
describe('turtle serve and turtle worker on a database that refuses connections', () => {
  const env = { DATABASE_URL: 'mysql://root:secret-password@127.0.0.1:1/turtle' };

  for (const command of ['serve', 'worker']) {
    test(`turtle ${command} exits 1 by itself, naming DATABASE_URL and not its password`, async () => {
      const { code, output } = await runToExit(
        command === 'serve' ? ['serve', ...FIXTURE_MODULE, '--port', '0'] : ['worker', ...FIXTURE_MODULE],
        env,
      );
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`turtle ${command}: the database does not answer \\(ECONNREFUSED\\)`));
      assert.match(output, /DATABASE_URL/);
      assert.doesNotMatch(output, /secret-password/);
    });
  }
});

describe('turtle serve and turtle worker with a Redis server that does not answer', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('sqlite', 'redis_down');
  });
  after(() => db.destroy());

  for (const command of ['serve', 'worker']) {
    test(`turtle ${command} exits 1 by itself, naming TURTLE_REDIS_URL and --no-notify`, async () => {
      // Port 1: nothing listens there, the connection is refused at once.
      const env = { DATABASE_URL: db.url, TURTLE_REDIS_URL: 'redis://127.0.0.1:1' };
      const { code, output } = await runToExit(
        command === 'serve' ? ['serve', ...FIXTURE_MODULE, '--port', '0'] : ['worker', ...FIXTURE_MODULE],
        env,
      );
      assert.equal(code, 1, output);
      assert.match(output, new RegExp(`turtle ${command}: the notification channel cannot connect`));
      assert.match(output, /TURTLE_REDIS_URL/);
      assert.match(output, /--no-notify/);
    });
  }
});
