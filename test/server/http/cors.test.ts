/**
 * CORS: an allowlist with credentials, never a wildcard with credentials, and preflights that need
 * no token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApi, type ApiHarness } from './support/api-harness.js';

const preflight = (api: ApiHarness, origin: string) =>
  fetch(`${api.url}/api/functions/add/executions`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key',
    },
  });

describe('CORS with an allowlist (auth on)', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi('sqlite', {
      corsOrigins: ['https://legacy.example'],
      tokens: { alice: 'alice-token-0123456789' },
    });
  });
  after(() => api.close());

  test('a preflight from a listed origin is allowed with credentials, without a token', async () => {
    const res = await preflight(api, 'https://legacy.example');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://legacy.example');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/i);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
  });

  test('an unlisted origin gets no CORS headers', async () => {
    const res = await preflight(api, 'https://evil.example');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });

  test('actual responses, errors included, carry the CORS headers and expose Location and X-Request-Id', async () => {
    const res = await fetch(`${api.url}/api/functions`, { headers: { Origin: 'https://legacy.example' } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://legacy.example');
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /Location/);
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/);
  });
});

describe('CORS with a wildcard', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi('sqlite', { corsOrigins: ['*'] });
  });
  after(() => api.close());

  test('any origin is allowed, never with credentials', async () => {
    const res = await preflight(api, 'https://anywhere.example');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });
});

describe('CORS off (default)', () => {
  let api: ApiHarness;
  before(async () => {
    api = await startApi('sqlite');
  });
  after(() => api.close());

  test('no CORS headers for any origin', async () => {
    const res = await preflight(api, 'https://legacy.example');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});
