/**
 * A function run in the request whose end cannot be written, over HTTP: while the database refuses
 * only the end, the answer is the execution errored with `StorageUnavailable`; while it refuses any
 * end, `503 StorageUnavailable`. The function runs once either way; the cause is not answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASE_KINDS } from '../../support/databases.js';
import { installWriteFaults, type WriteFaults } from '../../support/write-faults.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { fixtureManifest, fixtureRegistry } from './support/fixture-functions.js';

for (const kind of DATABASE_KINDS) {
  describe(`a run in the request whose end cannot be written, over HTTP on ${kind}`, () => {
    let api: ApiHarness;
    let faults: WriteFaults;
    let runs = 0;
    const registry = fixtureRegistry();
    registry.addSync(
      function counted() {
        runs++;
        return 'ran';
      },
      { name: 'countedRun' },
    );
    const manifest = {
      ...fixtureManifest,
      functions: {
        ...fixtureManifest.functions,
        countedRun: {
          name: 'countedRun',
          functionName: 'counted',
          mode: 'sync' as const,
          call: 'positional' as const,
          params: { type: 'object' as const, properties: {}, additionalProperties: false },
          returns: {},
          source: 'functions.ts:1',
        },
      },
    };

    before(async () => {
      api = await startApi(
        kind,
        {},
        { registry, manifest, executions: { finalWriteRetry: { attempts: 4, delayMs: 10 } } },
      );
      faults = await installWriteFaults(api.db.knex);
    });
    after(() => api.close());

    // Four tries (as by default), 10, 40 and 160 ms apart rather than 0.25, 1 and 4 s.
    test(
      'refused end: the execution answered errored with StorageUnavailable, the function run once',
      { timeout: 60_000 },
      async () => {
        runs = 0;
        await faults.fail('done');
        try {
          const res = await api.request('/api/functions/countedRun/executions', { method: 'POST', json: {} });
          assert.equal(res.body.status, 'errored', JSON.stringify(res.body));
          assert.equal(res.body.error.type, 'StorageUnavailable');
          assert.equal(runs, 1);
        } finally {
          await faults.heal();
        }
      },
    );

    test(
      'no end can be written: 503 StorageUnavailable without the cause, the function run once',
      { timeout: 60_000 },
      async () => {
        runs = 0;
        await faults.fail('done', 'errored');
        try {
          const res = await api.request('/api/functions/countedRun/executions', { method: 'POST', json: {} });
          assert.equal(res.status, 503, JSON.stringify(res.body));
          assert.equal(res.body.error.type, 'StorageUnavailable');
          assert.equal(runs, 1);
          assert.ok(!JSON.stringify(res.body).includes('injected write fault'), 'the cause is not answered');
        } finally {
          await faults.heal();
        }
      },
    );
  });
}
