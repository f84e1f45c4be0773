/**
 * Configuring completion webhooks (SQLite only: nothing here is about storage): URLs are checked
 * when read, `notify` when a function is registered, and a server with any receiver but no valid
 * TURTLE_WEBHOOK_SECRET refuses to start, never echoing a secret.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { RegistryError } from '../../../server/errors.js';
import { createRegistry } from '../../../server/registry/registry.js';
import { checkWebhookSecret } from '../../../server/webhooks/webhook-settings.js';
import { WebhookTargets } from '../../../server/webhooks/webhook-targets.js';
import { FIXTURE_MODULE } from '../../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { spawnServe } from '../../support/serve-process.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

test('TURTLE_WEBHOOK_URLS and --webhook-urls take http(s) URLs, each once', () => {
  const env = {
    TURTLE_WEBHOOK_URLS: ' https://a.example/hook , http://b.example:8080,https://a.example/hook',
  };
  assert.deepEqual(loadConfig({}, env).webhookUrls, ['https://a.example/hook', 'http://b.example:8080']);
  assert.deepEqual(loadConfig({ webhookUrls: 'https://c.example' }, env).webhookUrls, ['https://c.example']);
  assert.deepEqual(loadConfig({}, {}).webhookUrls, []);
  assert.throws(
    () => loadConfig({}, { TURTLE_WEBHOOK_URLS: 'https://a.example,ftp://user:pw@files.example/token' }),
    (err: ConfigError) =>
      err instanceof ConfigError &&
      err.details.setting === 'TURTLE_WEBHOOK_URLS' &&
      !err.details.value.includes('pw') &&
      !err.details.value.includes('token'),
  );
  assert.throws(
    () => loadConfig({ webhookUrls: 'not a url' }, {}),
    (err: ConfigError) => err.details.setting === '--webhook-urls',
  );
});

test('notify is checked when the function is registered', () => {
  const registry = createRegistry();
  const bad = [
    { url: 'mailto:ops@example.com' },
    { url: 'https://a.example', on: ['finished'] },
    { url: 'https://a.example', on: [] },
  ];
  for (const notify of bad) {
    assert.throws(
      () => registry.add(function f() {}, { notify: notify as never }),
      (err: RegistryError) => err instanceof RegistryError && /notify/.test(err.message),
      JSON.stringify(notify),
    );
  }
  registry.add(function g() {}, {
    notify: [{ url: 'https://a.example' }, { url: 'https://b.example', on: ['cancelled'] }],
  });
});

test('a secret is required as soon as any receiver is configured, and must be a Standard Webhooks secret', () => {
  const registry = createRegistry();
  registry.add(function quiet() {});
  assert.equal(WebhookTargets.any([], registry), false);
  assert.equal(WebhookTargets.any(['https://a.example'], registry), true);
  registry.add(function loud() {}, { notify: { url: 'https://a.example' } });
  assert.equal(WebhookTargets.any([], registry), true, "a function's own receiver counts");

  checkWebhookSecret(undefined, false);
  checkWebhookSecret(SECRET, true);
  for (const secret of [undefined, 'hunter2', `whsec_${Buffer.alloc(8).toString('base64')}`, 'whsec_!!!']) {
    assert.throws(
      () => checkWebhookSecret(secret, true),
      (err: ConfigError) =>
        err.details.setting === 'TURTLE_WEBHOOK_SECRET' &&
        (secret === undefined || !err.message.includes(secret)),
      String(secret),
    );
  }
});

describe('turtle serve with a webhook URL and no secret', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('sqlite', 'webhook_config');
  });
  after(async () => {
    await db.destroy();
  });

  test('exits 1 by itself, naming TURTLE_WEBHOOK_SECRET', { timeout: 60_000 }, async () => {
    const run = spawnServe(
      ['serve', ...FIXTURE_MODULE, '--port', '0', '--webhook-urls', 'http://127.0.0.1:9/hook'],
      { DATABASE_URL: db.url, LOG_LEVEL: 'warn', TURTLE_WEBHOOK_SECRET: '' },
    );
    try {
      assert.equal(await run.exited, 1, run.output);
      assert.match(run.output, /TURTLE_WEBHOOK_SECRET/);
    } finally {
      await run.kill();
    }
  });
});
