/**
 * `turtle serve`: migrate, bind, listen, and stop gracefully on SIGTERM / SIGINT. The in-process
 * worker reads the same settings as `turtle worker` (`TURTLE_CONCURRENCY`, `TURTLE_POLL_MS`, …).
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

/** The `serve` subcommand. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('start the JSON API (and an in-process worker) on the functions of a module')
    .addOption(functionsOption())
    .addOption(manifestOption())
    .option('--port <port>', 'port to listen on; 0 picks a free one [PORT] (default 3000)')
    .option('--host <host>', 'interface to listen on [HOST] (default 127.0.0.1)')
    .option('--static <dir>', 'a folder to serve at / [TURTLE_STATIC_DIR]')
    .option('--graphql', 'also serve the GraphQL endpoint at /graphql, with GraphiQL [TURTLE_GRAPHQL=1]')
    .option(
      '--no-worker',
      'run no in-process worker (run `turtle worker` processes instead) [TURTLE_WORKER=0]',
    )
    .addOption(concurrencyOption('the in-process worker'))
    .addOption(redisUrlOption())
    .addOption(noNotifyOption())
    .addOption(webhookUrlsOption())
    .action(async (flags: ServeFlags) => {
      let running: import('../main.js').RunningServer;
      try {
        // Loaded here so that other subcommands (and `--help`) do not pay for the server's modules.
        const [{ loadConfig }, { startServer }] = await Promise.all([
          import('../config.js'),
          import('../main.js'),
        ]);
        running = await startServer(loadConfig(flags));
      } catch (err) {
        process.exitCode = await reportStartupError('serve', err);
        return;
      }
      console.log(`turtle-shell listening on ${running.url}`);
      const stop = (signal: string): void => {
        console.log(`turtle-shell: ${signal} received, finishing in-flight work`);
        // An orderly stop exits 0 even past the grace period: what still ran was handed back to other workers.
        void running.close().then(
          (clean) => {
            if (!clean)
              console.log('turtle-shell: grace period over; unfinished executions were handed back');
            process.exit(0);
          },
          (err) => {
            console.error('turtle-shell: shutdown failed', err);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
