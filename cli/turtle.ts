/**
 * The `turtle` command: one program, one subcommand per job. Each subcommand lives beside the code
 * it drives (`schema-gen/`, `server/cli/`); this file only puts them together.
 */
import { Command } from 'commander';
import { schemaCommand } from '../schema-gen/cli.js';
import { serveCommand } from '../server/cli/serve.js';
import { migrateCommand } from '../server/cli/migrate.js';
import { pruneCommand } from '../server/cli/prune.js';
import { workerCommand } from '../server/cli/worker.js';

const program = new Command('turtle')
  .description('turtle-shell: typed functions as web forms, a JSON API and a history of every run')
  .showHelpAfterError()
  // The GraphQL SDL printer is the server's; schema-gen gets it from here, loaded only when asked for.
  .addCommand(
    schemaCommand({ loadPrintSdl: async () => (await import('../server/graphql/sdl.js')).printSdl }),
  )
  .addCommand(serveCommand())
  .addCommand(migrateCommand())
  .addCommand(workerCommand())
  .addCommand(pruneCommand());

await program.parseAsync(process.argv);
