/**
 * `/turtle/elements.js`: built once by `scripts/build-elements.mjs` (one ES module, its brotli and gzip
 * copies, their ETags) and served from those files in the encoding the client accepts, with an ETag per
 * encoding and revalidation; a server where it was not built says so.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildElements, type Representation } from '../../../scripts/build-elements.mjs';
import { negotiateEncoding } from '../../../server/http/precompressed.js';
import { HTTP_ONLY_KINDS } from '../../support/databases.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { decoded, rawRequest } from './support/raw-http.js';

type Index = Record<'identity' | 'br' | 'gzip', Representation>;

let dir: string;
let index: Index;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-elements-'));
  fs.writeFileSync(path.join(dir, 'helper.ts'), 'export const greeting: string = "hello from the bundle";\n');
  // Big enough that compression shows.
  fs.writeFileSync(
    path.join(dir, 'entry.ts'),
    `import { greeting } from "./helper.js";\nexport class TestElement { readonly text = greeting; readonly lines = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `line ${i} of the bundle`))}; }\n`,
  );
  index = await buildElements({ entry: path.join(dir, 'entry.ts'), outDir: path.join(dir, 'out') });
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the elements build', () => {
  test('writes one ES module with its imports bundled, its .br and .gz, and an index of strong ETags', () => {
    const code = fs.readFileSync(path.join(dir, 'out/elements.js'), 'utf8');
    assert.match(code, /hello from the bundle/);
    assert.doesNotMatch(code, /from\s*["']\.\/helper/);
    assert.match(code, /export\s*\{/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'out/elements.json'), 'utf8')), index);
    assert.deepEqual(
      Object.values(index)
        .map((r) => r.file)
        .sort(),
      ['elements.js', 'elements.js.br', 'elements.js.gz'],
    );
    for (const r of Object.values(index)) {
      assert.match(r.etag, /^"[A-Za-z0-9_-]{43}"$/);
      assert.equal(fs.statSync(path.join(dir, 'out', r.file)).size, r.bytes);
    }
    assert.equal(new Set(Object.values(index).map((r) => r.etag)).size, 3, 'each encoding has its own ETag');
    assert.ok(index.br.bytes < index.identity.bytes && index.gzip.bytes < index.identity.bytes);
  });

  test("by default bundles the package's elements/index.ts into one module defining the elements", async () => {
    const out = path.join(dir, 'default');
    await buildElements({ outDir: out });
    const code = fs.readFileSync(path.join(out, 'elements.js'), 'utf8');
    assert.match(code, /turtle-form/);
    assert.doesNotMatch(code, /^\s*import\s/m, 'no imports left to resolve in the browser');
  });
});

describe('negotiating the encoding', () => {
  test('br, then gzip, by q-value; identity without a header or when both are refused', () => {
    assert.equal(negotiateEncoding(undefined), 'identity');
    assert.equal(negotiateEncoding(''), 'identity');
    assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(negotiateEncoding('gzip'), 'gzip');
    assert.equal(negotiateEncoding('x-gzip'), 'gzip');
    assert.equal(negotiateEncoding('br;q=0.5, gzip'), 'gzip');
    assert.equal(negotiateEncoding('br;q=0, gzip;q=0'), 'identity');
    assert.equal(negotiateEncoding('*'), 'br');
    assert.equal(negotiateEncoding('*;q=0.1, identity'), 'identity');
    assert.equal(negotiateEncoding('deflate'), 'identity');
    assert.equal(negotiateEncoding('BR ; Q=1'), 'br');
  });
});

for (const kind of HTTP_ONLY_KINDS) {
  describe(`serving the elements bundle on ${kind}`, () => {
    let api: ApiHarness;
    let missing: ApiHarness;
    before(async () => {
      api = await startApi(kind, {
        elementsDir: path.join(dir, 'out'),
        tokens: { a: 'a-token-0123456789abc' },
      });
      missing = await startApi(kind, { elementsDir: path.join(dir, 'not-built') });
    });
    after(async () => {
      await api.close();
      await missing.close();
    });

    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      [undefined, 'identity'],
    ] as const) {
      test(`Accept-Encoding ${accept ?? '(none)'}: the ${encoding} file, its ETag, Vary, and the same module decoded; public`, async () => {
        const res = await rawRequest(`${api.url}/turtle/elements.js`, {
          headers: accept ? { 'Accept-Encoding': accept } : {},
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-encoding'], encoding === 'identity' ? undefined : encoding);
        assert.match(res.headers.vary ?? '', /accept-encoding/i);
        assert.equal(res.headers.etag, index[encoding].etag);
        assert.equal(res.headers['cache-control'], 'no-cache');
        assert.match(res.headers['content-type'] ?? '', /^text\/javascript/);
        assert.equal(res.headers['access-control-allow-origin'], '*');
        assert.equal(Number(res.headers['content-length']), index[encoding].bytes);
        assert.deepEqual(res.body, fs.readFileSync(path.join(dir, 'out', index[encoding].file)));
        assert.deepEqual(decoded(res), fs.readFileSync(path.join(dir, 'out/elements.js')));
      });
    }

    test("answers 304 to If-None-Match with the ETag of the encoding it would send, and 200 to another encoding's", async () => {
      const br = await rawRequest(`${api.url}/turtle/elements.js`, {
        headers: { 'Accept-Encoding': 'br', 'If-None-Match': index.br.etag },
      });
      assert.equal(br.status, 304);
      assert.equal(br.body.length, 0);
      assert.equal(br.headers.etag, index.br.etag);
      assert.match(br.headers.vary ?? '', /accept-encoding/i);
      const weak = await rawRequest(`${api.url}/turtle/elements.js`, {
        headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': `W/${index.gzip.etag}` },
      });
      assert.equal(weak.status, 304);
      const otherEncoding = await rawRequest(`${api.url}/turtle/elements.js`, {
        headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': index.br.etag },
      });
      assert.equal(otherEncoding.status, 200);
      assert.equal(otherEncoding.headers['content-encoding'], 'gzip');
      const other = await rawRequest(`${api.url}/turtle/elements.js`, {
        headers: { 'If-None-Match': '"something-else"' },
      });
      assert.equal(other.status, 200);
    });

    test('HEAD answers the headers of GET without a body', async () => {
      const res = await rawRequest(`${api.url}/turtle/elements.js`, {
        method: 'HEAD',
        headers: { 'Accept-Encoding': 'br' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'br');
      assert.equal(res.headers.etag, index.br.etag);
      assert.equal(res.body.length, 0);
    });

    test('where it was not built: 404 ElementsNotBuilt saying to run npm run build, and a warning at start', async () => {
      const res = await missing.request('/turtle/elements.js');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.type, 'ElementsNotBuilt');
      assert.match(res.body.error.message, /npm run build/);
      assert.ok(missing.logs.some((line) => line.level === 40 && /not built/.test(String(line.msg))));
    });
  });
}
