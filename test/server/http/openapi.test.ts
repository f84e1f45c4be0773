/**
 * `GET /api/openapi.json`: a valid OpenAPI 3.1 document (checked by a real validator) whose request
 * schemas are the functions' parameters and accept and reject what the API does, and which describes
 * every real answer of every route: its status is documented, and its body validates and has no field
 * the document does not declare.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { createOpenApiDocument } from '../../../server/http/openapi.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { fixtureManifest } from './support/fixture-functions.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

describe('the OpenAPI document', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi('sqlite', { tokens: { alice: 'alice-token-0123456789' } });
  });
  after(() => api.close());

  test('is served at /api/openapi.json and passes the OpenAPI 3.1 schema validator', async () => {
    const res = await api.request('/api/openapi.json', {
      headers: { Authorization: 'Bearer alice-token-0123456789' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(res.body);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.deepEqual(res.body.security, [{ bearer: [] }]);
  });

  test('has one create operation per function, with its parameters as the body and its result as output', async () => {
    const doc = createOpenApiDocument(fixtureManifest) as any;
    for (const name of Object.keys(fixtureManifest.functions)) {
      assert.ok(doc.paths[`/api/functions/${name}/executions`]?.post, name);
    }
    assert.ok(doc.paths['/api/functions/report/executions'].post.responses['202']);
    assert.ok(doc.paths['/api/functions/add/executions'].post.responses['201']);
    const validator = new Validator();
    assert.equal((await validator.validate(doc)).valid, true);
    const resolved = validator.resolveRefs() as any;
    const input =
      resolved.paths['/api/functions/report/executions'].post.requestBody.content['application/json'].schema;
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(input);
    assert.equal(validate({ text: 'x', flowcell_type: 'sbs' }), true);
    assert.equal(
      validate({ text: 'x', flowcell_type: 'other' }),
      false,
      'the hoisted enum definition is in force',
    );
    assert.equal(validate({ tags: [] }), false, 'required text');
    const output = resolved.components.schemas['add.execution'];
    const validateExecution = ajv.compile(output);
    const at = new Date().toISOString();
    const execution = {
      id: 'x',
      functionName: 'add',
      mode: 'sync',
      status: 'done',
      input: {},
      redactedInputs: [],
      error: null,
      traceback: null,
      state: null,
      progress: null,
      user: null,
      attempts: 1,
      createdAt: at,
      updatedAt: at,
      startedAt: at,
      finishedAt: at,
      rerunOf: null,
      scheduleId: null,
      nextRunAt: null,
      functionVersion: null,
    };
    assert.equal(validateExecution({ ...execution, output: 3 }), true);
    assert.equal(validateExecution({ ...execution, output: null }), true);
    assert.equal(validateExecution({ ...execution, output: 'three' }), false);
    const { traceback: _, ...withoutTraceback } = execution;
    assert.equal(
      validateExecution({ ...withoutTraceback, output: 3 }),
      false,
      'every field the server always sends is required',
    );
  });
});

type Json = Record<string, any>;

/** Paths in `value` (an answer) that `schema` (resolved) does not declare, following `properties`, `allOf` and `items`. */
function undeclared(value: unknown, schema: Json | undefined, at = ''): string[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value))
    return schema.items ? value.flatMap((item, i) => undeclared(item, schema.items, `${at}/${i}`)) : [];
  // A value declared by any one of the alternatives is declared.
  if (schema.anyOf)
    return schema.anyOf
      .map((part: Json) => undeclared(value, part, at))
      .reduce((a: string[], b: string[]) => (b.length < a.length ? b : a));
  const properties: Json = Object.assign(
    {},
    schema.properties,
    ...(schema.allOf ?? []).map((part: Json) => part.properties ?? {}),
  );
  if (Object.keys(properties).length === 0) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key in properties ? undeclared(v, properties[key], `${at}/${key}`) : [`${at}/${key}`],
  );
}

