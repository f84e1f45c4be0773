/**
 * `staticDir`: a folder served at `/` for a page embedding the elements; nothing outside it, no
 * dotfiles, and `/api` untouched.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startApi, type ApiHarness } from './support/api-harness.js';

describe('static files', () => {
  let api: ApiHarness;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turtle-static-'));
    fs.mkdirSync(path.join(dir, 'site'));
    fs.writeFileSync(path.join(dir, 'site', 'index.html'), '<!doctype html><title>legacy page</title>');
    fs.writeFileSync(path.join(dir, 'site', '.env'), 'SECRET=1');
    fs.writeFileSync(path.join(dir, 'outside.txt'), 'outside');
    api = await startApi('sqlite', { staticDir: path.join(dir, 'site') });
  });
  after(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves index.html at /, and nothing outside the folder or hidden', async () => {
    const page = await api.request('/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.body, /legacy page/);
    for (const p of ['/.env', '/%2e%2e/outside.txt', '/..%2foutside.txt']) {
      const res = await api.request(p);
      assert.ok(res.status === 404 || res.status === 403, `${p}: ${res.status}`);
      assert.equal(typeof res.body.error.type, 'string');
      assert.doesNotMatch(String(res.body), /SECRET|outside/);
    }
    assert.equal((await api.request('/api/functions')).status, 200);
  });

  test('a page gets the document security headers; JSON gets the API set; no HSTS over plain HTTP', async () => {
    const page = await api.request('/');
    for (const [name, value] of [['x-content-type-options', 'nosniff'], ['referrer-policy', 'no-referrer'], ['x-dns-prefetch-control', 'off'],
      ['x-download-options', 'noopen'], ['x-permitted-cross-domain-policies', 'none'], ['origin-agent-cluster', '?1']]) {
      assert.equal(page.headers.get(name!), value, name);
    }
    const json = await api.request('/api/functions');
    assert.equal(json.headers.get('cross-origin-resource-policy'), 'same-origin');
    for (const documentOnly of ['x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'origin-agent-cluster']) {
      assert.equal(json.headers.get(documentOnly), null, documentOnly);
    }
    for (const res of [page, json]) assert.equal(res.headers.get('strict-transport-security'), null, 'RFC 6797 §7.2: never over HTTP');
  });
});
