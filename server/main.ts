/**
 * The thin shell around `createApp`: opens and migrates the database, loads the functions module,
 * binds the registry to the manifest, starts the scheduler (and an in-process worker) and listens.
 * `turtle serve` calls {@link startServer}; SIGTERM handling lives in `cli/serve.ts`.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { pino, type Logger } from 'pino';
import type { ServerConfig } from './config.js';
import { ConfigError } from './config.js';
import { createExecutions } from './executions/index.js';
import { createApp } from './http/create-app.js';
import { loadManifest, registry } from './registry/index.js';
import { createScheduler } from './scheduler/index.js';
import { openDatabase } from './storage/database.js';
import { migrate } from './storage/migrate.js';

/** A started server. */
export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  server: http.Server;
  knex: Knex;
  /**
   * Graceful stop: stops accepting connections, ends event streams, lets in-flight requests and
   * running executions finish within `shutdownGraceMs`, stops the worker (releasing its locks) and
   * closes the database. Resolves true when everything finished in time.
   */
  close(): Promise<boolean>;
}

/** Options of {@link startServer} beyond the configuration. */
export interface StartServerOptions {
  /** Default: pino at `config.logLevel` on stdout. */
  logger?: Logger;
}

/** Starts turtle-shell as configured; rejects with a typed error naming what is wrong. */
export async function startServer(config: ServerConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ name: 'turtle-shell', level: config.logLevel });
  const knex = openDatabase(config.databaseUrl);
  try {
    await migrateAll(knex);
    if (config.functions) await import(pathToFileURL(path.resolve(config.functions)).href);
    if (registry.list().length === 0) {
      throw new ConfigError('No functions are registered: pass --functions <module.ts> (a module calling registry.add / registry.addSync)', {
        setting: '--functions', value: config.functions ?? '',
      });
    }
    const { manifest, manifestDir } = await loadManifest(config.manifest);
    const functions = registry.bind(manifest, { manifestDir });
    const executions = createExecutions({ knex, functions, logger });
    const scheduler = createScheduler({ knex, executions, logger });
    if (config.worker) await scheduler.startWorker();
    const shutdown = new AbortController();
    const app = createApp({
      executions, functions, knex, scheduler, logger,
      bodyLimit: config.bodyLimit,
      tokens: config.tokens,
      ownExecutionsOnly: config.ownExecutionsOnly,
      corsOrigins: config.corsOrigins,
      staticDir: config.staticDir,
      signal: shutdown.signal,
    });
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;

    let closing: Promise<boolean> | undefined;
    const close = (): Promise<boolean> => (closing ??= (async () => {
      const deadline = Date.now() + config.shutdownGraceMs;
      shutdown.abort();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let clean = await settlesBy(serverClosed, deadline);
      if (!clean) {
        logger.warn('requests still running at the end of the grace period; closing their connections');
        server.closeAllConnections();
      }
      // The worker finishes (or hands back) what it runs; its locks are released by stop().
      clean = (await scheduler.stop(Math.max(0, deadline - Date.now()))) && clean;
      await knex.destroy();
      return clean;
    })());
    return { url: `http://${host}:${port}`, server, knex, close };
  } catch (err) {
    await knex.destroy();
    throw err;
  }
}

/** Migrates the executions store and the scheduler's tables (`turtle migrate`). */
export async function migrateAll(knex: Knex): Promise<string[]> {
  const applied = await migrate(knex);
  await createScheduler.migrate(knex);
  return applied;
}

async function settlesBy(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())); });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
