/**
 * `turtle schema <module> [--out turtle.schema.json] [--check]`: the thin shell around
 * {@link generateManifest}. Exit codes: 0 written / up to date; 1 `--check` found the file stale;
 * 2 the source has errors (all are printed, nothing is written).
 */
import path from 'node:path';
import { Command } from 'commander';
import { MANIFEST_FILE } from '../manifest/manifest.js';
import { SchemaGenErrors } from './errors.js';
import { checkManifest, writeManifest } from './manifest-file.js';

/** The exit codes of `turtle schema`. */
export const SchemaExitCode = {
  ok: 0,
  /** `--check`: the manifest on disk differs from the source. */
  stale: 1,
  /** The source has errors; nothing was written. */
  errors: 2,
} as const;

/** Options of the `schema` subcommand, as commander parses them. */
interface SchemaOptions {
  out: string;
  check?: boolean;
  tsconfig?: string;
}

/** The `schema` subcommand, added to the `turtle` program by cli/turtle.ts. */
export function schemaCommand(): Command {
  return new Command('schema')
    .description('read a registration module statically and write the JSON Schema manifest of its functions')
    .argument('<module>', 'the module calling registry.add / registry.addSync')
    .option('-o, --out <file>', 'where to write the manifest', MANIFEST_FILE)
    .option('--check', 'write nothing; exit 1 with a summary if the manifest on disk is stale')
    .option(
      '--tsconfig <file>',
      'tsconfig.json to take compiler options from (default: nearest above the module)',
    )
    .action(async (module: string, options: SchemaOptions) => {
      process.exitCode = await runSchema(module, options);
    });
}

async function runSchema(module: string, options: SchemaOptions): Promise<number> {
  // Loaded here, not at the top: the TypeScript compiler takes seconds to load, and only this
  // subcommand needs it (`turtle --help`, `serve`, `worker` must not pay for it).
  const { generateManifest } = await import('./generate-manifest.js');
  const out = path.resolve(options.out);
  const shown = path.relative(process.cwd(), out) || out;
  let manifest;
  try {
    manifest = generateManifest({
      entry: module,
      baseDir: path.dirname(out),
      ...(options.tsconfig && { tsconfig: options.tsconfig }),
    });
  } catch (error) {
    if (!(error instanceof SchemaGenErrors)) throw error;
    process.stderr.write(`turtle schema: ${error.message}\nnothing written to ${shown}\n`);
    return SchemaExitCode.errors;
  }
  const count = Object.keys(manifest.functions).length;
  if (options.check) {
    const { upToDate, differences } = checkManifest(out, manifest);
    if (upToDate) {
      process.stdout.write(`${shown} is up to date (${count} function${count === 1 ? '' : 's'})\n`);
      return SchemaExitCode.ok;
    }
    process.stderr.write(
      `${shown} is stale:\n${differences.map((d) => `  ${d}`).join('\n')}\nrun: turtle schema ${module} --out ${options.out}\n`,
    );
    return SchemaExitCode.stale;
  }
  writeManifest(out, manifest);
  process.stdout.write(`wrote ${shown} (${count} function${count === 1 ? '' : 's'})\n`);
  return SchemaExitCode.ok;
}
