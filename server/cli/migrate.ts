/**
 * `turtle migrate`: brings the database (`DATABASE_URL`) to the latest schema, indexes the
 * `@filterable` parameters of the manifest (`--manifest`, else `turtle.schema.json` when it exists)
 * and exits; for deployments that migrate before starting servers and workers.
 */
import fs from 'node:fs';
import { Command } from 'commander';
import { manifestOption } from './shared-options.js';
import { reportStartupError } from './startup-error.js';

/** The `migrate` subcommand. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description(
      'create or update the turtle_* tables in DATABASE_URL, and index the @filterable parameters of the manifest (idempotent)',
    )
    .addOption(manifestOption())
    .action(async (flags: { manifest?: string }) => {
      try {
        // Loaded here so that other subcommands (and `--help`) do not pay for the database modules.
        const [{ loadConfig }, { openDatabase }, { migrateAll }, { loadManifest }] = await Promise.all([
          import('../config.js'),
          import('../storage/database.js'),
          import('../runtime.js'),
          import('../registry/load-manifest.js'),
        ]);
        const config = loadConfig(flags);
        // A manifest named by flag or environment must be there; the default one only when it exists.
        const named = flags.manifest !== undefined || Boolean(process.env.TURTLE_MANIFEST);
        const manifest =
          named || fs.existsSync(config.manifest)
            ? (await loadManifest(config.manifest)).manifest
            : undefined;
        const knex = openDatabase(config.databaseUrl);
        try {
          const applied = await migrateAll(knex, manifest);
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
