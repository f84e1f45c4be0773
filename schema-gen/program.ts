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

/** A program rooted at the entry module alone (its imports are pulled in by the compiler). */
export function createProgram(entry: string, tsconfig?: string): ts.Program {
  return ts.createProgram({ rootNames: [entry], options: compilerOptionsFor(entry, tsconfig) });
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
