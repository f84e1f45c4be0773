/**
 * The thin shell around `createApp`: opens the runtime (`runtime.ts`: database, functions, manifest,
 * executions), starts the scheduler (and an in-process worker) and listens.
 * `turtle serve` calls {@link startServer}; SIGTERM handling lives in `cli/serve.ts`.
 */
import http from 'node:http';
import type { Knex } from 'knex';
import { pino, type Logger } from 'pino';
import type { ServerConfig } from './config.js';
import { answerClientErrors } from './http/client-errors.js';
import { createApp } from './http/create-app.js';
import { openRuntime, workerOptions } from './runtime.js';
import { createScheduler } from './scheduler/index.js';

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
  const runtime = await openRuntime(config, { logger });
  const { knex, functions, executions } = runtime;
  try {
    const scheduler = createScheduler({ knex, executions, logger });
    if (config.worker) await scheduler.startWorker(workerOptions(config));
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
    answerClientErrors(server);
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
      await runtime.close();
      return clean;
    })());
    return { url: `http://${host}:${port}`, server, knex, close };
  } catch (err) {
    await runtime.close();
    throw err;
  }
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
