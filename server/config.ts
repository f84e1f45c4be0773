/**
 * Server configuration: the one place where command-line flags and environment variables become
 * settings. Flags win over the environment, the environment over the defaults. Each setting is
 * listed in the README's "Configuration" table.
 */
import { DEFAULT_DATABASE_TIMEOUT_MS, DEFAULT_DATABASE_URL } from './storage/database.js';
import { retentionMs, type RetentionMs } from './registry/retention-period.js';
import { isHttpUrl } from './registry/notify-option.js';

/** Everything `turtle serve` / `turtle worker` / `turtle migrate` need to know. */
export interface ServerConfig {
  /** `DATABASE_URL`; default {@link DEFAULT_DATABASE_URL} (a SQLite file in the working directory). */
  databaseUrl: string;
  /**
   * `TURTLE_DB_TIMEOUT_MS`: how long one database operation may take (connecting, waiting for a pooled
   * connection, one query, a SQLite lock) before the request fails with 503 `DatabaseUnavailable`;
   * default {@link DEFAULT_DATABASE_TIMEOUT_MS} (5000).
   */
  databaseTimeoutMs: number;
  /** `--port` / `PORT`; default 3000. `0` picks a free port. */
  port: number;
  /** `--host` / `HOST`; default `127.0.0.1` (local only; use `0.0.0.0` to listen on every interface). */
  host: string;
  /** `--functions` / `TURTLE_FUNCTIONS`: the module that registers the functions; no default. */
  functions?: string;
  /** `--manifest` / `TURTLE_MANIFEST`; default `turtle.schema.json`. */
  manifest: string;
  /** `--no-worker` / `TURTLE_WORKER=0`: run no in-process worker; default true (run one). */
  worker: boolean;
  /** `TURTLE_TOKENS=name:token,…`: bearer tokens by user name; default none (auth off). */
  tokens: Record<string, string>;
  /** `TURTLE_OWN_EXECUTIONS_ONLY=1`: each user sees only their own executions; default false. */
  ownExecutionsOnly: boolean;
  /** `TURTLE_CORS_ORIGINS=https://a.example,…`: origins allowed to call the API; default none. */
  corsOrigins: string[];
  /** `TURTLE_BODY_LIMIT` (bytes, or `512kb`, `2mb`); default 1 MB. Also the most bytes an input may take as JSON. */
  bodyLimit: number;
  /**
   * `TURTLE_MAX_OUTPUT_BYTES` (bytes, or `512kb`, `2mb`): the most a result, pending state, checkpoint
   * or error may take as JSON; over it the execution errors with `OutputTooLarge`. Default 1 MB.
   */
  maxOutputBytes: number;
  /** `TURTLE_SHUTDOWN_GRACE_MS`: how long SIGTERM waits for requests and executions; default 10 000. */
  shutdownGraceMs: number;
  /** `--static` / `TURTLE_STATIC_DIR`: a folder served at `/`; default none. */
  staticDir?: string;
  /** `LOG_LEVEL` (pino level); default `info`. */
  logLevel: string;
  /** `--concurrency` / `TURTLE_CONCURRENCY`: executions a worker runs at once; default 4. */
  concurrency: number;
  /** `TURTLE_HEARTBEAT_TTL_MS`: a worker silent this long is presumed dead; default 60 000. */
  heartbeatTtlMs: number;
  /** `TURTLE_POLL_MS`: how often a worker looks for due jobs saved by other processes; default 1000. */
  pollMs: number;
  /** `TURTLE_SWEEP_MS`: how often pending executions without a job are enqueued (0: never); default 15 000. */
  sweepMs: number;
  /** `TURTLE_RETENTION` (`90d`, `12h`, `30m`, `forever`): finished executions older than this are deleted; default forever (null). */
  retentionMs: RetentionMs;
  /**
   * `--redis-url` / `TURTLE_REDIS_URL` (`redis://` or `rediss://`): processes announce new jobs to each
   * other's workers through this Redis server; default none (each process notifies only itself).
   */
  redisUrl?: string;
  /** `--no-notify` / `TURTLE_NOTIFY=0`: no notifications at all, workers find new jobs by polling; default true. */
  notify: boolean;
  /**
   * `TURTLE_EXPOSE_TRACEBACKS=0`: API answers carry `traceback: null` (stored in full either way);
   * default true (tracebacks are sent, with paths relative to the working directory).
   */
  exposeTracebacks: boolean;
  /**
   * `--webhook-urls` / `TURTLE_WEBHOOK_URLS=https://a.example/hook,…`: receivers of a signed POST of
   * every execution that ends `done` or `errored`; default none. Functions add their own (`notify`).
   */
  webhookUrls: string[];
  /**
   * `TURTLE_WEBHOOK_SECRET` (`whsec_` + base64 of 24 to 64 bytes): signs every webhook (Standard
   * Webhooks). Required when any webhook URL is configured; default none. Never a flag (flags show in `ps`).
   */
  webhookSecret?: string;
  /** `--graphql` / `TURTLE_GRAPHQL=1`: serve the GraphQL endpoint at `/graphql` (and GraphiQL); default false. */
  graphql: boolean;
}

