/**
 * The claim of `getNextJobToRun` (on MariaDB a `FOR UPDATE SKIP LOCKED` transaction, on SQLite one
 * `UPDATE … RETURNING`) hands each job out once under concurrent claimers, and a claim that finds
 * nothing returns nothing, also right after a claim on the same connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import type { JobParameters } from 'agenda';
import { KnexJobRepository } from '../../../server/scheduler/index.js';
import { openDatabase } from '../../../server/storage/database.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

function due(data: unknown): JobParameters {
  return { name: 'work', priority: 0, nextRunAt: new Date(Date.now() - 1000), type: 'normal', data };
}

for (const kind of DATABASE_KINDS) {
  describe(`claiming on ${kind}`, () => {
    let db: TestDatabase;
    const opened: Knex[] = [];
    before(async () => {
      db = await createTestDatabase(kind, 'claim');
    });
    after(async () => {
      await Promise.all(opened.map((k) => k.destroy()));
      await db.destroy();
    });

    it('a claim that finds nothing returns nothing, right after a claim on the same connection', async () => {
      // One connection, so the second claim runs where the first one left its state.
      const knex = openDatabase(db.url, { poolSize: 1 });
      opened.push(knex);
      const repo = new KnexJobRepository({
        knex,
        tableNames: { jobs: 'claim_once', logs: 'claim_once_logs' },
      });
      await repo.connect();
      await repo.saveJob(due('only'), undefined);
      const deadline = new Date(Date.now() - 600_000);
      const first = await repo.getNextJobToRun('work', new Date(), deadline, undefined, {
        lastModifiedBy: 'w1',
      });
      assert.equal(first?.data, 'only');
      assert.equal(first?.lastModifiedBy, 'w1');
      assert.ok(first?.lockedAt, 'returned with its lock');
      assert.equal(
        await repo.getNextJobToRun('work', new Date(), deadline, undefined, { lastModifiedBy: 'w2' }),
        undefined,
      );
      const stored = await repo.getJobById(String(first._id));
      assert.deepEqual(
        [stored?.lastModifiedBy, stored?.lockedAt?.getTime()],
        ['w1', first.lockedAt.getTime()],
        'the claimed row was not touched again',
      );
    });

    it('claims each job exactly once under concurrent claimers', async () => {
      const knex = openDatabase(db.url);
      opened.push(knex);
      const repo = new KnexJobRepository({ knex, tableNames: { jobs: 'claim_tx', logs: 'claim_tx_logs' } });
      await repo.connect();
      const count = 12;
      for (let i = 0; i < count; i++) await repo.saveJob(due(i), undefined);
      const deadline = new Date(Date.now() - 600_000);
      const claims = await Promise.all(
        Array.from({ length: 30 }, () =>
          repo.getNextJobToRun('work', new Date(), deadline, undefined, undefined),
        ),
      );
      const got = claims.filter(Boolean).map((j) => j!.data as number);
      assert.equal(new Set(got).size, got.length, 'no job handed out twice');
      let rest = 0;
      while (await repo.getNextJobToRun('work', new Date(), deadline, undefined, undefined)) rest++;
      assert.equal(got.length + rest, count);
    });
  });
}
