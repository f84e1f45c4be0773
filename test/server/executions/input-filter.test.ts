/**
 * Finding executions by their inputs (`list({ functionName, input })`), on every database: exact
 * matches of strings (case, NUL, long values), numbers, integers, booleans and enums, several inputs
 * ANDed, keyset pages that stay complete and in order, and the index `migrateAll` creates for the
 * manifest's `@filterable` parameters — which the store's query uses (`EXPLAIN`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { Registry } from '../../../server/registry/registry.js';
import type { ExecutionPage, Executions } from '../../../server/executions/executions-service.js';
import type { ExecutionRecord } from '../../../server/executions/store/execution-record.js';
import { KnexExecutionStore } from '../../../server/executions/store/knex-execution-store.js';
import { listQuery } from '../../../server/executions/store/knex-queries.js';
import { columnsFor } from '../../../server/storage/columns.js';
import { existingInputColumns, inputIndexName, whereInput } from '../../../server/storage/input-index.js';
import { migrateAll } from '../../../server/runtime.js';
import { ValidationError } from '../../../server/errors.js';
import { createExecutions } from '../../../server/executions/create-executions.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { manifestOf, type FunctionSpec } from '../../support/manifests.js';
import { testRecord } from '../../support/executions.js';

const SPECS: Record<string, FunctionSpec> = {
  resend: {
    properties: {
      site: { type: 'string', enum: ['basel', 'bern'], 'x-turtle-filterable': true },
      reportId: { type: 'integer', 'x-turtle-filterable': true },
      ratio: { type: ['number', 'null'], 'x-turtle-filterable': true },
      urgent: { type: 'boolean', 'x-turtle-filterable': true },
      note: { type: 'string', 'x-turtle-filterable': true },
      priority: { type: 'number', enum: [1, 2], 'x-turtle-filterable': true },
      body: { type: 'string' },
    },
  },
};
const MANIFEST = manifestOf(SPECS);
const NAMES = ['note', 'priority', 'ratio', 'reportId', 'site', 'urgent'];
const LONG = 'é'.repeat(300);

function record(input: Record<string, unknown>, createdAt: number, functionName = 'resend'): ExecutionRecord {
  return testRecord({
    functionName,
    status: 'done',
    input,
    attempts: 1,
    createdAt,
    updatedAt: createdAt,
    startedAt: createdAt,
    finishedAt: createdAt,
  });
}

/** Whether the database plans `query` through `index`. */
async function usesIndex(knex: Knex, kind: string, query: Knex.QueryBuilder, index: string): Promise<string> {
  const { sql, bindings } = query.toSQL();
  if (kind === 'sqlite') {
    const rows = await knex.raw<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, bindings);
    return rows.map((r) => r.detail).join('\n');
  }
  if (kind === 'mysql') {
    const [rows] = (await knex.raw(`EXPLAIN ${sql}`, bindings)) as [Array<{ key: string | null }>];
    return rows.map((r) => `key ${r.key}`).join('\n');
  }
  // Planned as for a big table: no sequential scan, so the choice is between the indexes.
  return knex
    .transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      const result = await trx.raw<{ rows: Array<Record<string, string>> }>(`EXPLAIN ${sql}`, bindings);
      return result.rows.map((r) => Object.values(r)[0]).join('\n');
    })
    .then((plan) => (plan.includes(index) ? plan : `${plan}\n(no ${index})`));
}

