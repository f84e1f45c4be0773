import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Agenda } from 'agenda';
import { KnexBackend, migrateAgendaTables } from '../../../server/scheduler/knex-backend/index.js';
import { postgresNotificationChannel } from '../../../server/scheduler/postgres-channel.js';
import { DatabaseUrlError } from '../../../server/storage/database.js';
import { ROOT } from '../../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

/** Generous for a child starting from source on a loaded machine, and still below its 60 s poll. */
const EVENT_LIMIT_MS = 45_000;

/** The next JSON line of `child` that `match` accepts. */
function nextLine(
  child: ChildProcess,
  match: (line: Record<string, unknown>) => boolean,
  what: string,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      lines.close();
      reject(new Error(`${what}: not within ${EVENT_LIMIT_MS} ms`));
    }, EVENT_LIMIT_MS);
    lines.on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return;
      }
      if (!match(line)) return;
      clearTimeout(timer);
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: the process exited (${code})`));
    });
  });
}

describe('the PostgreSQL LISTEN/NOTIFY channel', () => {
  let db: TestDatabase;
  let listener: ChildProcess | undefined;
  let agenda: Agenda | undefined;
  let closeChannel: (() => Promise<void>) | undefined;

  before(async () => {
    db = await createTestDatabase('postgres', 'pg_channel');
    await migrateAgendaTables(db.knex);
  });
  after(async () => {
    await agenda?.stop();
    await closeChannel?.();
    if (listener && listener.exitCode === null) {
      const exited = new Promise((resolve) => listener!.once('exit', resolve));
      listener.kill('SIGTERM');
      await exited;
    }
    await db.destroy();
  });

  it('starts a job saved in one process in another at once, while that one polls once a minute', async () => {
    listener = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=turtle-source',
        path.join(ROOT, 'test/server/scheduler/fixtures/channel-listener.ts'),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await nextLine(listener, (line) => line.ready === true, 'the listening process started');

    // Process A: saves only (no processor), so it connects the channel itself to publish.
    const { channel, close } = postgresNotificationChannel(db.url);
    closeChannel = async () => {
      await channel.disconnect();
      await close();
    };
    await channel.connect();
    agenda = new Agenda({
      backend: new KnexBackend({ knex: db.knex, notificationChannel: channel }),
      processEvery: 60_000,
    });
    await agenda.ready;
    const started = nextLine(
      listener,
      (line) => typeof line.started === 'string',
      'the other process started the job',
    );
    const job = await agenda.now('ping', {});
    assert.equal((await started).started, String(job.attrs._id));
  });

  it('refuses a URL that is not PostgreSQL', () => {
    assert.throws(() => postgresNotificationChannel('mysql://root@127.0.0.1:3306/turtle'), DatabaseUrlError);
  });
});
