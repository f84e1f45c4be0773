/**
 * `staticDir`: a folder served at `/` for a page embedding the elements; nothing outside it, no
 * dotfiles, and `/api` untouched.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
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
    for (const [name, value] of [
      ['x-content-type-options', 'nosniff'],
      ['referrer-policy', 'no-referrer'],
      ['x-dns-prefetch-control', 'off'],
      ['x-download-options', 'noopen'],
      ['x-permitted-cross-domain-policies', 'none'],
      ['origin-agent-cluster', '?1'],
    ]) {
      assert.equal(page.headers.get(name!), value, name);
    }
    // Not framed by other sites; scripts, styles and calls from its own origin only.
    assert.equal(page.headers.get('x-frame-options'), 'SAMEORIGIN');
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "frame-ancestors 'self'",
      "object-src 'none'",
      "base-uri 'self'",
    ]) {
      assert.ok(csp.split(/;\s*/).includes(directive), `${directive} in ${csp}`);
    }
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    const json = await api.request('/api/functions');
    assert.equal(json.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.equal(json.headers.get('x-frame-options'), 'DENY');
    assert.equal(json.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    for (const notFound of ['/no-such-page', '/API/functions']) {
      const res = await api.request(notFound);
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', `${notFound} is JSON, not a document`);
    }
    for (const documentOnly of [
      'x-dns-prefetch-control',
      'x-download-options',
      'x-permitted-cross-domain-policies',
      'origin-agent-cluster',
    ]) {
      assert.equal(json.headers.get(documentOnly), null, documentOnly);
    }
    for (const res of [page, json])
      assert.equal(res.headers.get('strict-transport-security'), null, 'RFC 6797 §7.2: never over HTTP');
  });

  test('TRACE and other methods no route knows: a typed 405 with Allow where the path exists, else 501 NotImplemented', async () => {
    for (const [method, target, status, type, allow] of [
      ['TRACE', '/api/executions', 405, 'MethodNotAllowed', 'HEAD, GET'],
      ['PROPFIND', '/healthz', 405, 'MethodNotAllowed', 'HEAD, GET'],
      ['DELETE', '/api/functions/add/executions', 405, 'MethodNotAllowed', 'POST'],
      ['TRACE', '/', 501, 'NotImplemented', null],
      ['PROPFIND', '/index.html', 501, 'NotImplemented', null],
      ['TRACE', '/no/such/path', 501, 'NotImplemented', null],
      // Unknown to Node's HTTP parser: answered before the app, still in the API's error shape.
      ['BREW', '/', 501, 'NotImplemented', null],
      ['BREW', '/api/executions', 501, 'NotImplemented', null],
    ] as const) {
      const res = await rawRequest(api.url, method, target);
      assert.equal(res.status, status, `${method} ${target}`);
      assert.match(res.headers['content-type'] ?? '', /^application\/json/, `${method} ${target}`);
      assert.equal(JSON.parse(res.body).error.type, type, `${method} ${target}`);
      if (allow) assert.equal(res.headers.allow, allow);
    }
    const options = await rawRequest(api.url, 'OPTIONS', '/api/executions');
    assert.equal(options.status, 204);
    assert.equal(options.headers.allow, 'HEAD, GET');
    assert.equal(
      (await rawRequest(api.url, 'GET', '/no/such/path')).status,
      404,
      'a known method on no route stays 404',
    );
  });
});

/** A request with any method (fetch refuses TRACE), its body read as text. */
function rawRequest(
  base: string,
  method: string,
  target: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + target, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