for (const kind of DATABASE_KINDS) {
  describe(`filtering executions by input on ${kind}`, () => {
    let db: TestDatabase;
    let store: KnexExecutionStore;
    let executions: Executions;
    const ids: Record<string, string[]> = {};
    const add = async (label: string, input: Record<string, unknown>, at: number, fn?: string) => {
      const r = record(input, at, fn);
      await store.insert(r, [{ kind: 'status', from: null, to: 'created' }]);
      (ids[label] ??= []).push(r.id);
    };

    before(async () => {
      db = await createTestDatabase(kind, 'input_filter');
      // Rows first, indexes after: the index is built over what is there, as on a live database.
      await migrateAll(db.knex);
      store = new KnexExecutionStore(db.knex);
      const t = 1_700_000_000_000;
      // 25 from basel with reportId 7, same created_at for some (ties are ordered by id).
      for (let i = 0; i < 25; i++)
        await add(
          'basel7',
          { site: 'basel', reportId: 7, urgent: i % 2 === 0, note: 'x', priority: 1 },
          t + Math.floor(i / 3),
        );
      await add('bern7', { site: 'bern', reportId: 7, urgent: true, note: 'Abc', priority: 2 }, t + 100);
      await add('abc', { site: 'bern', reportId: 8, urgent: false, note: 'abc', ratio: 0.1 }, t + 101);
      await add(
        'nul',
        { site: 'bern', reportId: 9, urgent: false, note: 'a\u0000b', body: 'c\u0000' },
        t + 102,
      );
      await add('long', { site: 'bern', reportId: 10, urgent: false, note: LONG }, t + 103);
      await add('longer', { site: 'bern', reportId: 11, urgent: false, note: `${LONG}!` }, t + 104);
      await add('big', { site: 'bern', reportId: 12, urgent: false, ratio: 1e21 }, t + 105);
      await add('text7', { site: 'bern', reportId: 13, urgent: false, note: '7' }, t + 106);
      await add('other', { site: 'basel', reportId: 7 }, t + 107, 'other');
      const applied = await migrateAll(db.knex, MANIFEST);
      assert.deepEqual(applied.sort(), NAMES.map(inputIndexName).sort());
      const registry = new Registry();
      registry.add(function resend() {});
      executions = createExecutions({
        knex: db.knex,
        functions: registry.bind(MANIFEST, { manifestDir: process.cwd() }),
      });
    });
    after(async () => {
      await db?.destroy();
    });

    const find = async (input: Record<string, string | number | boolean>, limit = 50) => {
      const found: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ExecutionPage = await executions.list({ functionName: 'resend', input, limit, cursor });
        found.push(...page.items.map((e) => e.id));
        cursor = page.next;
      } while (cursor);
      return found;
    };
    const newestFirst = (...labels: string[]) => labels.flatMap((l) => ids[l]!).reverse();

    it('finds exact matches of strings, enums, integers, numbers and booleans, typed or as text', async () => {
      assert.deepEqual(await find({ site: 'basel' }), newestFirst('basel7'));
      assert.deepEqual(await find({ note: 'abc' }), newestFirst('abc'), 'case counts');
      assert.deepEqual(await find({ note: 'Abc' }), newestFirst('bern7'));
      assert.deepEqual(await find({ note: 'a\u0000b' }), newestFirst('nul'));
      assert.deepEqual(await find({ note: 'a' }), []);
      assert.deepEqual(await find({ reportId: 8 }), newestFirst('abc'));
      assert.deepEqual(await find({ reportId: '8' }), newestFirst('abc'));
      assert.deepEqual(await find({ note: '7' }), newestFirst('text7'), 'a string is not a number');
      assert.deepEqual(await find({ ratio: '0.10' }), newestFirst('abc'));
      assert.deepEqual(await find({ ratio: 1e21 }), newestFirst('big'));
      assert.deepEqual(await find({ priority: '2' }), newestFirst('bern7'));
      assert.deepEqual((await find({ urgent: 'true' })).length, 14);
      assert.deepEqual((await find({ urgent: false })).length, 12 + 6);
    });

    it('matches values longer than the indexed prefix whole', async () => {
      assert.deepEqual(await find({ note: LONG }), newestFirst('long'));
      assert.deepEqual(await find({ note: `${LONG}!` }), newestFirst('longer'));
      assert.deepEqual(await find({ note: LONG.slice(1) }), []);
    });

    it('ANDs several inputs and other filters, and pages through ties without loss or repeat', async () => {
      assert.deepEqual(await find({ site: 'bern', reportId: 7 }), newestFirst('bern7'));
      const all = await find({ site: 'basel', reportId: '7' }, 4);
      assert.deepEqual(all, newestFirst('basel7'));
      const urgent = await find({ site: 'basel', urgent: true }, 3);
      assert.deepEqual(
        urgent,
        newestFirst('basel7').filter((_, i) => (24 - i) % 2 === 0),
      );
      const page = await executions.list({
        functionName: 'resend',
        input: { site: 'basel' },
        status: 'running',
      });
      assert.deepEqual(page.items, []);
    });

    it('refuses unknown, non-filterable and ill-typed inputs, and inputs without a function', async () => {
      const refused = async (options: Parameters<Executions['list']>[0], path: string) => {
        await assert.rejects(executions.list(options), (err: unknown) => {
          assert.ok(err instanceof ValidationError);
          assert.ok(
            err.details.errors.some((e) => e.path === path),
            JSON.stringify(err.details),
          );
          return true;
        });
      };
      await refused({ functionName: 'resend', input: { body: 'x' } }, '/input/body');
      await refused({ functionName: 'resend', input: { nope: 'x' } }, '/input/nope');
      await refused({ functionName: 'resend', input: { reportId: '1.5' } }, '/input/reportId');
      await refused({ functionName: 'resend', input: { urgent: 'yes' } }, '/input/urgent');
      await refused({ functionName: 'resend', input: { site: 'zurich' } }, '/input/site');
      await refused({ functionName: 'gone', input: { site: 'basel' } }, '/input/site');
      await refused({ input: { site: 'basel' } }, '/function');
    });

    it('has its indexes after migrate, creates nothing the second time, and the query uses them', async () => {
      assert.deepEqual(await migrateAll(db.knex, MANIFEST), []);
      if (kind === 'mysql') assert.equal((await existingInputColumns(db.knex)).size, NAMES.length);
      if (kind === 'postgres') await db.knex.raw('ANALYZE turtle_executions');
      const columns = columnsFor(db.knex);
      const inputColumns = kind === 'mysql' ? await existingInputColumns(db.knex) : undefined;
      for (const [name, value] of [
        ['site', 'bern'],
        ['reportId', 7],
        ['urgent', true],
        ['note', LONG],
      ] as const) {
        const query = listQuery(
          db.knex,
          columns,
          { functionName: 'resend', input: { [name]: value } },
          inputColumns,
        );
        const plan = await usesIndex(db.knex, kind, query.limit(51), inputIndexName(name));
        assert.ok(plan.includes(inputIndexName(name)), `${name}: ${plan}`);
        if (process.env.SHOW_PLANS) console.log(kind, name, plan);
      }
    });

    it('still pages one function unfiltered through its own index, not an input index', async () => {
      const columns = columnsFor(db.knex);
      const query = listQuery(db.knex, columns, { functionName: 'resend' });
      const plan = await usesIndex(db.knex, kind, query.limit(51), 'turtle_executions_func_created_idx');
      assert.ok(plan.includes('turtle_executions_func_created_idx'), plan);
    });

    it('finds the same rows without the index (a database migrated without the manifest)', async () => {
      const columns = columnsFor(db.knex);
      const query = db.knex('turtle_executions').select('id').where('func_name', 'resend');
      whereInput(query, kind, 'note', 'abc', false);
      const rows = (await query) as Array<{ id: string }>;
      assert.deepEqual(
        rows.map((r) => r.id),
        ids.abc,
      );
      assert.equal(columns.kind, kind);
    });
  });
}
