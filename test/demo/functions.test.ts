/**
 * The demo's richer functions, end to end through the executions service and an in-process worker
 * on SQLite, loaded as `npm run demo` loads them (the module and its committed manifest):
 * `runReport`'s nested records are stored as its return type declares them, and `basecall` waits
 * on its simulated cluster (`pending`, then `poll`) before it finishes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { pino } from 'pino';
import { ajvSchema } from '../../manifest/ajv-schema.js';
import type { Manifest, Schema } from '../../manifest/manifest.js';
import type { ExecutionEvent } from '../../server/executions/index.js';
import { openRuntime, type Runtime } from '../../server/runtime.js';
import { createScheduler, type Scheduler } from '../../server/scheduler/index.js';
import { ROOT } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { nextEvent } from '../support/executions.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats: FormatsPlugin = addFormatsModule.default ?? (addFormatsModule as unknown as FormatsPlugin);
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'demo/turtle.schema.json'), 'utf8')) as Manifest;

/** A validator of `schema` (a return type from the manifest), formats checked. */
function validatorOf(schema: Schema) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(ajvSchema(schema));
}

const statusPath = (events: ExecutionEvent[]): string =>
  events
    .filter((e) => e.kind === 'status')
    .map((e) => e.to)
    .join(' ');

describe('the demo functions on SQLite', () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let scheduler: Scheduler | undefined;

  before(async () => {
    db = await createTestDatabase('sqlite', 'demo');
    runtime = await openRuntime(
      {
        databaseUrl: db.url,
        functions: path.join(ROOT, 'demo/functions.ts'),
        manifest: path.join(ROOT, 'demo/turtle.schema.json'),
      },
      { logger: pino({ level: 'silent' }), scheduler: { enqueue: (e) => scheduler?.enqueue(e) } },
    );
    scheduler = createScheduler({ knex: runtime.knex, executions: runtime.executions });
    await scheduler.startWorker({ processEvery: 200, sweepEvery: 0, heartbeatTtlMs: 5_000 });
  });
  after(async () => {
    await scheduler?.stop(2_000);
    await runtime?.close();
    await db?.destroy();
  });

  it('stores the run report as its declared nested records', async () => {
    const { executions } = runtime;
    const submitted = await executions.submit('runReport', {
      run_id: '240611_A01234_0042_BHXYZ',
      samples: 6,
    });
    assert.equal(submitted.status, 'done');
    const stored = await executions.get(submitted.id);
    const returns = manifest.functions.runReport!.returns;
    const validate = validatorOf(returns);
    assert.ok(validate(stored.output), JSON.stringify(validate.errors));
    const report = stored.output as {
      run: { runId: string; startedAt: string; finishedAt: string };
      totals: { samples: number; failed: number };
      samples: { sampleId: string; verdict: string; report: string; sequencedAt: string }[];
    };
    assert.equal(report.run.runId, '240611_A01234_0042_BHXYZ');
    assert.ok(Date.parse(report.run.startedAt) < Date.parse(report.run.finishedAt));
    assert.equal(report.totals.samples, 6);
    assert.equal(report.samples.length, 6, 'one record per sample');
    assert.equal(report.totals.failed, report.samples.filter((s) => s.verdict === 'fail').length);
    for (const sample of report.samples)
      assert.match(sample.report, /^https:\/\/qc\.example\.org\/runs\/240611_A01234_0042_BHXYZ\/CL-/);
    // Every nested level is declared, so the elements can title it: no property goes undescribed.
    const undescribed: string[] = [];
    const walk = (schema: Record<string, unknown>, at: string): void => {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, property] of Object.entries(properties)) {
        if (typeof property.description !== 'string') undescribed.push(`${at}/${name}`);
        walk(property, `${at}/${name}`);
        if (property.items) walk(property.items as Record<string, unknown>, `${at}/${name}/items`);
      }
    };
    walk(returns as Record<string, unknown>, '');
    assert.deepEqual(undescribed, []);
  });

  it('waits on the simulated cluster, polling it, then finishes with the files', async () => {
    const { executions } = runtime;
    const created = await executions.submit('basecall', {
      flowcell_barcode: 'HXYZ7DSX7',
      cluster_seconds: 2.5,
    });
    assert.equal(created.status, 'created');
    const waiting = nextEvent(executions, (e) => e.executionId === created.id && e.to === 'waiting');
    const finished = nextEvent(
      executions,
      (e) => e.executionId === created.id && ['done', 'errored', 'cancelled'].includes(e.to ?? ''),
      15_000,
    );
    const { execution: whileWaiting } = await waiting;
    assert.equal(whileWaiting.status, 'waiting');
    assert.ok(whileWaiting.nextRunAt, 'when the cluster is asked next is visible');
    assert.equal((whileWaiting.state as { flowcell: string }).flowcell, 'HXYZ7DSX7');
    const { execution: ended } = await finished;
    assert.equal(ended.status, 'done', JSON.stringify(ended.error));
    const stored = await executions.get(created.id);
    assert.equal(
      statusPath(stored.events),
      'created started validated running waiting running waiting running done',
      'asked the cluster twice: still busy after 2 s, done after 2.5 s',
    );
    assert.ok(
      stored.events.some((e) => e.kind === 'progress' && /s left/.test(JSON.stringify(e.data))),
      'the look that found the cluster busy reported how far it got',
    );
    const validate = validatorOf(manifest.functions.basecall!.returns);
    assert.ok(validate(stored.output), JSON.stringify(validate.errors));
    assert.deepEqual(
      { ...(stored.output as Record<string, unknown>), jobId: undefined },
      {
        jobId: undefined,
        flowcell: 'HXYZ7DSX7',
        checks: 2,
        fastq: 'https://data.example.org/fastq/HXYZ7DSX7/',
      },
    );
  });
});
