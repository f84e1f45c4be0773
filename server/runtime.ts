/**
 * What `turtle serve` and `turtle worker` both start from: a migrated database, the functions
 * module loaded, the registry bound to its manifest and the executions service on top.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { ServerConfig } from './config.js';
import { ConfigError } from './config.js';
import { createExecutions, type EnqueuePort, type Executions, type Logger } from './executions/index.js';
import { loadManifest, registry, type BoundRegistry } from './registry/index.js';
import { createScheduler, type SchedulerWorkerOptions } from './scheduler/index.js';
import { openDatabase } from './storage/database.js';
import { ensureInputIndexes, filterableNames } from './storage/input-index.js';
import { migrate } from './storage/migrate.js';
import type { Manifest } from '../manifest/manifest.js';
import { checkWebhookSecret } from './webhooks/webhook-settings.js';
import { WebhookTargets } from './webhooks/webhook-targets.js';

/** The settings {@link openRuntime} reads. */
export type RuntimeConfig = Pick<ServerConfig, 'databaseUrl' | 'functions' | 'manifest'> &
  Partial<
    Pick<ServerConfig, 'databaseTimeoutMs' | 'maxOutputBytes' | 'bodyLimit' | 'webhookUrls' | 'webhookSecret'>
  >;

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  /** Where the executions service logs. Required: each command names its own logger. */
  logger: Logger;
  /** Where the executions service hands background executions (its `scheduler` port). Default none. */
  scheduler?: EnqueuePort;
}

/** An open runtime; {@link Runtime.close} closes the database. */
export interface Runtime {
  knex: Knex;
  /** The registry bound to the manifest. */
  functions: BoundRegistry;
  executions: Executions;
  /** Closes the database pool (idempotent). */
  close(): Promise<void>;
}

/**
 * Opens `config.databaseUrl`, migrates it (executions and scheduler tables), imports
 * `config.functions`, binds the registry to `config.manifest`, creates the executions service and
 * records the bound functions' versions (`turtle_function_versions`).
 * Rejects with a typed error (the database is closed again) when any step fails, e.g. a
 * {@link ConfigError} when the module registers no function.
 * @example
 * let scheduler: Scheduler | undefined;
 * const runtime = await openRuntime(loadConfig(), { logger, scheduler: { enqueue: (execution) => scheduler?.enqueue(execution) } });
 * scheduler = createScheduler({ knex: runtime.knex, executions: runtime.executions });
 */
export async function openRuntime(config: RuntimeConfig, options: RuntimeOptions): Promise<Runtime> {
  const knex = openDatabase(config.databaseUrl, { timeoutMs: config.databaseTimeoutMs });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= knex.destroy());
  try {
    await migrateAll(knex);
    if (config.functions) await import(pathToFileURL(path.resolve(config.functions)).href);
    if (registry.list().length === 0) {
      throw new ConfigError(
        'No functions are registered: pass --functions <module.ts> (a module calling registry.add / registry.addSync)',
        {
          setting: '--functions',
          value: config.functions ?? '',
        },
      );
    }
    const { manifest, manifestDir } = await loadManifest(config.manifest);
    const functions = registry.bind(manifest, { manifestDir });
    await ensureInputIndexes(knex, filterableNames(manifest));
    // Unsigned notices could not be trusted: refuse to start rather than send them, or hold them.
    checkWebhookSecret(config.webhookSecret, WebhookTargets.any(config.webhookUrls ?? [], functions));
    const executions = createExecutions({
      knex,
      functions,
      logger: options.logger,
      scheduler: options.scheduler,
      // An input is capped like the request body it came in (programmatic callers included).
      maxOutputBytes: config.maxOutputBytes,
      maxInputBytes: config.bodyLimit,
      webhookUrls: config.webhookUrls,
    });
    // Every version this process runs is on record before it serves or works (idempotent across processes).
    await executions.recordVersions();
    return { knex, functions, executions, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Migrates the executions store and the scheduler's tables (`turtle migrate`), and indexes the
 * `@filterable` parameters of `manifest` when given; returns the migrations and indexes applied.
 */
export async function migrateAll(knex: Knex, manifest?: Manifest): Promise<string[]> {
  const applied = await migrate(knex);
  await createScheduler.migrate(knex);
  if (manifest) applied.push(...(await ensureInputIndexes(knex, filterableNames(manifest))));
  return applied;
}

/** The worker settings of `config` as options of `startWorker` / `scheduler.startWorker`. */
export function workerOptions(
  config: Pick<ServerConfig, 'concurrency' | 'heartbeatTtlMs' | 'pollMs' | 'sweepMs' | 'retentionMs'> &
    Partial<Pick<ServerConfig, 'webhookSecret' | 'webhookUrls' | 'exposeTracebacks'>>,
): SchedulerWorkerOptions {
  return {
    // With a secret this worker sends webhooks (`openRuntime` made sure there is one if any URL is set).
    ...(config.webhookSecret !== undefined && {
      webhooks: {
        secret: config.webhookSecret,
        urls: config.webhookUrls,
        exposeTracebacks: config.exposeTracebacks,
      },
    }),
    concurrency: config.concurrency,
    heartbeatTtlMs: config.heartbeatTtlMs,
    processEvery: config.pollMs,
    sweepEvery: config.sweepMs,
    retention: { defaultMs: config.retentionMs },
  };
}
