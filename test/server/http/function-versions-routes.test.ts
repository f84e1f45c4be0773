/**
 * Schema versions over HTTP (SQLite; the storage behind them is tested on every database in
 * `test/server/executions/function-versions.test.ts`): an execution's `functionVersion`,
 * `GET /api/functions/:name/versions/:version`, an old run shown (and its secrets masked) by the
 * version it ran with after the manifest changed, and a rerun answered `409 SchemaChanged`.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { pino } from 'pino';
import { createExecutions } from '../../../server/executions/index.js';
import { createApp } from '../../../server/http/create-app.js';
import { createOpenApiDocument } from '../../../server/http/openapi.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { REDACTED, type Execution } from '../../../api/execution.js';
import type { ErrorBody } from '../../../api/errors.js';
import type { FunctionVersionInfo } from '../../../api/functions.js';
import { manifestOf, type FunctionSpec } from '../../support/manifests.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

const registry = createRegistry();
registry.add(function sequence(sample: unknown) {
  return sample ?? null;
});

const v1: Record<string, FunctionSpec> = {
  sequence: {
    properties: {
      sample: { type: 'string', title: 'Sample' },
      token: { type: 'string', writeOnly: true },
      note: { type: 'string' },
    },
    required: ['sample'],
  },
};
/** `sample` renamed `sampleId`; the secret `token` renamed `apiToken`. */
const v2: Record<string, FunctionSpec> = {
  sequence: {
    properties: {
      sampleId: { type: 'string', title: 'Sample id' },
      apiToken: { type: 'string', writeOnly: true },
      note: { type: 'string' },
    },
    required: ['sampleId'],
  },
};

describe('schema versions over HTTP', () => {
  let api: ApiHarness;
  let later: { url: string; close(): Promise<void> };
  let oldRun: Execution & { functionVersion: string };

  before(async () => {
    api = await startApi('sqlite', {}, { registry, manifest: manifestOf(v1) });
    const res = await api.request('/api/functions/sequence/executions', {
      method: 'POST',
      json: { sample: 'S1', token: 'hush', note: 'n' },
    });
    assert.equal(res.status, 202);
    oldRun = res.body as Execution & { functionVersion: string };
    // The same database served by a process bound to the changed manifest.
    const functions = registry.bind(manifestOf(v2), { manifestDir: '.', checkSources: false });
    const executions = createExecutions({ knex: api.db.knex, functions });
    await executions.recordVersions();
    const app = createApp({ executions, functions, knex: api.db.knex, logger: pino({ level: 'silent' }) });
    const handle = app.callback();
    const server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    later = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
        }),
    };
  });
  after(async () => {
    await later.close();
    await api.close();
  });

  test('an execution carries its function version, and the version answers the entry it ran with', async () => {
    assert.match(oldRun.functionVersion, /^[0-9a-f]{64}$/);
    const detail = (await api.request(`/api/executions/${oldRun.id}`)).body as Execution;
    assert.equal(detail.functionVersion, oldRun.functionVersion);
    const res = await api.request(`/api/functions/sequence/versions/${oldRun.functionVersion}`);
    assert.equal(res.status, 200);
    const body = res.body as FunctionVersionInfo;
    assert.equal(body.version, oldRun.functionVersion);
    assert.equal(body.current, true);
    assert.equal(body.params.properties.sample?.title, 'Sample');
    assert.equal('source' in body, false);
    assert.ok(!Number.isNaN(Date.parse(body.firstSeenAt)));
  });

  test('an unknown version, or a malformed one, is 404 FunctionVersionNotFound', async () => {
    for (const version of ['0'.repeat(64), 'nope', encodeURIComponent('a\u0000')]) {
      const res = await api.request(`/api/functions/sequence/versions/${version}`);
      assert.equal(res.status, 404);
      assert.equal((res.body as ErrorBody).error.type, 'FunctionVersionNotFound');
    }
  });

  test('after the manifest changed, an old run is shown with its version and its secrets stay masked', async () => {
    const version = await fetch(`${later.url}/api/functions/sequence/versions/${oldRun.functionVersion}`);
    const entry = (await version.json()) as { current: boolean; params: { properties: object } };
    assert.equal(entry.current, false);
    assert.deepEqual(Object.keys(entry.params.properties), ['sample', 'token', 'note']);
    // `token` is no parameter now: the version it ran with says it is a secret.
    const detail = (await (await fetch(`${later.url}/api/executions/${oldRun.id}`)).json()) as {
      input: Record<string, unknown>;
      redactedInputs: string[];
      functionVersion: string;
    };
    assert.equal(detail.functionVersion, oldRun.functionVersion);
    assert.deepEqual(detail.input, { sample: 'S1', token: REDACTED, note: 'n' });
    assert.deepEqual(detail.redactedInputs, ['/token']);
    // A list does not read versions: what the current schema does not know is masked.
    const page = (await (await fetch(`${later.url}/api/executions?fields=full`)).json()) as {
      items: Array<{ id: string; input: Record<string, unknown> }>;
    };
    const listed = page.items.find((item) => item.id === oldRun.id)!;
    assert.deepEqual(listed.input, { sample: REDACTED, token: REDACTED, note: 'n' });
  });

  test('a rerun whose inputs no longer fit is 409 SchemaChanged, as the OpenAPI document says', async () => {
    const res = await fetch(`${later.url}/api/executions/${oldRun.id}/rerun`, { method: 'POST' });
    assert.equal(res.status, 409);
    const body = (await res.json()) as { error: { type: string; details: Record<string, unknown> } };
    assert.equal(body.error.type, 'SchemaChanged');
    assert.deepEqual(body.error.details.changes, [
      { kind: 'renamed', from: 'sample', to: 'sampleId' },
      { kind: 'renamed', from: 'token', to: 'apiToken' },
    ]);
    assert.deepEqual(body.error.details.fitting, ['note']);
    assert.deepEqual(body.error.details.values, { note: 'n' });
    assert.ok(!JSON.stringify(body).includes('hush'), 'the secret is not sent');
    const doc = createOpenApiDocument(manifestOf(v2)) as { components: { schemas: Record<string, object> } };
    const validate = new Ajv2020({ strict: false }).compile(doc.components.schemas.SchemaChangedError!);
    assert.ok(validate(body), JSON.stringify(validate.errors));
  });
});
