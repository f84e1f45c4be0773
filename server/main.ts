/**
 * The thin shell around `createApp`: opens the runtime (`runtime.ts`: database, functions, manifest,
 * executions), listens, then starts the scheduler (and an in-process worker).
 * `turtle serve` calls {@link startServer}; SIGTERM handling lives in `cli/serve.ts`.
 */
import http from 'node:http';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import { answerClientErrors } from './http/client-errors.js';
import { createApp } from './http/create-app.js';
import { createLogger } from './logging.js';
import { openRuntime, workerOptions } from './runtime.js';
import {
  chooseNotificationChannel,
  createScheduler,
  createSchedules,
  type Scheduler,
} from './scheduler/index.js';
import { listen } from './http/listen.js';

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
  /** Default: `createLogger` (pino, SQL kept out of logged errors) at `config.logLevel` on stdout. */
  logger?: Logger;
}

/** Starts turtle-shell as configured; rejects with a typed error naming what is wrong. */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ name: 'turtle-shell', level: config.logLevel });
  let started: Scheduler | undefined;
  // The scheduler needs the executions service, which hands it background runs: a port that
  // forwards to it once it exists (no request is answered before then).
  const runtime = await openRuntime(config, {
    logger,
    scheduler: { enqueue: (execution) => started?.enqueue(execution) },
  });
  const { knex, functions, executions } = runtime;
  const server = http.createServer();
  answerClientErrors(server);
  try {
    // Bound before the scheduler exists: a port that is taken fails start-up while nothing polls the
    // database yet, so closing it leaves no timer behind and the process exits.
    await listen(server, config.port, config.host);
    const scheduler = (started = createScheduler({
      knex,
      executions,
      logger,
      notificationChannel: chooseNotificationChannel(config),
    }));
    // An unreachable Redis is a configuration error: refuse to start rather than run on polling alone.
    await scheduler.ready;
    // Code-defined schedules in step before anything fires (idempotent across processes).
    const schedules = createSchedules({ agenda: scheduler.agenda, functions });
    await schedules.syncFromCode();
    const shutdown = new AbortController();
    const app = createApp({
      executions,
      schedules,
      functions,
      knex,
      logger,
      bodyLimit: config.bodyLimit,
      tokens: config.tokens,
      ownExecutionsOnly: config.ownExecutionsOnly,
      corsOrigins: config.corsOrigins,
      staticDir: config.staticDir,
      signal: shutdown.signal,
      exposeTracebacks: config.exposeTracebacks,
      graphql: config.graphql,
    });
    // In the same turn as listen resolved: no request can arrive before the handler is there.
    const handle = app.callback();
    // Koa answers its own errors: the promise a request's handling returns does not reject.
    server.on('request', (req, res) => void handle(req, res));
    if (config.worker) await scheduler.startWorker({ ...workerOptions(config), functions });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;

    let closing: Promise<boolean> | undefined;
    const close = (): Promise<boolean> =>
      (closing ??= (async () => {
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
    // Undo what started, in reverse order; the database closes last, under nothing that uses it.
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    await started
      ?.stop(0)
      .catch((stopErr: unknown) =>
        logger.warn({ err: stopErr }, 'stopping the scheduler after a failed start failed'),
      );
    await runtime.close();
    throw err;
  }
}

async function settlesBy(promise: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
