/**
 * Schema versions per run, on SQLite, MariaDB and PostgreSQL: each execution records the version of
 * its function's manifest entry; `turtle_function_versions` keeps each version once, however many
 * processes start at once; an old run keeps its entry after the manifest changed; a rerun validates
 * the stored inputs against the current schema and refuses with `SchemaChanged` when they no longer fit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SchemaChanged } from '../../../server/errors.js';
import { createExecutions } from '../../../server/executions/index.js';
import type { Executions } from '../../../server/executions/index.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { functionVersion, versionedEntry } from '../../../server/registry/function-version.js';
import { openDatabase } from '../../../server/storage/database.js';
import { FUNCTION_VERSIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor, manifestForRegistry, type FunctionSpec } from '../../support/manifests.js';

const registry = createRegistry();
registry.add(function sequence(sample: unknown) {
  return sample ?? null;
});

/** Version 1: `sample` (labelled), `count`, a secret `token` and a `note`. */
const v1: Record<string, FunctionSpec> = {
  sequence: {
    properties: {
      sample: { type: 'string', title: 'Sample' },
      count: { type: 'integer' },
      token: { type: 'string', writeOnly: true },
      note: { type: 'string' },
    },
    required: ['sample', 'count'],
  },
};
/** Version 2: `sample` renamed `sampleId`, `count` now a string, a required `lane` added. */
const v2: Record<string, FunctionSpec> = {
  sequence: {
    properties: {
      sampleId: { type: 'string', title: 'Sample id' },
      count: { type: 'string' },
      token: { type: 'string', writeOnly: true },
      note: { type: 'string' },
      lane: { type: 'integer' },
    },
    required: ['sampleId', 'count', 'lane'],
  },
};
/** Version 3: version 1 with new help texts and an optional parameter: old inputs still fit. */
const v3: Record<string, FunctionSpec> = {
  sequence: {
    properties: {
      ...v1.sequence!.properties,
      note: { type: 'string', description: 'Free text' },
      dryRun: { type: 'boolean' },
    },
    required: ['sample', 'count'],
  },
};

const bound = (specs: Record<string, FunctionSpec>) =>
  registry.bind(manifestForRegistry(registry, specs), { manifestDir: process.cwd() }).require('sequence');

for (const kind of DATABASE_KINDS) {
  describe(`function versions on ${kind}`, () => {
    let db: TestDatabase;
    let first: Executions;
    let oldRunId: string;

    before(async () => {
      db = await createTestDatabase(kind, 'versions');
      first = await executionsFor(db, registry, v1);
    });
    after(() => db.destroy());

    it('records the version of the function on create, and its entry in the versions table', async () => {
      const run = await first.create('sequence', { sample: 'S1', count: 3, token: 'hush', note: 'n' });
      oldRunId = run.id;
      const version = bound(v1).version;
      assert.match(version, /^[0-9a-f]{64}$/);
      assert.equal(run.functionVersion, version);
      assert.equal((await first.get(run.id)).functionVersion, version);
      const stored = await first.functionVersion('sequence', version);
      assert.deepEqual(stored.entry, versionedEntry(bound(v1).manifest));
      assert.equal(functionVersion(bound(v1).manifest), version);
    });

    it('writes each version once when processes start at once, keeping when it was first seen', async () => {
      const before = await first.functionVersion('sequence', bound(v1).version);
      // Separate pools, as separate processes would have: each records the same versions at once.
      const others = Array.from({ length: 4 }, () => openDatabase(db.url));
      try {
        const services = others.map((knex) =>
          createExecutions({
            knex,
            functions: registry.bind(manifestForRegistry(registry, v3), { manifestDir: '.' }),
          }),
        );
        await Promise.all(services.map((s) => s.recordVersions()));
      } finally {
        await Promise.all(others.map((knex) => knex.destroy()));
      }
      const rows = await db.knex(FUNCTION_VERSIONS_TABLE).where({ func_name: 'sequence' }).select('version');
      assert.deepEqual(
        rows.map((r: { version: string }) => r.version).sort(),
        [bound(v1).version, bound(v3).version].sort(),
      );
      assert.equal(
        (await first.functionVersion('sequence', bound(v1).version)).firstSeenAt,
        before.firstSeenAt,
      );
    });

    it('keeps an old run and its entry after the manifest changed', async () => {
      const later = await executionsFor(db, registry, v2);
      await later.recordVersions();
      const old = await later.get(oldRunId);
      assert.equal(old.functionVersion, bound(v1).version);
      const entry = (await later.functionVersion('sequence', bound(v1).version)).entry;
      assert.equal(entry.params.properties.sample?.title, 'Sample');
      assert.equal(entry.params.properties.sampleId, undefined);
      const fresh = await later.create('sequence', { sampleId: 'S2', count: '3', lane: 1 });
      assert.equal(fresh.functionVersion, bound(v2).version);
      assert.notEqual(fresh.functionVersion, old.functionVersion);
    });

    it('refuses to rerun an old run whose inputs no longer fit: 409 SchemaChanged with what changed and what still fits', async () => {
      const later = await executionsFor(db, registry, v2);
      const rejected = await later.rerun(oldRunId).then(
        () => assert.fail('the rerun ran'),
        (err: unknown) => err,
      );
      assert.ok(rejected instanceof SchemaChanged);
      const details = rejected.details;
      assert.equal(details.executionId, oldRunId);
      assert.equal(details.fromVersion, bound(v1).version);
      assert.equal(details.toVersion, bound(v2).version);
      assert.deepEqual(details.changes, [
        { kind: 'renamed', from: 'sample', to: 'sampleId' },
        { kind: 'type-changed', parameter: 'count', from: 'integer', to: 'string' },
        { kind: 'added', parameter: 'lane', required: true },
      ]);
      assert.deepEqual(details.errors.map((e) => e.path).sort(), ['/count', '/lane', '/sample', '/sampleId']);
      assert.deepEqual(details.fitting, ['token', 'note']);
      assert.deepEqual(details.values, { note: 'n' }, 'the secret still fits but is not sent back');
      const page = await later.list({ functionName: 'sequence', fields: 'full' });
      assert.equal(page.items.filter((e) => e.rerunOf === oldRunId).length, 0, 'nothing was stored');
    });

    it('reruns an old run whose inputs still fit, as the current version', async () => {
      const current = await executionsFor(db, registry, v3);
      const rerun = await current.rerun(oldRunId);
      assert.equal(rerun.rerunOf, oldRunId);
      assert.equal(rerun.functionVersion, bound(v3).version);
      assert.deepEqual(rerun.input, { sample: 'S1', count: 3, token: 'hush', note: 'n' });
    });
  });
}
