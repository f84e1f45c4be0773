/**
 * Builds the one `ts.Program` everything else reads. It is built once per run (parsing and binding
 * are most of the cost), with the compiler options of the tsconfig.json nearest to the entry module
 * so that imports resolve exactly as they do for the project's own `tsc`.
 */
import path from 'node:path';
import ts from 'typescript';

/** Options used when no tsconfig.json is found above the entry module. */
const FALLBACK_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
};

/** Compiler options for the entry: its nearest tsconfig.json's (or {@link FALLBACK_OPTIONS}), never emitting. */
export function compilerOptionsFor(entry: string, tsconfig?: string): ts.CompilerOptions {
  const configFile = tsconfig ?? ts.findConfigFile(path.dirname(entry), (file) => ts.sys.fileExists(file));
  let options = FALLBACK_OPTIONS;
  if (configFile) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configFile,
      {},
      {
        ...ts.sys,
        // A broken tsconfig must not stop us silently; the diagnostics below surface it.
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    );
    if (parsed) options = parsed.options;
  }
  // strictNullChecks decides which parameters are optional in the checker's eyes; we need it on.
  return {
    ...options,
    noEmit: true,
    strictNullChecks: true,
    declaration: false,
    sourceMap: false,
    incremental: false,
  };
}

/**
 * TypeScript's own `lib.*.d.ts`, parsed once per process: they never change while it runs, and parsing
 * them is most of the cost of a program (a second `generateManifest` in one process, as in a watch
 * loop or the tests, pays only for the project's files).
 */
const libFiles = new Map<string, ts.SourceFile>();

/** A program rooted at the entry module alone (its imports are pulled in by the compiler). */
export function createProgram(entry: string, tsconfig?: string): ts.Program {
  const options = compilerOptionsFor(entry, tsconfig);
  const host = ts.createCompilerHost(options);
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    if (path.dirname(fileName) !== libDir) return read(fileName, languageVersion, ...rest);
    // What changes how a file is parsed and bound: its language version and strict mode.
    const key = JSON.stringify([fileName, languageVersion, options.strict, options.alwaysStrict]);
    let file = libFiles.get(key);
    if (!file) {
      file = read(fileName, languageVersion, ...rest);
      if (file) libFiles.set(key, file);
    }
    return file;
  };
  return ts.createProgram({ rootNames: [entry], options, host });
}

/** `{ file, line }` of a node, the file relative to `baseDir` and `/`-separated. */
export function locate(node: ts.Node, baseDir: string): { file: string; line: number } {
  const sourceFile = node.getSourceFile();
  const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { file: relativePath(baseDir, sourceFile.fileName), line: line + 1 };
}

/** `to` relative to `from`, always with `/` separators (the manifest is the same on every OS). */
export function relativePath(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}
