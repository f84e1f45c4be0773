/**
 * `openRuntime`, shared by `turtle serve` and `turtle worker`: a migrated database, the functions
 * module imported and bound to its manifest, and a clear typed error when nothing is registered.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../server/config.js';
import { openRuntime, workerOptions } from '../../server/runtime.js';
import { FUNCTION_VERSIONS_TABLE } from '../../server/storage/tables.js';
import { ROOT } from '../support/cli.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const FIXTURES = path.join(ROOT, 'test/server/scheduler/fixtures');
const logger = pino({ level: 'silent' });

// Runs first: the registry is process-wide, and the tests below fill it by importing the fixtures.
test('a module that registers nothing is a ConfigError naming --functions', async () => {
  const db = await createTestDatabase('sqlite', 'runtime_empty');
  try {
    await assert.rejects(
      openRuntime({ databaseUrl: db.url, manifest: path.join(FIXTURES, 'turtle.schema.json') }, { logger }),
      (err: ConfigError) =>
        err instanceof ConfigError && err.type === 'ConfigError' && err.details.setting === '--functions',
    );
  } finally {
    await db.destroy();
  }
});

for (const kind of DATABASE_KINDS) {
  describe(`openRuntime on ${kind}`, () => {
    let db: TestDatabase;
    before(async () => {
      db = await createTestDatabase(kind, 'runtime');
    });
    after(() => db.destroy());

    test("migrates, binds the module's functions to the manifest and runs one; close() is idempotent", async () => {
      const runtime = await openRuntime(
        {
          databaseUrl: db.url,
          functions: path.join(FIXTURES, 'functions.ts'),
          manifest: path.join(FIXTURES, 'turtle.schema.json'),
        },
        { logger },
      );
      try {
        assert.deepEqual(
          runtime.functions
            .list()
            .map((f) => f.name)
            .sort(),
          ['record', 'stall'],
        );
        assert.ok(await runtime.knex.schema.hasTable('turtle_executions'), 'executions table');
        assert.ok(await runtime.knex.schema.hasTable('turtle_agenda_jobs'), 'scheduler table');
        const execution = await runtime.executions.create('record', { n: 3 });
        const stored = await runtime.executions.get(execution.id);
        assert.deepEqual(
          [stored.id, stored.status],
          [execution.id, execution.status],
          "stored through the runtime's database",
        );
      } finally {
        await runtime.close();
        await runtime.close();
      }
    });

    test("records every bound function's version at start-up, once, when runtimes start at once", async () => {
      const config = {
        databaseUrl: db.url,
        functions: path.join(FIXTURES, 'functions.ts'),
        manifest: path.join(FIXTURES, 'turtle.schema.json'),
      };
      // Each runtime has its own pool, as each process would.
      const runtimes = await Promise.all([1, 2, 3].map(() => openRuntime(config, { logger })));
      try {
        const rows = await db
          .knex<{ func_name: string; version: string }>(FUNCTION_VERSIONS_TABLE)
          .select('func_name', 'version');
        assert.deepEqual(
          rows.map((r) => `${r.func_name} ${r.version}`).sort(),
          runtimes[0]!.functions
            .list()
            .map((f) => `${f.name} ${f.version}`)
            .sort(),
        );
      } finally {
        await Promise.all(runtimes.map((runtime) => runtime.close()));
      }
    });

    test('a manifest that is missing rejects with a typed error (and leaves no pool open, or this file would not exit)', async () => {
      await assert.rejects(
        openRuntime(
          {
            databaseUrl: db.url,
            functions: path.join(FIXTURES, 'functions.ts'),
            manifest: path.join(FIXTURES, 'missing.schema.json'),
          },
          { logger },
        ),
        (err: Error & { type?: string }) => typeof err.type === 'string',
      );
    });
  });
}

test("workerOptions maps the worker settings onto startWorker's options", () => {
  const config = loadConfig(
    { concurrency: 2 },
    { TURTLE_HEARTBEAT_TTL_MS: '1500', TURTLE_POLL_MS: '200', TURTLE_SWEEP_MS: '0', TURTLE_RETENTION: '90d' },
  );
  assert.deepEqual(workerOptions(config), {
    concurrency: 2,
    heartbeatTtlMs: 1500,
    processEvery: 200,
    sweepEvery: 0,
    retention: { defaultMs: 90 * 86_400_000 },
  });
  assert.deepEqual(
    workerOptions(loadConfig({}, {})).retention,
    { defaultMs: null },
    'kept for ever by default',
  );
  assert.throws(() => loadConfig({}, { TURTLE_RETENTION: '3 months' }), /TURTLE_RETENTION must be a period/);
});
