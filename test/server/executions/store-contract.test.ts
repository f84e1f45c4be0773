/**
 * The `ExecutionStore` contract, on every database: what the lifecycle relies on when several
 * processes share one database. Conditional changes write everything or nothing; of concurrent
 * claimers exactly one wins; a stale claim can be taken over and its owner then loses; a taken
 * idempotency key answers the execution holding it; pages follow (created, id) newest first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newExecutionId } from '../../../server/executions/execution-id.js';
import { KnexExecutionStore } from '../../../server/executions/store/knex-execution-store.js';
import { migrate } from '../../../server/storage/migrate.js';
import { openDatabase } from '../../../server/storage/database.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { testRecord } from '../../support/executions.js';

const record = testRecord;

const CREATED = [{ kind: 'status', from: null, to: 'created' }] as const;

for (const kind of DATABASE_KINDS) {
  describe(`the execution store on ${kind}`, () => {
    let db: TestDatabase;
    let store: KnexExecutionStore;

    before(async () => {
      db = await createTestDatabase(kind, 'store_contract');
      await migrate(db.knex);
      store = new KnexExecutionStore(db.knex);
    });
    after(async () => {
      await db.destroy();
    });

    it('gives back every field as inserted, with its first event', async () => {
      const original = record({
        status: 'waiting',
        input: { text: 'naïve 🐢 "q"', list: [1, null, { a: [] }], big: 2 ** 53 - 1, float: 0.1 },
        output: null,
        error: { type: 'Timeout', message: 'slow', details: { ms: 5 } },
        traceback: 'at x',
        state: { step: 3, done: [true, false] },
        progress: { fraction: 0.5, message: 'half' },
        user: 'ada',
        attempts: 2,
        createdAt: 1_700_000_000_123,
        updatedAt: 1_700_000_000_456,
        startedAt: 1_700_000_000_200,
        rerunOf: newExecutionId(),
        nextRunAt: 1_700_000_100_000,
        waitKind: 'retry',
        idempotencyKey: '["ada","k1"]',
      });
      const inserted = await store.insert(original, CREATED);
      assert.ok('events' in inserted);
      assert.deepEqual(await store.get(original.id), original);
      const events = await store.eventsOf(original.id);
      assert.deepEqual(
        events.map((e) => [e.id, e.kind, e.to, e.at]),
        inserted.events.map((e) => [e.id, 'status', 'created', new Date(original.createdAt).toISOString()]),
      );
    });

    it('applies a change only when the execution is as expected, with its events, all or nothing', async () => {
      const r = record();
      await store.insert(r, CREATED);
      const at = r.createdAt + 10;
      const wrong = await store.change(r.id, { status: 'running' }, at, {
        functionName: 'work',
        status: 'done',
        patch: { output: 1 },
        events: [{ kind: 'status', from: 'running', to: 'done' }],
      });
      assert.equal(wrong, null);
      assert.deepEqual(await store.get(r.id), r, 'nothing written');
      assert.equal((await store.eventsOf(r.id)).length, 1, 'no event recorded');
      const events = await store.change(r.id, { status: 'created', workerId: null }, at, {
        functionName: 'work',
        status: 'started',
        patch: { workerId: 'w1', heartbeatAt: at, attempts: 1, startedAt: at },
        events: [{ kind: 'status', from: 'created', to: 'started', data: { why: 'test' } }],
      });
      assert.equal(events?.length, 1);
      assert.deepEqual(events[0]!.data, { why: 'test' });
      assert.deepEqual(await store.get(r.id), {
        ...r,
        status: 'started',
        workerId: 'w1',
        heartbeatAt: at,
        attempts: 1,
        startedAt: at,
        updatedAt: at,
      });
      assert.deepEqual((await store.eventsOf(r.id)).at(-1), events[0]);
    });

    it('of 30 concurrent claimers of one execution, exactly one wins', async () => {
      const r = record();
      await store.insert(r, CREATED);
      // Separate connections where the database has them: the race happens in the database.
      const others = Array.from({ length: kind === 'sqlite' ? 3 : 5 }, () => openDatabase(db.url));
      try {
        const stores = [store, ...others.map((k) => new KnexExecutionStore(k))];
        const at = Date.now();
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            stores[i % stores.length]!.change(
              r.id,
              { status: 'created', workerId: null, heartbeatAt: null },
              at,
              {
                functionName: 'work',
                status: 'started',
                patch: { workerId: `w${i}`, heartbeatAt: at },
                events: [{ kind: 'status', from: 'created', to: 'started' }],
              },
            ),
          ),
        );
        const winners = results.flatMap((events, i) => (events ? [i] : []));
        assert.equal(winners.length, 1, `winners: ${winners.join(', ')}`);
        assert.equal((await store.get(r.id))!.workerId, `w${winners[0]}`);
        assert.equal((await store.eventsOf(r.id)).length, 2, 'one event for the one claim');
      } finally {
        await Promise.all(others.map((k) => k.destroy()));
      }
    });

    it('lets another worker take over a claim as read; the previous owner then loses its heartbeat and its end', async () => {
      const stale = Date.now() - 120_000;
      const r = record({ status: 'running', workerId: 'w1', heartbeatAt: stale, attempts: 1 });
      await store.insert(r, CREATED);
      assert.equal(await store.heartbeat(r.id, 'w2', Date.now()), false, 'not the holder');
      const now = Date.now();
      const takeover = {
        functionName: 'work',
        patch: { workerId: 'w2', heartbeatAt: now, attempts: 2 },
        events: [{ kind: 'takeover', data: { previousWorkerId: 'w1' } }],
      } as const;
      assert.ok(
        await store.change(r.id, { status: 'running', workerId: 'w1', heartbeatAt: stale }, now, takeover),
      );
      assert.equal(
        await store.change(r.id, { status: 'running', workerId: 'w1', heartbeatAt: stale }, now, takeover),
        null,
        'a claim as read is taken once',
      );
      assert.equal(await store.heartbeat(r.id, 'w1', Date.now()), false, 'the previous owner lost it');
      assert.equal(
        await store.change(r.id, { status: 'running', workerId: 'w1' }, now, {
          functionName: 'work',
          status: 'done',
          events: [],
        }),
        null,
      );
      assert.equal(await store.heartbeat(r.id, 'w2', Date.now()), true);
      assert.equal(await store.release(r.id, 'w1'), false);
      assert.equal(await store.release(r.id, 'w2'), true);
      const released = (await store.get(r.id))!;
      assert.deepEqual([released.workerId, released.heartbeatAt, released.status], [null, null, 'running']);
    });

    it('stores one execution per idempotency key: concurrent inserts under one key get the same one', async () => {
      const key = `["ada","${newExecutionId()}"]`;
      const attempts = Array.from({ length: 8 }, (_, i) => record({ idempotencyKey: key, input: { i } }));
      const results = await Promise.all(attempts.map((a) => store.insert(a, CREATED)));
      const stored = results.filter((res) => 'events' in res);
      assert.equal(stored.length, 1);
      const winner = attempts[results.indexOf(stored[0]!)]!;
      for (const res of results) if ('existing' in res) assert.deepEqual(res.existing, winner);
      assert.equal(
        await db
          .knex('turtle_executions')
          .where({ idempotency_key: key })
          .count({ n: '*' })
          .first()
          .then((row) => Number(row!.n)),
        1,
      );
    });

    it('pages newest first by (created, id), each execution once, ties on created broken by id', async () => {
      const base = Date.now() + 1_000_000;
      const records = Array.from({ length: 61 }, (_, i) =>
        record({ functionName: 'paged', createdAt: base + Math.floor(i / 4), updatedAt: base }),
      );
      for (const r of records) await store.insert(r, CREATED);
      const expected = [...records]
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .map((r) => r.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.list({ functionName: 'paged', limit: 7, cursor });
        seen.push(...page.items.map((item) => item.id));
        cursor = page.next;
      } while (cursor);
      assert.deepEqual(seen, expected);
    });

    it('lists as pending what is due and not held by a live worker, oldest first', async () => {
      const now = Date.now();
      const due = record({ functionName: 'pending', createdAt: now - 3 });
      const later = record({
        functionName: 'pending',
        status: 'waiting',
        nextRunAt: now + 60_000,
        createdAt: now - 2,
      });
      const held = record({
        functionName: 'pending',
        status: 'running',
        workerId: 'w',
        heartbeatAt: now,
        createdAt: now - 1,
      });
      const orphaned = record({
        functionName: 'pending',
        status: 'running',
        workerId: 'w',
        heartbeatAt: now - 120_000,
        createdAt: now,
      });
      const finished = record({ functionName: 'pending', status: 'done', createdAt: now });
      for (const r of [due, later, held, orphaned, finished]) await store.insert(r, CREATED);
      const pending = (await store.pending({ limit: 10_000 })).filter((r) => r.functionName === 'pending');
      assert.deepEqual(
        pending.map((r) => r.id),
        [due.id, orphaned.id],
      );
    });
  });
}
