/**
 * `turtle migrate`: brings the database (`DATABASE_URL`) to the latest schema and exits; for
 * deployments that migrate before starting servers and workers.
 */
import { Command } from 'commander';
import { reportStartupError } from './startup-error.js';

/** The `migrate` subcommand. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create or update the turtle_* tables in DATABASE_URL (idempotent)')
    .action(async () => {
      try {
        // Loaded here so that other subcommands (and `--help`) do not pay for the database modules.
        const [{ loadConfig }, { openDatabase }, { migrateAll }] = await Promise.all([
          import('../config.js'),
          import('../storage/database.js'),
          import('../runtime.js'),
        ]);
        const knex = openDatabase(loadConfig().databaseUrl);
        try {
          const applied = await migrateAll(knex);
          console.log(
            applied.length
              ? `turtle migrate: applied ${applied.join(', ')}`
              : 'turtle migrate: already up to date',
          );
        } finally {
          await knex.destroy();
        }
      } catch (err) {
        process.exitCode = await reportStartupError('migrate', err);
      }
    });
}
