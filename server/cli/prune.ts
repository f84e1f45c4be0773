/**
 * `turtle prune`: deletes finished executions older than their retention period now (what the
 * workers' hourly job does), or with `--dry-run` says how many would go. Pending executions are
 * never deleted, whatever their age.
 */
import { Command } from 'commander';
import { functionsOption, manifestOption } from './shared-options.js';
import { reportStartupError } from './startup-error.js';

interface PruneFlags {
  functions?: string;
  manifest?: string;
  olderThan?: string;
  dryRun?: boolean;
}

/** The `prune` subcommand. */
export function pruneCommand(): Command {
  return new Command('prune')
    .description(
      "delete finished executions older than their retention period (functions' own, else TURTLE_RETENTION)",
    )
    .addOption(functionsOption())
    .addOption(manifestOption())
    .option(
      '--older-than <period>',
      'the period for functions without their own: 90d, 12h, 30m or forever [TURTLE_RETENTION]',
    )
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .action(async (flags: PruneFlags) => {
      let runtime: import('../runtime.js').Runtime | undefined;
      try {
        // Loaded here so that other subcommands (and `--help`) do not pay for the database modules.
        const [{ loadConfig, parseRetention }, { createLogger }, { openRuntime }] = await Promise.all([
          import('../config.js'),
          import('../logging.js'),
          import('../runtime.js'),
        ]);
        const config = loadConfig(flags);
        const defaultMs =
          flags.olderThan === undefined
            ? config.retentionMs
            : parseRetention(flags.olderThan, '--older-than');
        runtime = await openRuntime(config, {
          logger: createLogger({ name: 'turtle-prune', level: config.logLevel }),
        });
        const report = await runtime.executions.prune({ defaultMs, dryRun: flags.dryRun === true });
        const verb = flags.dryRun ? 'would delete' : 'deleted';
        const parts = Object.entries(report.byPolicy).map(
          ([policy, n]) => `${n} ${policy === '*' ? 'under the default period' : `of ${policy}`}`,
        );
        console.log(
          `turtle prune: ${verb} ${report.total} finished execution(s)${parts.length ? ` (${parts.join(', ')})` : ': no retention period is set'}`,
        );
      } catch (err) {
        process.exitCode = await reportStartupError('prune', err);
      } finally {
        await runtime?.close();
      }
    });
}