for (const kind of DATABASE_KINDS) {
  describe(`every real answer on ${kind} is described by the OpenAPI document`, () => {
    const token = 'alice-token-0123456789';
    let api: ApiHarness;
    let resolved: Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const seen = new Set<string>();

    before(async () => {
      api = await startApi(kind, { tokens: { alice: token }, withSchedules: true });
      const validator = new Validator();
      const doc = (await api.request('/api/openapi.json', { headers: { Authorization: `Bearer ${token}` } }))
        .body;
      assert.equal((await validator.validate(doc)).valid, true);
      resolved = validator.resolveRefs();
    });
    after(() => api.close());

    /** Requests `url` as operation `method template`, checks the answer against the document, returns its body. */
    async function answer(
      method: string,
      template: string,
      url: string,
      init: { json?: unknown; body?: string; headers?: Record<string, string>; auth?: boolean } = {},
    ): Promise<{ status: number; body: any }> {
      const headers: Record<string, string> = {
        ...(init.auth !== false && { Authorization: `Bearer ${token}` }),
        ...init.headers,
      };
      if (init.json !== undefined) headers['content-type'] = 'application/json';
      const controller = new AbortController();
      const res = await fetch(api.url + url, {
        method,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
        signal: controller.signal,
      });
      const operation = resolved.paths[template]?.[method.toLowerCase()];
      assert.ok(operation, `${method} ${template} is in the document`);
      const response = operation.responses[String(res.status)] ?? operation.responses.default;
      assert.ok(response, `${method} ${template}: ${res.status} is documented`);
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
      const content = response.content?.[type];
      assert.ok(content, `${method} ${template}: ${res.status} ${type} is documented`);
      seen.add(`${method} ${template}`);
      if (type === 'text/event-stream') {
        // A stream that never ends (all events) is checked by its headers; one execution's stream ends.
        if (template === '/api/events') {
          controller.abort();
          return { status: res.status, body: undefined };
        }
        const events = (await res.text())
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => JSON.parse(line.slice(6)));
        const event = resolved.components.schemas.ExecutionEvent;
        for (const e of events) {
          assert.ok(ajv.validate(event, e), `${method} ${template} event: ${ajv.errorsText()}`);
          assert.deepEqual(undeclared(e, event), []);
        }
        return { status: res.status, body: events };
      }
      const body = await res.json();
      assert.ok(
        ajv.validate(content.schema, body),
        `${method} ${template} ${res.status}: ${ajv.errorsText()}\n${JSON.stringify(body)}`,
      );
      assert.deepEqual(
        undeclared(body, content.schema),
        [],
        `${method} ${template} ${res.status}: fields the document does not declare`,
      );
      return { status: res.status, body };
    }

    test('every route, its successes and its errors', async () => {
      assert.equal((await answer('GET', '/api/openapi.json', '/api/openapi.json')).status, 200);
      assert.equal((await answer('GET', '/healthz', '/healthz', { auth: false })).status, 200);
      assert.equal((await answer('GET', '/api/functions', '/api/functions')).status, 200);
      assert.equal((await answer('GET', '/api/functions', '/api/functions', { auth: false })).status, 401);
      assert.equal((await answer('GET', '/api/functions/{name}', '/api/functions/report')).status, 200);
      assert.equal((await answer('GET', '/api/functions/{name}', '/api/functions/nope')).status, 404);

      const sum = await answer('POST', '/api/functions/add/executions', '/api/functions/add/executions', {
        json: { a: 1, b: 2 },
      });
      assert.equal(sum.status, 201);
      assert.equal(
        (
          await answer('POST', '/api/functions/add/executions', '/api/functions/add/executions', {
            json: { a: 1, b: 'x' },
          })
        ).status,
        400,
      );
      assert.equal(
        (
          await answer('POST', '/api/functions/add/executions', '/api/functions/add/executions', {
            body: 'a=1',
            headers: { 'content-type': 'text/plain' },
          })
        ).status,
        415,
      );
      assert.equal(
        (
          await answer('POST', '/api/functions/noop/executions', '/api/functions/noop/executions', {
            json: {},
          })
        ).status,
        201,
      );
      const boom = await answer(
        'POST',
        '/api/functions/explode/executions',
        '/api/functions/explode/executions',
        { json: {} },
      );
      assert.equal(boom.body.status, 'errored');
      const report = await answer(
        'POST',
        '/api/functions/report/executions',
        '/api/functions/report/executions',
        { json: { text: 'hi' } },
      );
      assert.equal(report.status, 202);
      const ran = await answer(
        'POST',
        '/api/functions/report/executions',
        '/api/functions/report/executions',
        { json: { text: 'ran' } },
      );
      assert.equal(
        (
          await answer('POST', '/api/functions/login/executions', '/api/functions/login/executions', {
            json: { user: 'a', password: 'hunter2' },
          })
        ).status,
        201,
      );
      assert.equal(
        (
          await answer('POST', '/api/functions/connect/executions', '/api/functions/connect/executions', {
            json: { server: { host: 'h', password: 'pw' } },
          })
        ).status,
        202,
      );
      await api.executions.advance(ran.body.id, { workerId: 'openapi-test' });

      const page = await answer('GET', '/api/executions', '/api/executions');
      assert.ok(page.body.items.length >= 5);
      assert.equal(
        (await answer('GET', '/api/executions', '/api/executions?function=report&status=done&limit=1')).body
          .items.length,
        1,
      );
      assert.equal((await answer('GET', '/api/executions', '/api/executions?limit=0')).status, 400);
      const full = await answer('GET', '/api/executions', '/api/executions?fields=full');
      assert.ok(
        full.body.items.every((item: Json) => 'input' in item && 'redactedInputs' in item),
        'fields=full answers whole executions',
      );
      for (const id of [sum.body.id, boom.body.id, report.body.id, ran.body.id]) {
        assert.equal((await answer('GET', '/api/executions/{id}', `/api/executions/${id}`)).status, 200);
      }
      const done = (await answer('GET', '/api/executions/{id}', `/api/executions/${ran.body.id}`)).body;
      assert.ok(
        done.progress && done.state && done.output,
        'a run with progress, a checkpoint and an output is among them',
      );
      assert.equal((await answer('GET', '/api/executions/{id}', '/api/executions/nope')).status, 404);
      assert.equal(
        (await answer('POST', '/api/executions/{id}/cancel', `/api/executions/${report.body.id}/cancel`))
          .status,
        200,
      );
      assert.equal(
        (await answer('POST', '/api/executions/{id}/cancel', `/api/executions/${report.body.id}/cancel`))
          .status,
        409,
      );
      assert.equal(
        (await answer('POST', '/api/executions/{id}/rerun', `/api/executions/${sum.body.id}/rerun`)).status,
        202,
      );
      assert.equal(
        (await answer('POST', '/api/executions/{id}/rerun', '/api/executions/nope/rerun')).status,
        404,
      );
      const { functionVersion: version } = sum.body as { functionVersion: string };
      const versions = '/api/functions/{name}/versions/{version}';
      assert.equal((await answer('GET', versions, `/api/functions/add/versions/${version}`)).status, 200);
      assert.equal(
        (await answer('GET', versions, `/api/functions/add/versions/${'0'.repeat(64)}`)).status,
        404,
      );
      assert.ok(
        (await answer('GET', '/api/executions/{id}/events', `/api/executions/${ran.body.id}/events`)).body
          .length >= 3,
      );
      assert.equal(
        (await answer('GET', '/api/executions/{id}/events', '/api/executions/nope/events')).status,
        404,
      );
      assert.equal((await answer('GET', '/api/events', '/api/events?function=add')).status, 200);

      const schedule = await answer('POST', '/api/schedules', '/api/schedules', {
        json: { function: 'connect', cron: '0 3 * * *', input: { server: { host: 'h', password: 'pw' } } },
      });
      assert.equal(schedule.status, 201);
      const at = `/api/schedules/${schedule.body.id}`;
      assert.equal(
        (
          await answer('POST', '/api/schedules', '/api/schedules', {
            json: { function: 'report', cron: 'x' },
          })
        ).status,
        400,
      );
      assert.equal((await answer('GET', '/api/schedules', '/api/schedules')).body.items.length, 1);
      assert.equal((await answer('GET', '/api/schedules/{id}', at)).status, 200);
      assert.equal((await answer('POST', '/api/schedules/{id}/pause', `${at}/pause`)).status, 200);
      assert.equal((await answer('POST', '/api/schedules/{id}/pause', `${at}/pause`)).status, 409);
      assert.equal((await answer('POST', '/api/schedules/{id}/resume', `${at}/resume`)).status, 200);
      assert.equal((await answer('DELETE', '/api/schedules/{id}', at)).status, 200);
      assert.equal((await answer('GET', '/api/schedules/{id}', at)).status, 404);
      assert.equal(
        (await answer('GET', '/api/executions', '/api/executions?schedule=nope')).body.items.length,
        0,
      );

      const documented = Object.entries(resolved.paths).flatMap(([template, item]) =>
        Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${template}`),
      );
      assert.deepEqual(
        documented.filter((op) => !seen.has(op)),
        [],
        'every documented operation was answered',
      );
    });
  });
}