/** Thrown when a flag or variable has a value that cannot be used; `details.setting` names it. */
export class ConfigError extends Error {
  readonly type = 'ConfigError';
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly details: { setting: string; value: string },
  ) {
    super(message);
  }
}

/** The flags `turtle serve` / `turtle worker` accept (commander's parsed options). */
export interface ServeFlags {
  port?: string;
  host?: string;
  functions?: string;
  manifest?: string;
  /** `false` when `--no-worker` was given. */
  worker?: boolean;
  static?: string;
  /** Already checked by commander to be a whole number of at least 1. */
  concurrency?: number;
  redisUrl?: string;
  /** `false` when `--no-notify` was given. */
  notify?: boolean;
  /** `--webhook-urls`, comma-separated. */
  webhookUrls?: string;
  /** `true` when `--graphql` was given. */
  graphql?: boolean;
}

/** The default body limit: 1 MB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The default `TURTLE_MAX_OUTPUT_BYTES`: 1 MB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

/** Builds the configuration from `flags` and `env` (default `process.env`). */
export function loadConfig(flags: ServeFlags = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const config: ServerConfig = {
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databaseTimeoutMs: parseCount(
      env.TURTLE_DB_TIMEOUT_MS || String(DEFAULT_DATABASE_TIMEOUT_MS),
      'TURTLE_DB_TIMEOUT_MS',
      1,
    ),
    port: parsePort(flags.port ?? env.PORT ?? '3000', flags.port !== undefined ? '--port' : 'PORT'),
    host: flags.host ?? env.HOST ?? '127.0.0.1',
    functions: flags.functions ?? (env.TURTLE_FUNCTIONS || undefined),
    manifest: flags.manifest ?? (env.TURTLE_MANIFEST || 'turtle.schema.json'),
    worker: flags.worker === false ? false : !isFalse(env.TURTLE_WORKER),
    tokens: parseTokens(env.TURTLE_TOKENS ?? ''),
    ownExecutionsOnly: isTrue(env.TURTLE_OWN_EXECUTIONS_ONLY),
    corsOrigins: (env.TURTLE_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    bodyLimit: env.TURTLE_BODY_LIMIT
      ? parseBytes(env.TURTLE_BODY_LIMIT, 'TURTLE_BODY_LIMIT')
      : DEFAULT_BODY_LIMIT,
    maxOutputBytes: env.TURTLE_MAX_OUTPUT_BYTES
      ? parseBytes(env.TURTLE_MAX_OUTPUT_BYTES, 'TURTLE_MAX_OUTPUT_BYTES')
      : DEFAULT_MAX_OUTPUT_BYTES,
    shutdownGraceMs: parseCount(env.TURTLE_SHUTDOWN_GRACE_MS ?? '10000', 'TURTLE_SHUTDOWN_GRACE_MS'),
    staticDir: flags.static ?? (env.TURTLE_STATIC_DIR || undefined),
    logLevel: env.LOG_LEVEL || 'info',
    concurrency: flags.concurrency ?? parseCount(env.TURTLE_CONCURRENCY || '4', 'TURTLE_CONCURRENCY', 1),
    heartbeatTtlMs: parseCount(env.TURTLE_HEARTBEAT_TTL_MS || '60000', 'TURTLE_HEARTBEAT_TTL_MS', 1),
    pollMs: parseCount(env.TURTLE_POLL_MS || '1000', 'TURTLE_POLL_MS', 1),
    sweepMs: parseCount(env.TURTLE_SWEEP_MS || '15000', 'TURTLE_SWEEP_MS'),
    retentionMs: parseRetention(env.TURTLE_RETENTION || 'forever', 'TURTLE_RETENTION'),
    redisUrl: parseRedisUrl(
      flags.redisUrl ?? (env.TURTLE_REDIS_URL || undefined),
      flags.redisUrl !== undefined ? '--redis-url' : 'TURTLE_REDIS_URL',
    ),
    notify: flags.notify === false ? false : parseSwitch(env.TURTLE_NOTIFY, true, 'TURTLE_NOTIFY'),
    exposeTracebacks: parseSwitch(env.TURTLE_EXPOSE_TRACEBACKS, true, 'TURTLE_EXPOSE_TRACEBACKS'),
    webhookUrls: parseUrls(
      flags.webhookUrls ?? env.TURTLE_WEBHOOK_URLS ?? '',
      flags.webhookUrls !== undefined ? '--webhook-urls' : 'TURTLE_WEBHOOK_URLS',
    ),
    webhookSecret: env.TURTLE_WEBHOOK_SECRET || undefined,
    graphql: flags.graphql === true || parseSwitch(env.TURTLE_GRAPHQL, false, 'TURTLE_GRAPHQL'),
  };
  // Without tokens nobody is identified, so "own" would mean nothing (createApp refuses it too).
  if (config.ownExecutionsOnly && Object.keys(config.tokens).length === 0) {
    throw new ConfigError(
      'TURTLE_OWN_EXECUTIONS_ONLY needs TURTLE_TOKENS: without tokens nobody is identified',
      { setting: 'TURTLE_OWN_EXECUTIONS_ONLY', value: env.TURTLE_OWN_EXECUTIONS_ONLY ?? '' },
    );
  }
  return config;
}

/** A retention period setting. @throws ConfigError naming `setting` */
export function parseRetention(value: string, setting: string): RetentionMs {
  const ms = retentionMs(value);
  if (ms === undefined)
    throw new ConfigError(
      `${setting} must be a period such as 90d, 12h or 30m, or forever; got ${JSON.stringify(value)}`,
      { setting, value },
    );
  return ms;
}

/**
 * Parses `name:token,name:token`; a user name may not be empty, a token must be 16+ characters, and
 * neither may appear twice (a second entry would silently replace the first, or make two users one).
 * Errors name the user at most, never a token.
 */
export function parseTokens(value: string): Record<string, string> {
  const tokens = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1).trim();
    const shown = entry.replace(/:.*/, ':…');
    // A short token is guessable; refuse it rather than run with weak auth.
    if (colon <= 0 || token.length < 16) {
      throw new ConfigError(
        'TURTLE_TOKENS must be name:token pairs separated by commas, each token at least 16 characters',
        { setting: 'TURTLE_TOKENS', value: shown },
      );
    }
    if (tokens.has(name)) {
      throw new ConfigError(
        `TURTLE_TOKENS lists the user ${JSON.stringify(name)} twice; give each user one token`,
        { setting: 'TURTLE_TOKENS', value: shown },
      );
    }
    const owner = owners.get(token);
    if (owner !== undefined) {
      throw new ConfigError(
        `TURTLE_TOKENS gives the users ${JSON.stringify(owner)} and ${JSON.stringify(name)} the same token; give each user their own`,
        { setting: 'TURTLE_TOKENS', value: shown },
      );
    }
    tokens.set(name, token);
    owners.set(token, name);
  }
  return Object.fromEntries(tokens);
}

