/**
 * `turtle worker`: runs background executions from `DATABASE_URL` until SIGTERM / SIGINT, which
 * drains: no new jobs, running executions finish within the grace period (`TURTLE_SHUTDOWN_GRACE_MS`,
 * default 10 s) or are handed back for another worker; then it exits 0.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { reportStartupError } from './startup-error.js';

/** The flags `turtle worker` accepts. */
export interface WorkerFlags {
  functions?: string;
  manifest?: string;
  concurrency?: number;
}

/** Reads an optional positive whole number of milliseconds from the environment. */
function envMs(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number of milliseconds`, { setting: name, value });
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/**
 * The `worker` subcommand. Besides the flags, it reads `DATABASE_URL`, `TURTLE_FUNCTIONS`,
 * `TURTLE_MANIFEST`, `TURTLE_SHUTDOWN_GRACE_MS`, `LOG_LEVEL`, and for tuning
 * `TURTLE_HEARTBEAT_TTL_MS` (default 60000), `TURTLE_POLL_MS` (how often to look for due jobs,
 * default 1000) and `TURTLE_SWEEP_MS` (how often to enqueue lost executions, default 15000).
 */
export function workerCommand(): Command {
  return new Command('worker')
    .description('run background executions of the functions of a module (scale out by starting more)')
    .option('--functions <module>', 'the module that registers the functions (TypeScript is fine) [TURTLE_FUNCTIONS]')
    .option('--manifest <file>', 'the manifest written by `turtle schema` [TURTLE_MANIFEST] (default turtle.schema.json)')
    .option('--concurrency <n>', 'executions run at once by this worker (default 4)', positiveInt)
    .action(async (flags: WorkerFlags) => {
      // Loaded here so that other subcommands do not pay for the worker's modules.
      const [{ pino }, { openDatabase }, { migrate }, { createExecutions }, { registry, loadManifest }, { startWorker, migrateAgendaTables }] = await Promise.all([
        import('pino'), import('../storage/database.js'), import('../storage/migrate.js'), import('../executions/index.js'),
        import('../registry/index.js'), import('../scheduler/index.js'),
      ]);
      let knex: import('knex').Knex | undefined;
      let worker: import('../scheduler/index.js').Worker;
      let graceMs: number;
      try {
        const config = loadConfig({ functions: flags.functions, manifest: flags.manifest });
        graceMs = config.shutdownGraceMs;
        const logger = pino({ name: 'turtle-worker', level: config.logLevel });
        knex = openDatabase(config.databaseUrl);
        await migrate(knex);
        await migrateAgendaTables(knex);
        if (config.functions) await import(pathToFileURL(path.resolve(config.functions)).href);
        if (registry.list().length === 0) {
          throw new ConfigError('No functions are registered: pass --functions <module.ts> (a module calling registry.add)', {
            setting: '--functions', value: config.functions ?? '',
          });
        }
        const { manifest, manifestDir } = await loadManifest(config.manifest);
        const functions = registry.bind(manifest, { manifestDir });
        const executions = createExecutions({ knex, functions, logger });
        worker = await startWorker({
          knex, executions, functions, logger,
          concurrency: flags.concurrency,
          heartbeatTtlMs: envMs('TURTLE_HEARTBEAT_TTL_MS'),
          processEvery: envMs('TURTLE_POLL_MS'),
          sweepEvery: envMs('TURTLE_SWEEP_MS'),
        });
      } catch (err) {
        await knex?.destroy();
        process.exitCode = reportStartupError('worker', err);
        return;
      }
      console.log(`turtle worker ${worker.workerId} running`);
      const stop = (signal: string): void => {
        console.log(`turtle worker: ${signal} received, draining`);
        void worker.drain(graceMs).then(async (result) => {
          console.log(result.finished ? 'turtle worker: drained' : `turtle worker: handed back ${result.released} running execution(s)`);
          // Functions still running were handed back; closing the pool under them would only add noise.
          if (result.finished) await knex!.destroy();
          process.exit(0);
        }, (err) => {
          console.error('turtle worker: drain failed', err);
          process.exit(1);
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
