/**
 * JSON answers above 1 KB are compressed (br or gzip, as the client accepts) and decode to the same
 * JSON; small answers and event streams are sent as they are, events arriving as they happen.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { COMPRESS_THRESHOLD } from '../../../server/http/compression.js';
import { HTTP_ONLY_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { decoded, rawRequest } from './support/raw-http.js';

for (const kind of HTTP_ONLY_KINDS) {
  describe(`compression on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind);
      for (let i = 0; i < 20; i++)
        assert.equal(
          (await api.request('/api/functions/add/executions', { method: 'POST', json: { a: i, b: 1 } }))
            .status,
          201,
        );
    });
    after(() => api.close());

    for (const encoding of ['br', 'gzip'] as const) {
      test(`a JSON answer over ${COMPRESS_THRESHOLD} bytes is sent ${encoding}, varies by Accept-Encoding and decodes to the same JSON`, async () => {
        const plain = await rawRequest(`${api.url}/api/executions?limit=20`);
        assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: as it is');
        assert.ok(plain.body.length > COMPRESS_THRESHOLD, `the answer is ${plain.body.length} bytes`);
        const res = await rawRequest(`${api.url}/api/executions?limit=20`, {
          headers: { 'Accept-Encoding': encoding === 'br' ? 'gzip, deflate, br' : 'gzip' },
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-encoding'], encoding);
        assert.match(res.headers.vary ?? '', /accept-encoding/i);
        assert.match(res.headers['content-type'] ?? '', /^application\/json/);
        assert.ok(res.body.length < plain.body.length);
        assert.deepEqual(JSON.parse(decoded(res).toString('utf8')), JSON.parse(plain.body.toString('utf8')));
      });
    }

    test('a small JSON answer is sent as it is', async () => {
      const res = await rawRequest(`${api.url}/api/functions/add`, {
        headers: { 'Accept-Encoding': 'br, gzip' },
      });
      assert.equal(res.status, 200);
      assert.ok(res.body.length < COMPRESS_THRESHOLD);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.equal(JSON.parse(res.body.toString('utf8')).name, 'add');
    });

    test('an event stream is never compressed: each event arrives as written, while the stream stays open', async () => {
      const req = http.get(`${api.url}/api/events`, {
        headers: { 'Accept-Encoding': 'br, gzip', Accept: 'text/event-stream' },
      });
      try {
        const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
          req.once('response', resolve);
          req.once('error', reject);
        });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-encoding'], undefined);
        assert.match(res.headers['content-type'] ?? '', /^text\/event-stream/);
        let text = '';
        const opened = new Promise<void>((resolve) =>
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (text.includes(': stream open')) resolve();
          }),
        );
        await opened;
        const event = new Promise<void>((resolve) =>
          res.on('data', () => {
            if (/data: \{.*"executionId"/.test(text)) resolve();
          }),
        );
        assert.equal(
          (await api.request('/api/functions/add/executions', { method: 'POST', json: { a: 1, b: 2 } }))
            .status,
          201,
        );
        await event;
        assert.equal(res.complete, false, 'the stream is still open');
      } finally {
        req.destroy();
      }
    });
  });
}
