/**
 * `generateManifest`: reads a registration module statically and returns the manifest. Pure: it
 * writes nothing and runs none of the user's code.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { MANIFEST_VERSION, type Manifest, type ManifestFunction } from '../manifest/manifest.js';
import { ErrorCollector } from './error-collector.js';
import { SchemaGenError, SchemaGenErrors } from './errors.js';
import { resolveFunction } from './function-declaration.js';
import { readFunctionDocs } from './jsdoc.js';
import { buildParams } from './parameters.js';
import { createProgram, locate, relativePath } from './program.js';
import { hashSources, projectSourceFiles } from './project-sources.js';
import { readOptions } from './registration-options.js';
import { checkScheduleInputs } from './schedule-inputs.js';
import { findRegistrations } from './registrations.js';
import { buildReturns } from './returns.js';
import { TypeSchemaMapper } from './type-schema-mapper.js';

/** Options of {@link generateManifest}. */
export interface GenerateManifestOptions {
  /** The registration module (absolute, or relative to `process.cwd()`). */
  entry: string;
  /**
   * The folder the manifest will be written to: `source` and `sources` paths are relative to it.
   * Default: `process.cwd()`.
   */
  baseDir?: string;
  /** The tsconfig.json whose compiler options are used. Default: the nearest one above `entry`. */
  tsconfig?: string;
}

/**
 * The manifest of every function `entry` registers with `registry.add` / `registry.addSync`.
 *
 * @throws {SchemaGenErrors} with every problem found (unsupported types, duplicate names, …).
 * @example
 * const manifest = generateManifest({ entry: 'demo/functions.ts', baseDir: 'demo' });
 */
export function generateManifest(options: GenerateManifestOptions): Manifest {
  const entry = path.resolve(options.entry);
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  // Error locations are for the person at the terminal: relative to where they run the command.
  const shown = (file: string) => relativePath(process.cwd(), file);
  if (!fs.existsSync(entry) || !fs.statSync(entry).isFile()) {
    throw new SchemaGenErrors([
      new SchemaGenError('EntryNotFound', 'no such module', { file: shown(entry) }),
    ]);
  }
  const program = createProgram(entry, options.tsconfig && path.resolve(options.tsconfig));
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(entry);
  if (!sourceFile)
    throw new SchemaGenErrors([
      new SchemaGenError('EntryNotFound', 'not a TypeScript module', { file: shown(entry) }),
    ]);

  const errors = new ErrorCollector(process.cwd());
  const sources = projectSourceFiles(sourceFile, checker);
  // Type errors elsewhere do not change what a form looks like (an unresolved type becomes `any` and
  // is refused below), but a file that does not parse cannot be read at all.
  for (const file of sources) {
    for (const diagnostic of program.getSyntacticDiagnostics(file)) {
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      errors.errors.push(
        new SchemaGenError('SyntaxError', ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'), {
          file: shown(file.fileName),
          line: line + 1,
        }),
      );
    }
  }
  if (errors.errors.length) throw new SchemaGenErrors(errors.sorted());

  const registrations = findRegistrations(sourceFile, checker);
  if (!registrations.length) {
    throw new SchemaGenErrors([
      new SchemaGenError(
        'NoRegistrations',
        "no registry.add(fn) / registry.addSync(fn) call on turtle-shell's registry",
        { file: shown(entry) },
      ),
    ]);
  }

  const mapper = new TypeSchemaMapper(checker);
  const functions = new Map<string, ManifestFunction>();
  const firstSeen = new Map<string, ts.Node>();
  for (const registration of registrations) {
    const method = registration.mode === 'sync' ? 'addSync' : 'add';
    if (!registration.fn) {
      errors.report('NotAFunction', `registry.${method}() needs a function`, registration.call);
      continue;
    }
    const found = resolveFunction(registration.fn, checker);
    const resolved = 'reason' in found ? undefined : found;
    const { options: opts, problems } = readOptions(registration.options, checker);
    for (const problem of problems) {
      errors.report(problem.kind, problem.message, problem.node, {
        function: resolved?.name ?? registration.fn.getText(),
        option: problem.option,
      });
    }
    if ('reason' in found) {
      errors.report('NotAFunction', `registry.${method}() ${found.reason}`, registration.fn, {
        function: registration.fn.getText(),
      });
      continue;
    }
    // Without a readable name, a duplicate check against the function's own name would only mislead.
    if (problems.some((p) => p.option === 'name' || p.option === 'options' || p.option === '...')) continue;
    const name = opts.name ?? found.name;
    const previous = firstSeen.get(name);
    if (previous) {
      const { file, line } = locate(previous, process.cwd());
      errors.report(
        'DuplicateName',
        `the name ${JSON.stringify(name)} is already registered at ${file}:${line}`,
        registration.call,
        { function: found.name, name, firstRegisteredAt: `${file}:${line}` },
      );
      continue;
    }
    firstSeen.set(name, registration.call);

    const docs = readFunctionDocs(found.node, found.declaration, checker);
    const ctx = {
      checker,
      mapper,
      errors,
      docs,
      widgets: opts.widgets,
      widgetNodes: opts.widgetNodes,
      functionName: found.name,
      call: registration.call,
    };
    const { call, params } = buildParams(found.node, ctx);
    const returns = buildReturns(found.node, docs.returns, ctx);
    if (!params || !returns) continue;
    const schedules = checkScheduleInputs(opts.schedules, params, (message, node) =>
      errors.report('InvalidOption', message, node, { function: found.name, option: 'schedules' }),
    );
    const { file, line } = locate(found.declaration, baseDir);
    functions.set(name, {
      name,
      functionName: found.name,
      mode: registration.mode,
      ...(opts.title !== undefined && { title: opts.title }),
      ...(docs.description !== undefined && { description: docs.description }),
      call,
      params,
      returns,
      source: `${file}:${line}`,
      ...(schedules.length && { schedules }),
    });
  }
  if (errors.errors.length) throw new SchemaGenErrors(errors.sorted());

  const sorted = [...functions.keys()].sort();
  return {
    version: MANIFEST_VERSION,
    functions: Object.fromEntries(sorted.map((name) => [name, functions.get(name)!])),
    sources: hashSources(sources, baseDir),
  };
}
