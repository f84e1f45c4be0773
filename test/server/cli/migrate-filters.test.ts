/**
 * `turtle migrate --manifest` as a deployment runs it: it indexes the manifest's `@filterable`
 * parameters (named deterministically), a second run changes nothing, and a manifest that is named
 * but missing is an error. On SQLite (every database's indexes: test/server/executions/input-filter.test.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inputIndexName } from '../../../server/storage/input-index.js';
import { ROOT, runTurtle } from '../../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

const MANIFEST = path.join(ROOT, 'demo/turtle.schema.json');

describe('turtle migrate --manifest', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('sqlite', 'migrate_cli');
  });
  after(() => db.destroy());

  const env = () => ({ ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
  const indexes = async () =>
    (await db.knex('sqlite_master').where({ type: 'index' }).select<Array<{ name: string }>>('name'))
      .map((row) => row.name)
      .filter((name) => name.includes('_in_'))
      .sort();

  test('indexes the @filterable parameters, once', async () => {
    const expected = ['deidentification_suffix', 'flowcell_type'].map(inputIndexName).sort();
    const first = await runTurtle(['migrate', '--manifest', MANIFEST], { env: env() });
    assert.equal(first.code, 0, first.stderr);
    for (const index of expected) assert.ok(first.stdout.includes(index), first.stdout);
    assert.deepEqual(await indexes(), expected);
    const again = await runTurtle(['migrate', '--manifest', MANIFEST], { env: env() });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already up to date/);
    assert.deepEqual(await indexes(), expected);
  });

  test('a named manifest that is missing is an error, exit code 1', async () => {
    const missing = await runTurtle(['migrate', '--manifest', path.join(ROOT, 'nope.schema.json')], {
      env: env(),
    });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.schema\.json/);
  });
});
