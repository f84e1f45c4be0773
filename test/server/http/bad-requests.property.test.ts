/**
 * Property: whatever a client sends — broken JSON, wrong types, huge or deep bodies, odd unicode, SQL
 * and HTML payloads in every field and header, unknown ids, numbers past 2^53 or 1e308, escaped lone
 * surrogates, any Content-Encoding on any bytes — the API answers without a 5xx, every error has a
 * type and a message, and the executions already stored are unchanged.
 *
 * 1,000 generated requests on each database; a few seconds each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { EVENTS_TABLE, EXECUTIONS_TABLE } from '../../../server/storage/tables.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

/** Percent-encodes a path segment; a lone surrogate (which no URL can carry) becomes U+FFFD first. */
const segment = (value: string): string => {
  // `.` and `..` (even percent-encoded) are dot segments: fetch would resolve them to another route.
  const safe = /^\.{1,2}$/.test(value) ? `${value}x` : value;
  return encodeURIComponent(Buffer.from(safe, 'utf8').toString('utf8'));
};

const PAYLOADS = [
  "' OR 1=1 --",
  "'; DROP TABLE turtle_executions; --",
  '" OR ""="',
  '1; SELECT SLEEP(5)',
  "admin'/*",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '\u0000',
  '\uFFFF',
  '\uD800',
  '\uDFFF',
  '\u202E',
  'Z\u0351\u0350\u0358',
  '😀'.repeat(50),
  '\r\n',
  '%00',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '1e309',
  '',
];

const payload = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);
/** A header value fetch can send (ASCII, no CR/LF). */
const headerValue = fc.oneof(
  fc.constantFrom(...PAYLOADS.filter((p) => /^[\x20-\x7e]*$/.test(p))),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 300,
  }),
);

const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    payload,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(payload, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const functionName = fc.oneof(fc.constantFrom('add', 'noop', 'report', 'explode'), payload);
const deep = fc.integer({ min: 1, max: 3000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
const huge = fc.integer({ min: 10_000, max: 40_000 }).map((n) => JSON.stringify({ text: 'x'.repeat(n) }));
const broken = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.constantFrom('{', '{"a":}', '[1,]', '{"a":1}{', 'nul', '{"text":"\\x"}', '\u0000{}'),
);
const wrongTypes = fc
  .record(
    { a: jsonish, b: jsonish, text: jsonish, tags: jsonish, flowcell_type: jsonish },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));
/** Number literals JSON.stringify never writes: past ±(2^53 − 1), past 1e308, below 5e-324. */
const oddNumber = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom('1e400', '-1e999', '1e-400', '9007199254740993', '-0.0e-0', '0e999'),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -999, max: 999 })).map(([m, e]) => `${m}e${e}`),
);
/** Escapes JSON.stringify never writes: lone surrogates, and pairs split or reversed. */
const oddEscape = fc.constantFrom(
  '\\ud800',
  '\\udfff',
  '\\ude00\\ud83d',
  '\\ud83d\\ude00',
  '\\ud83d',
  '\\u0000',
);
const oddLiterals = fc
  .record({
    key: fc.oneof(fc.constantFrom('a', 'b', 'text', 'value'), oddEscape),
    num: oddNumber,
    esc: oddEscape,
  })
  .map(({ key, num, esc }) => `{"a": ${num}, "b": 1, "text": "x${esc}", "${key}": [${num}, "${esc}"]}`);
const body = fc.oneof(
  broken,
  wrongTypes,
  jsonish.map((v) => JSON.stringify(v) ?? 'undefined'),
  deep,
  huge,
  oddLiterals,
);
/** A Content-Encoding header and what the body's bytes become: encoded as it says, or not. */
const encoding = fc.option(
  fc.record({
    header: fc.constantFrom(
      'gzip',
      'x-gzip',
      'deflate',
      'br',
      'identity',
      'zstd',
      'compress',
      'gzip, br',
      'GZIP',
      'gzip,gzip',
      ' , ',
      'deflate;q=1',
    ),
    honest: fc.boolean(),
  }),
  { nil: undefined },
);
const ENCODERS: Record<string, (bytes: Buffer) => Buffer> = {
  gzip: zlib.gzipSync,
  'x-gzip': zlib.gzipSync,
  deflate: zlib.deflateSync,
  br: zlib.brotliCompressSync,
};
/** `text` encoded with the codings `header` lists (in order), those we know. */
const encode = (text: string, header: string): Uint8Array<ArrayBuffer> => {
  let bytes: Buffer = Buffer.from(text);
  for (const coding of header.split(',').map((c) => c.trim().toLowerCase()))
    bytes = ENCODERS[coding]?.(bytes) ?? bytes;
  return new Uint8Array(bytes);
};
const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('application/json; charset=utf-8'),
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    'application/xml',
    '',
  ),
);
const unknownId = fc.oneof(fc.uuid(), payload, fc.constantFrom('%', '%E0%A4%A', '%2e%2e%2f', '%ZZ'));

