/**
 * `turtle schema <module> [--out turtle.schema.json] [--check]`: the thin shell around
 * {@link generateManifest}. Exit codes: 0 written / up to date; 1 `--check` found the file stale;
 * 2 the source has errors (all are printed, nothing is written).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { MANIFEST_FILE, type Manifest } from '../manifest/manifest.js';
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
  graphql?: string;
}

/** Prints the GraphQL SDL of a manifest; throws a typed error (its `type` set) when it cannot. */
export type PrintSdl = (manifest: Manifest) => string;

/** Options of {@link schemaCommand}. */
export interface SchemaCommandOptions {
  /**
   * Loads the GraphQL SDL printer (the server's, which schema-gen does not import: cli/turtle.ts
   * wires it). When given, the command takes `--graphql <file>`. Default: no such option.
   */
  loadPrintSdl?: () => Promise<PrintSdl>;
}

/** The `schema` subcommand, added to the `turtle` program by cli/turtle.ts. */
export function schemaCommand(commandOptions: SchemaCommandOptions = {}): Command {
  const command = new Command('schema')
    .description('read a registration module statically and write the JSON Schema manifest of its functions')
    .argument('<module>', 'the module calling registry.add / registry.addSync')
    .option('-o, --out <file>', 'where to write the manifest', MANIFEST_FILE)
    .option('--check', 'write nothing; exit 1 with a summary if the manifest on disk is stale')
    .option(
      '--tsconfig <file>',
      'tsconfig.json to take compiler options from (default: nearest above the module)',
    )
    .action(async (module: string, options: SchemaOptions) => {
      process.exitCode = await runSchema(module, options, commandOptions);
    });
  if (commandOptions.loadPrintSdl)
    command.option(
      '--graphql <file>',
      'also write the GraphQL schema (SDL) of the functions to <file> (with --check: check it)',
    );
  return command;
}

async function runSchema(
  module: string,
  options: SchemaOptions,
  commandOptions: SchemaCommandOptions,
): Promise<number> {
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
  let sdl: string | undefined;
  if (options.graphql !== undefined && commandOptions.loadPrintSdl) {
    try {
      sdl = (await commandOptions.loadPrintSdl())(manifest);
    } catch (error) {
      if (!(error instanceof Error && typeof (error as { type?: unknown }).type === 'string')) throw error;
      process.stderr.write(`turtle schema: ${error.message}\nnothing written\n`);
      return SchemaExitCode.errors;
    }
  }
  const sdlFile = options.graphql === undefined ? undefined : path.resolve(options.graphql);
  const sdlShown = sdlFile && (path.relative(process.cwd(), sdlFile) || sdlFile);
  if (options.check) {
    // The same bytes or stale: the SDL is printed sorted, so any difference is a change.
    if (sdlFile && sdl !== undefined && readText(sdlFile) !== sdl) {
      process.stderr.write(
        `${sdlShown} is stale\nrun: turtle schema ${module} --out ${options.out} --graphql ${options.graphql}\n`,
      );
      return SchemaExitCode.stale;
    }
    const { upToDate, differences } = checkManifest(out, manifest);
    if (upToDate) {
      process.stdout.write(`${shown} is up to date (${count} function${count === 1 ? '' : 's'})\n`);
      if (sdlShown) process.stdout.write(`${sdlShown} is up to date\n`);
      return SchemaExitCode.ok;
    }
    process.stderr.write(
      `${shown} is stale:\n${differences.map((d) => `  ${d}`).join('\n')}\nrun: turtle schema ${module} --out ${options.out}\n`,
    );
    return SchemaExitCode.stale;
  }
  writeManifest(out, manifest);
  process.stdout.write(`wrote ${shown} (${count} function${count === 1 ? '' : 's'})\n`);
  if (sdlFile && sdl !== undefined) {
    fs.writeFileSync(sdlFile, sdl);
    process.stdout.write(`wrote ${sdlShown}\n`);
  }
  return SchemaExitCode.ok;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
