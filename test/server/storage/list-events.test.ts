/**
 * What the event feed asks of the store: events filtered by their execution's user in SQL (or with the
 * user attached), ids skipped earlier asked for again, and the newest id in one query.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../../server/errors.js';
import type { Executions } from '../../../server/executions/index.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { EVENTS_TABLE } from '../../../server/storage/tables.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { executionsFor } from '../../support/manifests.js';

for (const kind of DATABASE_KINDS) {
  describe(`listEvents for the event feed, on ${kind}`, () => {
    let db: TestDatabase;
    let executions: Executions;
    const registry = createRegistry();
    registry.add(function noop() {});

    before(async () => {
      db = await createTestDatabase(kind, 'list_events');
      executions = await executionsFor(db, registry);
    });
    after(() => db.destroy());

    it('newestEventId is 0 on an empty store, then the greatest id', async () => {
      assert.equal(await executions.newestEventId(), 0);
      await executions.create('noop', {}, { user: 'ann' });
      const all = await executions.listEvents({ limit: 1000 });
      assert.equal(await executions.newestEventId(), all.at(-1)!.id);
    });

    it('filters by the user of the execution, or attaches it', async () => {
      const ann = await executions.create('noop', {}, { user: 'ann' });
      const ben = await executions.create('noop', {}, { user: 'ben' });
      const nobody = await executions.create('noop', {});
      const owners = async (user: string | null) =>
        new Set((await executions.listEvents({ user, limit: 1000 })).map((e) => e.executionId));
      assert.ok((await owners('ann')).has(ann.id));
      assert.ok(!(await owners('ann')).has(ben.id));
      assert.deepEqual([...(await owners('ben'))], [ben.id]);
      assert.deepEqual([...(await owners(null))], [nobody.id]);
      const withUser = await executions.listEvents({ withUser: true, limit: 1000 });
      const userOf = new Map(withUser.map((e) => [e.executionId, e.user]));
      assert.equal(userOf.get(ann.id), 'ann');
      assert.equal(userOf.get(nobody.id), null);
      assert.ok(!('user' in (await executions.listEvents({ limit: 1 }))[0]!), 'no user unless asked');
    });

    it('asks again for ids it skipped (missingIds), in id order with the newer ones', async () => {
      const newest = await executions.newestEventId();
      const row = (id: number) => ({
        id,
        execution_id: 'x',
        func_name: 'noop',
        at: kind === 'sqlite' ? Date.now() : new Date(),
        kind: 'progress',
        from_status: null,
        to_status: null,
        data_json: null,
      });
      await db.knex(EVENTS_TABLE).insert(row(newest + 3));
      await db.knex(EVENTS_TABLE).insert(row(newest + 1));
      const read = await executions.listEvents({ afterId: newest + 2, missingIds: [newest + 1, newest + 2] });
      assert.deepEqual(
        read.map((e) => e.id),
        [newest + 1, newest + 3],
      );
      await assert.rejects(
        executions.listEvents({ missingIds: Array.from({ length: 1001 }, (_, i) => i) }),
        ValidationError,
      );
    });
  });
}