interface BadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

const create = fc
  .record({
    fn: functionName,
    body,
    contentType,
    key: fc.option(headerValue, { nil: undefined }),
    requestId: fc.option(headerValue, { nil: undefined }),
    encoding,
  })
  .map(({ fn, body, contentType, key, requestId, encoding }): BadRequest => ({
    method: 'POST',
    path: `/api/functions/${segment(fn)}/executions`,
    headers: {
      ...(contentType && { 'content-type': contentType }),
      ...(key !== undefined && { 'idempotency-key': key }),
      ...(requestId !== undefined && { 'x-request-id': requestId }),
      ...(encoding && { 'content-encoding': encoding.header }),
    },
    body: encoding?.honest ? encode(body, encoding.header) : body,
  }));
const list = fc
  .dictionary(
    fc.constantFrom(
      'function',
      'status',
      'user',
      'limit',
      'cursor',
      'createdAfter',
      'createdBefore',
      'other',
    ),
    payload,
    { maxKeys: 5 },
  )
  .map((query): BadRequest => ({
    method: 'GET',
    path: `/api/executions?${new URLSearchParams(query)}`,
    headers: {},
  }));
const byId = fc
  .record({
    id: unknownId,
    action: fc.constantFrom('', '/cancel', '/rerun', '/events'),
    lastEventId: fc.option(headerValue, { nil: undefined }),
  })
  .map(({ id, action, lastEventId }): BadRequest => ({
    method: action === '/cancel' || action === '/rerun' ? 'POST' : 'GET',
    path: `/api/executions/${/^%/.test(id) ? id : segment(id)}${action}`,
    headers: lastEventId !== undefined ? { 'last-event-id': lastEventId } : {},
  }));
const describeFn = functionName.map((fn): BadRequest => ({
  method: 'GET',
  path: `/api/functions/${segment(fn)}`,
  headers: {},
}));
const badRequest = fc.oneof(
  { weight: 5, arbitrary: create },
  { weight: 2, arbitrary: list },
  { weight: 2, arbitrary: byId },
  { weight: 1, arbitrary: describeFn },
);

for (const kind of DATABASE_KINDS) {
  describe(`1,000 bad requests on ${kind}`, () => {
    let api: ApiHarness;
    before(async () => {
      api = await startApi(kind, { bodyLimit: 16 * 1024 });
      await api.request('/api/functions/add/executions', { method: 'POST', json: { a: 1, b: 2 } });
      await api.request('/api/functions/explode/executions', { method: 'POST', json: {} });
      await api.request('/api/functions/report/executions', {
        method: 'POST',
        json: { text: 'stored before' },
      });
    });
    after(() => api.close());

    const snapshot = async () => ({
      executions: await api.db.knex(EXECUTIONS_TABLE).select().orderBy('id'),
      events: await api.db.knex(EVENTS_TABLE).select().orderBy('id'),
    });

    test('no 5xx, typed errors, stored executions unchanged', async () => {
      const before = await snapshot();
      assert.equal(before.executions.length, 3);
      let count = 0;
      await fc.assert(
        fc.asyncProperty(badRequest, async (request) => {
          count++;
          if (process.env.TURTLE_DEBUG_PROPERTY)
            console.error(
              count,
              request.method,
              request.path.slice(0, 80),
              JSON.stringify(request.headers).slice(0, 80),
              String(request.body?.slice(0, 60)),
            );
          const res = await fetch(api.url + request.path, {
            method: request.method,
            headers: request.headers,
            signal: AbortSignal.timeout(10_000),
            ...(request.body !== undefined && { body: request.body }),
          });
          const text = await res.text();
          assert.ok(
            res.status < 500,
            `${res.status} for ${request.method} ${request.path}: ${text.slice(0, 300)}`,
          );
          if (res.status >= 400) {
            const parsed = JSON.parse(text) as { error?: { type?: unknown; message?: unknown } };
            assert.equal(typeof parsed.error?.type, 'string');
            assert.ok((parsed.error!.type as string).length > 0);
            assert.equal(typeof parsed.error?.message, 'string');
            assert.ok((parsed.error!.message as string).length > 0);
          }
        }),
        { numRuns: 1000, endOnFailure: true },
      );
      assert.equal(count, 1000);
      const afterwards = await snapshot();
      const ids = new Set(before.executions.map((row) => row.id));
      assert.deepEqual(
        afterwards.executions.filter((row) => ids.has(row.id)),
        before.executions,
      );
      const eventIds = new Set(before.events.map((row) => row.id));
      assert.deepEqual(
        afterwards.events.filter((row) => eventIds.has(row.id)),
        before.events,
      );
      assert.equal(
        api.logs.filter((l) => (l.level as number) >= 50).length,
        0,
        'nothing unexpected was logged',
      );
    });
  });
}
