/**
 * `/turtle/elements.js`: one ES module built from the elements entry, with a strong ETag and
 * revalidation.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildElementsBundle, defaultElementsEntry } from '../../../server/http/elements-bundle.js';
import { startApi, type ApiHarness } from './support/api-harness.js';

describe('the elements bundle', () => {
  let api: ApiHarness;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-elements-'));
    fs.writeFileSync(path.join(dir, 'helper.ts'), 'export const greeting: string = "hello from the bundle";\n');
    fs.writeFileSync(path.join(dir, 'entry.ts'), 'import { greeting } from "./helper.js";\nexport class TestElement { readonly text = greeting; }\n');
    api = await startApi('sqlite', { elementsEntry: path.join(dir, 'entry.ts'), tokens: { a: 'a-token-0123456789abc' } });
  });
  after(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('is one ES module with imports bundled, a strong ETag and Cache-Control: no-cache; public', async () => {
    const res = await fetch(`${api.url}/turtle/elements.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.match(res.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]{43}"$/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const code = await res.text();
    assert.match(code, /hello from the bundle/);
    assert.doesNotMatch(code, /from\s*["']\.\/helper/);
    assert.match(code, /export\s*\{/);
  });

  test('answers 304 to If-None-Match with its ETag, and 200 to another tag', async () => {
    const first = await fetch(`${api.url}/turtle/elements.js`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${api.url}/turtle/elements.js`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    const other = await fetch(`${api.url}/turtle/elements.js`, { headers: { 'If-None-Match': '"something-else"' } });
    assert.equal(other.status, 200);
  });

  test("the default entry is the package's elements/index.ts, and it bundles into one module defining the elements", async () => {
    assert.equal(defaultElementsEntry(), path.resolve('elements/index.ts'));
    const { code } = await buildElementsBundle(defaultElementsEntry());
    assert.match(code, /turtle-form/);
    assert.doesNotMatch(code, /^\s*import\s/m, 'no imports left to resolve in the browser');
  });
});
