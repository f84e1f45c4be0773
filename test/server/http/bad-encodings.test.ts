/**
 * `Content-Encoding` on request bodies, over HTTP on SQLite and MariaDB: gzip, deflate and br are
 * decoded; another coding is 415 with `Accept-Encoding` (RFC 7694); bytes that are not what their
 * coding says are 400; a small body that inflates past the limit is 413. Bad ones store nothing.
 */
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { HTTP_ONLY_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { inputFunctions } from './support/input-functions.js';

const LIMIT = 16 * 1024;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

for (const kind of HTTP_ONLY_KINDS) {
  describe(`request Content-Encoding on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, { bodyLimit: LIMIT }, inputFunctions());
    });
    after(() => api.close());

    const post = (body: Uint8Array, contentEncoding?: string) =>
      api.request('/api/functions/echo/executions', {
        method: 'POST',
        body: new Uint8Array(body),
        headers: {
          'content-type': 'application/json',
          ...(contentEncoding !== undefined && { 'content-encoding': contentEncoding }),
        },
      });
    const stored = async () => Number((await api.db.knex(EXECUTIONS_TABLE).count({ n: '*' }).first())?.n);

    test('gzip, x-gzip, deflate, br, identity and stacked codings are decoded', async () => {
      const input = { value: { text: 'ünïcode ✓', list: [1, 2, 3] } };
      const cases: Array<[string, Buffer]> = [
        ['gzip', zlib.gzipSync(json(input))],
        ['x-gzip', zlib.gzipSync(json(input))],
        ['deflate', zlib.deflateSync(json(input))],
        ['br', zlib.brotliCompressSync(json(input))],
        ['identity', json(input)],
        ['GZip', zlib.gzipSync(json(input))],
        // Listed in the order applied: deflate first, then gzip.
        ['deflate, gzip', zlib.gzipSync(zlib.deflateSync(json(input)))],
      ];
      for (const [coding, body] of cases) {
        const res = await post(body, coding);
        assert.equal(res.status, 201, `${coding}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.status, 'done');
        assert.deepEqual(res.body.output, input, coding);
        assert.deepEqual((await api.executions.get(res.body.id)).input, input);
      }
    });

    test('an unsupported coding is 415 UnsupportedContentEncoding with Accept-Encoding; nothing is stored', async () => {
      const before = await stored();
      for (const coding of ['zstd', 'compress', 'gzip, zstd', 'x-unknown']) {
        const res = await post(json({ value: 1 }), coding);
        assert.equal(res.status, 415, coding);
        assert.equal(res.body.error.type, 'UnsupportedContentEncoding');
        assert.equal(res.body.error.details.contentEncoding, coding.split(', ').at(-1));
        assert.deepEqual(res.body.error.details.accepted, ['gzip', 'deflate', 'br']);
        assert.equal(res.headers.get('accept-encoding'), 'gzip, deflate, br');
      }
      assert.equal(await stored(), before);
    });

    test('a body that is not what its coding says is 400 InvalidContentEncoding; nothing is stored', async () => {
      const before = await stored();
      const gzipped = zlib.gzipSync(json({ value: 1 }));
      const cases: Array<[string, Uint8Array]> = [
        ['gzip', json({ value: 1 })],
        ['gzip', gzipped.subarray(0, gzipped.length - 6)],
        ['deflate', zlib.gzipSync(json({ value: 1 }))],
        ['br', json({ value: 1 })],
        ['gzip', Buffer.from([0x1f, 0x8b, 0xff, 0xff, 0xff])],
      ];
      for (const [coding, body] of cases) {
        const res = await post(body, coding);
        assert.equal(res.status, 400, `${coding}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.type, 'InvalidContentEncoding');
        assert.equal(res.body.error.details.contentEncoding, coding);
        assert.equal(typeof res.body.error.details.reason, 'string');
      }
      assert.equal(await stored(), before);
    });

    test('a small body inflating past the limit is 413 PayloadTooLarge (zip bomb); so is a large compressed one', async () => {
      const before = await stored();
      const inflating = json({ value: 'x'.repeat(50 * LIMIT) });
      for (const [coding, body] of [
        ['gzip', zlib.gzipSync(inflating)],
        ['br', zlib.brotliCompressSync(inflating)],
        ['deflate', zlib.deflateSync(inflating)],
      ] as const) {
        assert.ok(body.length < LIMIT, `${coding} is ${body.length} bytes on the wire`);
        const res = await post(body, coding);
        assert.equal(res.status, 413, coding);
        assert.equal(res.body.error.type, 'PayloadTooLarge');
        assert.equal(res.body.error.details.limit, LIMIT);
      }
      // A stack of codings is bounded at each step.
      const twice = zlib.gzipSync(zlib.gzipSync(Buffer.alloc(100 * LIMIT, 0x20)));
      assert.equal((await post(twice, 'gzip, gzip')).status, 413);
      const incompressible = zlib.gzipSync(
        json({
          value: Buffer.from(Array.from({ length: LIMIT }, (_, i) => (i * 7919) % 251)).toString('base64'),
        }),
        { level: 0 },
      );
      const large = await post(incompressible, 'gzip');
      assert.equal(large.status, 413);
      assert.equal(large.body.error.type, 'PayloadTooLarge');
      assert.equal(await stored(), before);
    });

    test('a body that is not UTF-8 is 400 InvalidJson; a byte-order mark is ignored', async () => {
      const latin1 = Buffer.from('{"value":"caf\xe9"}', 'latin1');
      const res = await post(latin1);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.type, 'InvalidJson');
      const bom = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ value: 'bom' })]));
      assert.equal(bom.status, 201);
      assert.deepEqual(bom.body.output, { value: 'bom' });
    });

    test('an empty body with a coding is the empty input, as without one', async () => {
      const res = await api.request('/api/functions/echo/executions', {
        method: 'POST',
        headers: { 'content-encoding': 'gzip' },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.type, 'ValidationError');
      assert.equal(res.body.error.details.errors[0].path, '/value');
    });
  });
}
