/**
 * `loadConfig`: flags over environment over defaults, and clear errors for unusable values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, parseBytes, parseTokens } from '../../server/config.js';

test('defaults when nothing is given', () => {
  const config = loadConfig({}, {});
  assert.equal(config.databaseUrl, 'sqlite:turtle.sqlite');
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.manifest, 'turtle.schema.json');
  assert.equal(config.worker, true);
  assert.deepEqual(config.tokens, {});
  assert.deepEqual(config.corsOrigins, []);
  assert.equal(config.bodyLimit, 1024 * 1024);
  assert.equal(config.maxOutputBytes, 1024 * 1024);
  assert.equal(config.ownExecutionsOnly, false);
});

test('TURTLE_MAX_OUTPUT_BYTES takes a size, and refuses anything else', () => {
  assert.equal(loadConfig({}, { TURTLE_MAX_OUTPUT_BYTES: '16mb' }).maxOutputBytes, 16 * 1024 * 1024);
  assert.throws(
    () => loadConfig({}, { TURTLE_MAX_OUTPUT_BYTES: 'big' }),
    (err: ConfigError) => err.details.setting === 'TURTLE_MAX_OUTPUT_BYTES',
  );
});

test('the environment sets everything; flags win over it', () => {
  const env = {
    DATABASE_URL: 'mysql://root@db/x',
    PORT: '8080',
    HOST: '0.0.0.0',
    TURTLE_FUNCTIONS: 'f.ts',
    TURTLE_MANIFEST: 'm.json',
    TURTLE_WORKER: '0',
    TURTLE_TOKENS: 'alice:aaaaaaaaaaaaaaaa, bob:bbbbbbbbbbbbbbbb',
    TURTLE_OWN_EXECUTIONS_ONLY: 'true',
    TURTLE_CORS_ORIGINS: 'https://a.example/, https://b.example',
    TURTLE_BODY_LIMIT: '2mb',
    TURTLE_SHUTDOWN_GRACE_MS: '500',
  };
  const fromEnv = loadConfig({}, env);
  assert.equal(fromEnv.databaseUrl, 'mysql://root@db/x');
  assert.equal(fromEnv.port, 8080);
  assert.equal(fromEnv.worker, false);
  assert.deepEqual(fromEnv.tokens, { alice: 'aaaaaaaaaaaaaaaa', bob: 'bbbbbbbbbbbbbbbb' });
  assert.equal(fromEnv.ownExecutionsOnly, true);
  assert.deepEqual(fromEnv.corsOrigins, ['https://a.example', 'https://b.example']);
  assert.equal(fromEnv.bodyLimit, 2 * 1024 * 1024);
  assert.equal(fromEnv.shutdownGraceMs, 500);
  const flags = loadConfig({ port: '9000', host: '::1', functions: 'g.ts', manifest: 'n.json' }, env);
  assert.deepEqual(
    [flags.port, flags.host, flags.functions, flags.manifest],
    [9000, '::1', 'g.ts', 'n.json'],
  );
  assert.equal(loadConfig({ worker: false }, {}).worker, false);
});

test('unusable values are ConfigErrors naming the setting, without echoing a token', () => {
  assert.throws(
    () => loadConfig({ port: '70000' }, {}),
    (err: ConfigError) => err.type === 'ConfigError' && err.details.setting === '--port',
  );
  assert.throws(
    () => loadConfig({}, { PORT: 'http' }),
    (err: ConfigError) => err.details.setting === 'PORT',
  );
  assert.throws(() => parseBytes('lots', 'TURTLE_BODY_LIMIT'), ConfigError);
  assert.equal(parseBytes('512kb', 'x'), 512 * 1024);
  assert.equal(parseBytes('1048576', 'x'), 1048576);
  assert.throws(
    () => parseTokens('alice:short'),
    (err: ConfigError) => !JSON.stringify(err.details).includes('short'),
  );
  assert.throws(() => parseTokens(':aaaaaaaaaaaaaaaa'), ConfigError);
  assert.throws(() => parseTokens('no-colon-here-at-all'), ConfigError);
});

test('TURTLE_TOKENS with a user or a token given twice is a ConfigError naming the setting, never the token', () => {
  const a = 'aaaaaaaaaaaaaaaa-secret';
  const b = 'bbbbbbbbbbbbbbbb-secret';
  for (const value of [`alice:${a},alice:${b}`, `alice:${a}, bob:${a}`, `alice:${a},bob:${b}, alice :${a}`]) {
    assert.throws(
      () => loadConfig({}, { TURTLE_TOKENS: value }),
      (err: ConfigError) => {
        assert.equal(err.type, 'ConfigError');
        assert.equal(err.details.setting, 'TURTLE_TOKENS');
        assert.match(err.message, /TURTLE_TOKENS/);
        for (const shown of [err.message, JSON.stringify(err.details), String(err.stack)])
          assert.doesNotMatch(shown, /secret/, value);
        return true;
      },
    );
  }
  assert.deepEqual(parseTokens(`alice:${a},bob:${b}`), { alice: a, bob: b });
});

test('TURTLE_OWN_EXECUTIONS_ONLY without TURTLE_TOKENS is a ConfigError: nobody would be identified', () => {
  assert.throws(
    () => loadConfig({}, { TURTLE_OWN_EXECUTIONS_ONLY: '1' }),
    (err: ConfigError) => err.details.setting === 'TURTLE_OWN_EXECUTIONS_ONLY',
  );
  assert.equal(
    loadConfig({}, { TURTLE_OWN_EXECUTIONS_ONLY: '1', TURTLE_TOKENS: 'alice:aaaaaaaaaaaaaaaa' })
      .ownExecutionsOnly,
    true,
  );
});

test('worker settings: defaults, the environment, --concurrency over TURTLE_CONCURRENCY, and typed errors', () => {
  const defaults = loadConfig({}, {});
  assert.deepEqual(
    [defaults.concurrency, defaults.heartbeatTtlMs, defaults.pollMs, defaults.sweepMs],
    [4, 60_000, 1000, 15_000],
  );
  const env = {
    TURTLE_CONCURRENCY: '8',
    TURTLE_HEARTBEAT_TTL_MS: '1500',
    TURTLE_POLL_MS: '200',
    TURTLE_SWEEP_MS: '0',
  };
  const fromEnv = loadConfig({}, env);
  assert.deepEqual(
    [fromEnv.concurrency, fromEnv.heartbeatTtlMs, fromEnv.pollMs, fromEnv.sweepMs],
    [8, 1500, 200, 0],
  );
  assert.equal(loadConfig({ concurrency: 2 }, env).concurrency, 2);
  for (const [setting, value] of [
    ['TURTLE_CONCURRENCY', '0'],
    ['TURTLE_HEARTBEAT_TTL_MS', '0'],
    ['TURTLE_POLL_MS', 'soon'],
    ['TURTLE_SWEEP_MS', '-1'],
  ]) {
    assert.throws(
      () => loadConfig({}, { [setting!]: value }),
      (err: ConfigError) =>
        err.type === 'ConfigError' && err.details.setting === setting && err.details.value === value,
    );
  }
});

test('TURTLE_EXPOSE_TRACEBACKS: on by default, 0/false/no/off hide them, anything else is a ConfigError', () => {
  assert.equal(loadConfig({}, {}).exposeTracebacks, true);
  assert.equal(loadConfig({}, { TURTLE_EXPOSE_TRACEBACKS: '1' }).exposeTracebacks, true);
  for (const value of ['0', 'false', 'NO', 'off'])
    assert.equal(loadConfig({}, { TURTLE_EXPOSE_TRACEBACKS: value }).exposeTracebacks, false, value);
  assert.throws(
    () => loadConfig({}, { TURTLE_EXPOSE_TRACEBACKS: 'flase' }),
    (err: ConfigError) => err.type === 'ConfigError' && err.details.setting === 'TURTLE_EXPOSE_TRACEBACKS',
  );
});

test('notifications: in-process by default, through Redis with TURTLE_REDIS_URL or --redis-url, off with TURTLE_NOTIFY=0 or --no-notify', () => {
  const defaults = loadConfig({}, {});
  assert.equal(defaults.redisUrl, undefined);
  assert.equal(defaults.notify, true);
  assert.equal(loadConfig({}, { TURTLE_REDIS_URL: 'redis://cache:6380/2' }).redisUrl, 'redis://cache:6380/2');
  assert.equal(
    loadConfig({ redisUrl: 'rediss://u:p@cache' }, { TURTLE_REDIS_URL: 'redis://other' }).redisUrl,
    'rediss://u:p@cache',
  );
  assert.equal(loadConfig({}, { TURTLE_NOTIFY: '0' }).notify, false);
  assert.equal(loadConfig({ notify: false }, { TURTLE_NOTIFY: '1' }).notify, false);
  assert.throws(
    () => loadConfig({}, { TURTLE_NOTIFY: 'maybe' }),
    (err: ConfigError) => err.details.setting === 'TURTLE_NOTIFY',
  );
});

test('a Redis URL that is not redis:// or rediss:// (with a numeric db) is refused, without showing its password', () => {
  for (const value of ['http://cache:6379', 'cache:6379', 'redis://cache/zero', 'redis://u:secret@cache/x']) {
    assert.throws(
      () => loadConfig({}, { TURTLE_REDIS_URL: value }),
      (err: ConfigError) =>
        err.details.setting === 'TURTLE_REDIS_URL' &&
        !err.details.value.includes('secret') &&
        !err.message.includes('secret'),
    );
  }
  assert.throws(
    () => loadConfig({ redisUrl: 'nope' }, {}),
    (err: ConfigError) => err.details.setting === '--redis-url',
  );
});
