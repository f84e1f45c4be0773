/**
 * `turtle prune` as a user runs it: `--dry-run` counts what would go and deletes nothing; without
 * it, finished executions past the period go and pending ones stay; a bad period is one line and
 * exit code 1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ExecutionRecord } from '../../../server/executions/store/execution-record.js';
import { KnexExecutionStore } from '../../../server/executions/store/knex-execution-store.js';
import { migrateAll } from '../../../server/runtime.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { FIXTURE_MODULE, runTurtle } from '../../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { testRecord } from '../../support/executions.js';

const DAY = 86_400_000;

function aged(status: ExecutionRecord['status'], ageDays: number): ExecutionRecord {
  const at = Date.now() - ageDays * DAY;
  return testRecord({
    functionName: 'slowJob',
    status,
    input: { ms: 1 },
    attempts: 1,
    createdAt: at,
    updatedAt: at,
    startedAt: at,
    finishedAt: status === 'done' ? at : null,
  });
}

describe('turtle prune', () => {
  let db: TestDatabase;
  const old = [aged('done', 40), aged('done', 35)];
  const kept = [aged('done', 1), aged('created', 400)];

  before(async () => {
    db = await createTestDatabase('sqlite', 'prune_cli');
    await migrateAll(db.knex);
    const store = new KnexExecutionStore(db.knex);
    for (const r of [...old, ...kept]) await store.insert(r, [{ kind: 'status', from: null, to: 'created' }]);
  });
  after(() => db.destroy());

  const ids = async () =>
    new Set((await db.knex(EXECUTIONS_TABLE).select('id')).map((row) => row.id as string));
  const env = () => ({ ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' });

  test('--dry-run counts, then a prune deletes exactly the finished ones past the period', async () => {
    const dry = await runTurtle(['prune', ...FIXTURE_MODULE, '--older-than', '30d', '--dry-run'], {
      env: env(),
    });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would delete 2 finished execution\(s\)/);
    assert.equal((await ids()).size, 4);
    const real = await runTurtle(['prune', ...FIXTURE_MODULE], {
      env: { ...env(), TURTLE_RETENTION: '30d' },
    });
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /deleted 2 finished execution\(s\)/);
    assert.deepEqual(await ids(), new Set(kept.map((r) => r.id)));
  });

  test('a period that is not one is refused in one line, exit code 1', async () => {
    const bad = await runTurtle(['prune', ...FIXTURE_MODULE, '--older-than', 'ninety days'], { env: env() });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--older-than must be a period such as 90d/);
    assert.equal((await ids()).size, 2, 'nothing deleted');
  });
});
