/**
 * Secrets (`writeOnly` inputs, e.g. `Secret`) are never returned, listed or streamed: every answer
 * masks them and lists where they were (`redactedInputs`), while the stored value stays so that a
 * rerun uses it. On SQLite and MariaDB, through the real app.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { REDACTED } from '../../../api/execution.js';
import { maskSecrets } from '../../../server/presentation/secret-inputs.js';
import type { Schema } from '../../../manifest/manifest.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness.js';
import { openSse } from './support/sse-client.js';

const SECRET = 'hunter2-Sekr3t-do-not-show';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

for (const kind of DATABASE_KINDS) {
  describe(`secret inputs on ${kind}`, () => {
    let api: ApiHarness;
    /** Every answer body seen, to check that none carries the secret. */
    const answers: Array<{ what: string; body: unknown }> = [];
    const call = async (
      what: string,
      path: string,
      init?: Parameters<ApiHarness['request']>[1],
    ): Promise<ApiResponse> => {
      const res = await api.request(path, init);
      answers.push({ what, body: res.body });
      return res;
    };

    before(async () => {
      api = await startApi(kind);
    });
    after(() => api.close());

    test('create, idempotent replay, get, list and rerun mask the secret; the rerun runs with the stored one', async () => {
      const events = await openSse(`${api.url}/api/events`);
      const init = {
        method: 'POST',
        json: { user: 'ana', password: SECRET },
        headers: { 'Idempotency-Key': `login-${kind}` },
      };
      const created = await call('create', '/api/functions/login/executions', init);
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.input, { user: 'ana', password: REDACTED });
      assert.deepEqual(created.body.redactedInputs, ['/password']);
      assert.equal(created.body.output.passwordSha256, sha256(SECRET));

      const replay = await call('idempotent replay', '/api/functions/login/executions', init);
      assert.equal(replay.body.id, created.body.id);
      assert.deepEqual(replay.body.input, { user: 'ana', password: REDACTED });

      const one = await call('get', `/api/executions/${created.body.id}`);
      assert.deepEqual(one.body.input, { user: 'ana', password: REDACTED });
      assert.deepEqual(one.body.redactedInputs, ['/password']);

      const full = await call('list full', '/api/executions?fields=full&function=login');
      assert.deepEqual(
        full.body.items.map((e: { input: unknown }) => e.input),
        [{ user: 'ana', password: REDACTED }],
      );
      const summaries = await call('list', '/api/executions?function=login');
      assert.equal(summaries.body.items[0].input, undefined);

      const rerun = await call('rerun', `/api/executions/${created.body.id}/rerun`, { method: 'POST' });
      assert.equal(rerun.status, 202);
      assert.equal(rerun.body.rerunOf, created.body.id);
      assert.deepEqual(rerun.body.input, { user: 'ana', password: REDACTED });
      assert.equal(
        rerun.body.output.passwordSha256,
        sha256(SECRET),
        'the rerun received the original secret',
      );

      // Stored as given: only answers are masked.
      assert.equal((await api.executions.get(rerun.body.id)).input.password, SECRET);
      await events.waitFor((messages) =>
        messages.some((m) => m.data.includes(rerun.body.id) && m.data.includes('"to":"done"')),
      );
      events.close();
      assert.ok(events.messages.length > 0);
      assert.ok(
        events.messages.every((m) => !m.data.includes(SECRET)),
        'no event carries the secret',
      );
      for (const { what, body } of answers)
        assert.ok(!JSON.stringify(body).includes(SECRET), `${what} carries the secret`);
    });

    test('nested secrets (an object property behind $ref, array items) are masked; cancel too; an async rerun uses them', async () => {
      const input = {
        server: { host: 'db.example', password: SECRET },
        keys: [`${SECRET}-1`, `${SECRET}-22`],
      };
      const created = await call('create', '/api/functions/connect/executions', {
        method: 'POST',
        json: input,
      });
      assert.equal(created.status, 202);
      assert.deepEqual(created.body.input, {
        server: { host: 'db.example', password: REDACTED },
        keys: [REDACTED, REDACTED],
      });
      assert.deepEqual(created.body.redactedInputs, ['/server/password', '/keys/0', '/keys/1']);

      const rerun = await call('rerun', `/api/executions/${created.body.id}/rerun`, { method: 'POST' });
      assert.deepEqual(rerun.body.input, created.body.input);
      const { execution } = await api.executions.advance(rerun.body.id, { workerId: 'secret-test' });
      assert.equal(execution.status, 'done');
      const done = await call('get', `/api/executions/${rerun.body.id}`);
      assert.deepEqual(done.body.output, {
        host: 'db.example',
        passwordLength: SECRET.length,
        keyLengths: [SECRET.length + 2, SECRET.length + 3],
      });
      assert.deepEqual(done.body.input.keys, [REDACTED, REDACTED]);

      const cancelled = await call('cancel', `/api/executions/${created.body.id}/cancel`, { method: 'POST' });
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.deepEqual(cancelled.body.input.server, { host: 'db.example', password: REDACTED });
      for (const { what, body } of answers)
        assert.ok(!JSON.stringify(body).includes(SECRET), `${what} carries the secret`);
    });

    test('functions without secrets answer their inputs as given, with redactedInputs empty', async () => {
      const res = await api.request('/api/functions/add/executions', {
        method: 'POST',
        json: { a: 1, b: 2 },
      });
      assert.deepEqual(res.body.input, { a: 1, b: 2 });
      assert.deepEqual(res.body.redactedInputs, []);
    });
  });
}

describe('maskSecrets', () => {
  test('follows anyOf branches, additionalProperties and tuple items; leaves what is not given alone', () => {
    const params = {
      type: 'object',
      properties: {
        choice: {
          anyOf: [
            { type: 'string' },
            { type: 'object', properties: { token: { type: 'string', writeOnly: true } } },
          ],
        },
        vault: { type: 'object', additionalProperties: { type: 'string', writeOnly: true } },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'string', writeOnly: true }] },
        'a/b~c': { type: 'string', writeOnly: true },
        optional: { type: 'string', writeOnly: true },
      },
    } as unknown as Schema;
    const masked = maskSecrets(params, {
      choice: { token: 't' },
      vault: { x: '1', y: '2' },
      pair: ['open', 'closed'],
      'a/b~c': 's',
    });
    assert.deepEqual(masked.input, {
      choice: { token: REDACTED },
      vault: { x: REDACTED, y: REDACTED },
      pair: ['open', REDACTED],
      'a/b~c': REDACTED,
    });
    assert.deepEqual(masked.redacted, ['/choice/token', '/vault/x', '/vault/y', '/pair/1', '/a~1b~0c']);
    assert.deepEqual(maskSecrets(params, { choice: 'plain' }).input, { choice: 'plain' });
  });
});
