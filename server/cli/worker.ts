/**
 * `turtle worker`: runs background executions from `DATABASE_URL` until SIGTERM / SIGINT, which
 * drains: no new jobs, running executions finish within the grace period (`TURTLE_SHUTDOWN_GRACE_MS`,
 * default 10 s) or are handed back, so that another worker takes them over at once; then it exits 0.
 */
import { Command } from 'commander';
import type { ServeFlags } from '../config.js';
import {
  concurrencyOption,
  functionsOption,
  manifestOption,
  noNotifyOption,
  redisUrlOption,
  webhookUrlsOption,
} from './shared-options.js';
import { reportStartupError } from './startup-error.js';

/** The flags `turtle worker` accepts. */
export type WorkerFlags = Pick<ServeFlags, 'functions' | 'manifest' | 'concurrency' | 'redisUrl' | 'notify'>;

/**
 * The `worker` subcommand. Besides the flags, it reads `DATABASE_URL`, `TURTLE_FUNCTIONS`,
 * `TURTLE_MANIFEST`, `TURTLE_SHUTDOWN_GRACE_MS`, `LOG_LEVEL` and the worker settings
 * `TURTLE_CONCURRENCY`, `TURTLE_HEARTBEAT_TTL_MS`, `TURTLE_POLL_MS`, `TURTLE_SWEEP_MS`, the notification
 * settings `TURTLE_REDIS_URL`, `TURTLE_NOTIFY`, and the size caps
 * `TURTLE_MAX_OUTPUT_BYTES`, `TURTLE_BODY_LIMIT` (inputs) (see `config.ts`).
 */
export function workerCommand(): Command {
  return new Command('worker')
    .description('run background executions of the functions of a module (scale out by starting more)')
    .addOption(functionsOption())
    .addOption(manifestOption())
    .addOption(concurrencyOption('this worker'))
    .addOption(redisUrlOption())
    .addOption(noNotifyOption())
    .addOption(webhookUrlsOption())
    .action(async (flags: WorkerFlags) => {
      let runtime: import('../runtime.js').Runtime | undefined;
      let worker: import('../scheduler/index.js').Worker;
      let graceMs: number;
      try {
        // Loaded here so that other subcommands (and `--help`) do not pay for the worker's modules.
        const { loadConfig } = await import('../config.js');
        const config = loadConfig(flags);
        graceMs = config.shutdownGraceMs;
        const [
          { createLogger },
          { openRuntime, workerOptions },
          { startWorker, chooseNotificationChannel, createAgenda, createSchedules },
        ] = await Promise.all([
          import('../logging.js'),
          import('../runtime.js'),
          import('../scheduler/index.js'),
        ]);
        const logger = createLogger({ name: 'turtle-worker', level: config.logLevel });
        runtime = await openRuntime(config, { logger });
        // Code-defined schedules in step before this worker fires any (idempotent across processes).
        await createSchedules({
          agenda: createAgenda(runtime.knex, false).agenda,
          functions: runtime.functions,
        }).syncFromCode();
        worker = await startWorker({
          ...workerOptions(config),
          knex: runtime.knex,
          executions: runtime.executions,
          functions: runtime.functions,
          logger,
          notificationChannel: chooseNotificationChannel(config),
        });
      } catch (err) {
        await runtime?.close();
        process.exitCode = await reportStartupError('worker', err);
        return;
      }
      console.log(`turtle worker ${worker.workerId} running`);
      const stop = (signal: string): void => {
        console.log(`turtle worker: ${signal} received, draining`);
        void worker.drain(graceMs).then(
          async (result) => {
            console.log(
              result.finished
                ? 'turtle worker: drained'
                : `turtle worker: handed back ${result.released} running execution(s)`,
            );
            // Functions still running were handed back; closing the pool under them would only add noise.
            if (result.finished) await runtime.close();
            process.exit(0);
          },
          (err) => {
            console.error('turtle worker: drain failed', err);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