/** Parses `1048576`, `512kb`, `1mb`, `1.5MB` into bytes. */
export function parseBytes(value: string, setting: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!match)
    throw new ConfigError(`${setting} must be a size like 1048576, 512kb or 1mb`, { setting, value });
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit === 'gb' ? 1024 ** 3 : unit === 'mb' ? 1024 ** 2 : unit === 'kb' ? 1024 : 1;
  return Math.floor(Number(match[1]) * factor);
}

/** Comma-separated http(s) URLs, each once. An error shows the URL without credentials, path or query. */
function parseUrls(value: string, setting: string): string[] {
  const urls = value
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of urls) {
    if (!isHttpUrl(url))
      throw new ConfigError(`${setting} must be http(s) URLs separated by commas`, {
        setting,
        value: url.replace(/^([a-z+.-]*:\/\/)?[^/]*@/i, '$1…@').replace(/([^/:])\/.*$/, '$1/…'),
      });
  }
  return [...new Set(urls)];
}

/** A `redis://` or `rediss://` URL; an error shows the URL without its password. */
function parseRedisUrl(value: string | undefined, setting: string): string | undefined {
  if (value === undefined) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if ((url?.protocol !== 'redis:' && url?.protocol !== 'rediss:') || !/^\/?\d*$/.test(url.pathname)) {
    throw new ConfigError(
      `${setting} must be a URL like redis://[user:password@]host[:port][/db] (or rediss://)`,
      { setting, value: value.replace(/\/\/[^@/]*@/, '//…@') },
    );
  }
  return value;
}

function parsePort(value: string, setting: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`${setting} must be a port number (0-65535)`, { setting, value });
  return port;
}

function parseCount(value: string, setting: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`${setting} must be a whole number${min > 0 ? ` of at least ${min}` : ''}`, {
      setting,
      value,
    });
  return n;
}

/** `1/true/yes/on` or `0/false/no/off`; unset or empty is `fallback`; anything else is a typo, not a guess. */
function parseSwitch(value: string | undefined, fallback: boolean, setting: string): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  if (isTrue(value)) return true;
  if (isFalse(value)) return false;
  throw new ConfigError(`${setting} must be 1 or 0 (true/false, yes/no, on/off)`, { setting, value });
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

function isFalse(value: string | undefined): boolean {
  return value !== undefined && /^(0|false|no|off)$/i.test(value.trim());
}
