import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRegistry } from '../../../server/registry/registry.js';
import { ValidationError } from '../../../server/errors.js';
import type { Executions } from '../../../server/executions/index.js';
import { columnsFor } from '../../../server/storage/columns.js';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';

/** Every JSON type, nested, plus the characters that trip up quoting. */
const EVERYTHING = {
  integer: 42,
  negative: -7,
  float: 3.141592653589793,
  tiny: 5e-324,
  huge: 1.7976931348623157e308,
  zero: 0,
  yes: true,
  no: false,
  nothing: null,
  text: 'plain',
  quotes: `it's "quoted" \\ back\\slash`,
  unicode: 'naïve café — 中文 🐢',
  empty: '',
  newline: 'a\nb\tc',
  list: [1, 'two', false, null, { three: [3] }, []],
  nested: { a: { b: { c: { d: 'deep' } } }, emptyObject: {} },
  enumValue: 'ngs',
};

for (const kind of DATABASE_KINDS) {
  describe(`executions store on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();
    registry.addSync(function echo(value: unknown, when: Date, flowcell: string) {
      return { value, when, whenIsDate: when instanceof Date, flowcell };
    });
    registry.add(function noop() {});

    before(async () => {
      db = await createTestDatabase(kind, 'store');
      executions = await executionsFor(db, registry, {
        echo: {
          properties: {
            value: {},
            when: { type: 'string', format: 'date-time' },
            flowcell: { type: 'string', enum: ['ips', 'ngs'], default: 'ips' },
          },
          required: ['value', 'when'],
        },
      });
    });
    after(async () => {
      await db.destroy();
    });

    it('keeps the types of inputs and outputs through a round trip', async () => {
      const when = '2026-03-04T05:06:07.089Z';
      const run = await executions.runSync('echo', { value: EVERYTHING, when }, { user: 'ana' });
      assert.equal(run.status, 'done', JSON.stringify(run.error));
      const stored = await executions.get(run.id);
      assert.deepEqual(
        stored.input,
        { value: EVERYTHING, when, flowcell: 'ips' },
        'inputs with the default applied',
      );
      assert.deepEqual(
        stored.output,
        { value: EVERYTHING, when, whenIsDate: true, flowcell: 'ips' },
        'the Date came back as its ISO string',
      );
      assert.equal(Object.is((stored.output as { value: { zero: number } }).value.zero, 0), true);
      assert.deepEqual(stored.output, run.output, 'what runSync returned is what is stored');
      assert.equal(stored.user, 'ana');
      for (const scalar of [0, false, null, 'text', 1.5]) {
        const again = await executions.runSync('echo', { value: scalar, when });
        assert.deepEqual((await executions.get(again.id)).input.value, scalar);
      }
    });

    it('returns ISO timestamps with milliseconds in UTC', async () => {
      const before = Date.now();
      const run = await executions.runSync('echo', { value: 1, when: '2026-01-01T00:00:00.000Z' });
      const stored = await executions.get(run.id);
      for (const at of [
        stored.createdAt,
        stored.updatedAt,
        stored.startedAt!,
        stored.finishedAt!,
        ...stored.events.map((e) => e.at),
      ]) {
        assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.ok(
          Date.parse(at) >= before - 1 && Date.parse(at) <= Date.now() + 1,
          `${at} within ${new Date(before).toISOString()} and now`,
        );
      }
      assert.ok(
        stored.createdAt <= stored.startedAt! && stored.startedAt! <= stored.finishedAt!,
        JSON.stringify(stored),
      );
    });

    describe('list', () => {
      const FUNCTIONS = ['alpha', 'beta', 'gamma'];
      const USERS = ['ana', 'bo', null];
      const STATUSES = ['done', 'errored', 'waiting', 'created'];
      const base = Date.parse('2025-01-01T00:00:00.000Z');
      let seeded: Array<{ id: string; func: string; user: string | null; status: string; createdAt: number }>;

      before(async () => {
        // Thousands of rows inserted in batches (creating them one by one would take minutes on MariaDB).
        const columns = columnsFor(db.knex);
        seeded = Array.from({ length: 3000 }, (_, i) => ({
          id: crypto.randomUUID(),
          func: FUNCTIONS[i % 3]!,
          user: USERS[(i % 5) % 3]!,
          status: STATUSES[i % 4]!,
          createdAt: base + Math.floor(i / 4) * 1000 + (i % 2), // ties on created_at, broken by id
        }));
        const rows = seeded.map((s) => ({
          id: s.id,
          func_name: s.func,
          mode: 'async',
          status: s.status,
          input_json: JSON.stringify({ i: 1 }),
          user: s.user,
          attempts: 0,
          created_at: columns.time(s.createdAt),
          updated_at: columns.time(s.createdAt),
        }));
        await db.knex.batchInsert(EXECUTIONS_TABLE, rows, 500);
      });

      const newestFirst = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) =>
        b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

      async function pageThrough(filters: Parameters<Executions['list']>[0], limit: number) {
        const ids: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: { items: Array<{ id: string }>; next: string | null } = await executions.list({
            ...filters,
            limit,
            cursor,
          });
          assert.ok(page.items.length <= limit);
          ids.push(...page.items.map((e) => e.id));
          cursor = page.next;
          pages++;
        } while (cursor);
        return { ids, pages };
      }

      it('pages through thousands of executions newest first, each exactly once', async () => {
        const range = {
          createdAfter: new Date(base).toISOString(),
          createdBefore: new Date(base + 10_000_000).toISOString(),
        };
        const { ids, pages } = await pageThrough(range, 50);
        assert.deepEqual(
          ids,
          [...seeded].sort(newestFirst).map((s) => s.id),
        );
        assert.equal(pages, 60);
      });

      it('filters by function, status, user and created range, and pages the filtered set', async () => {
        const from = base + 200_000;
        const to = base + 500_000;
        const { ids } = await pageThrough(
          {
            functionName: 'beta',
            status: 'done',
            user: 'ana',
            createdAfter: new Date(from),
            createdBefore: new Date(to),
          },
          7,
        );
        const expected = seeded
          .filter(
            (s) =>
              s.func === 'beta' &&
              s.status === 'done' &&
              s.user === 'ana' &&
              s.createdAt >= from &&
              s.createdAt < to,
          )
          .sort(newestFirst)
          .map((s) => s.id);
        assert.ok(expected.length > 7, 'the filtered set spans pages');
        assert.deepEqual(ids, expected);
        const byFunction = await pageThrough(
          { functionName: 'gamma', createdBefore: new Date(base + 10_000_000) },
          300,
        );
        assert.deepEqual(
          byFunction.ids,
          seeded
            .filter((s) => s.func === 'gamma')
            .sort(newestFirst)
            .map((s) => s.id),
        );
      });

      it('rejects a bad cursor, limit, status or date with a ValidationError', async () => {
        const path = (p: string) => (err: unknown) =>
          err instanceof ValidationError && err.details.errors[0]?.path === p;
        await assert.rejects(executions.list({ cursor: 'garbage' }), path('/cursor'));
        await assert.rejects(executions.list({ limit: 0 }), path('/limit'));
        await assert.rejects(executions.list({ limit: 501 }), path('/limit'));
        await assert.rejects(executions.list({ status: 'finished' as never }), path('/status'));
        await assert.rejects(executions.list({ createdAfter: 'yesterday' }), path('/createdAfter'));
      });
    });

    it('lists events in id order after a given id, by execution and by function', async () => {
      const first = await executions.runSync('echo', { value: 'a', when: '2026-01-01T00:00:00.000Z' });
      const second = await executions.create('noop', {});
      const all = await executions.listEvents({ limit: 1000 });
      const ids = all.map((e) => e.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
      const mine = await executions.listEvents({ executionId: first.id });
      assert.deepEqual(
        mine.map((e) => e.to),
        ['created', 'started', 'validated', 'running', 'done'],
      );
      const after = await executions.listEvents({ afterId: mine[2]!.id, executionId: first.id });
      assert.deepEqual(
        after.map((e) => e.id),
        mine.slice(3).map((e) => e.id),
      );
      const noop = await executions.listEvents({ functionName: 'noop' });
      assert.deepEqual(
        noop.map((e) => e.executionId),
        [second.id],
      );
      assert.equal((await executions.listEvents({ executionId: first.id, limit: 2 })).length, 2);
    });
  });
}
