/**
 * The project source files a manifest is generated from: the entry module and every file it reaches
 * through relative imports/exports. Packages (bare specifiers, turtle-shell itself included) and lib
 * files are not the project's, so editing them does not make the manifest stale.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import ts from 'typescript';
import { relativePath } from './program.js';

/** The project's source files reachable from `entry`, in discovery order. */
export function projectSourceFiles(entry: ts.SourceFile, checker: ts.TypeChecker): ts.SourceFile[] {
  const seen = new Set<ts.SourceFile>([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const statement of file.statements) {
      const specifier =
        ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
          ? statement.moduleSpecifier
          : undefined;
      if (!specifier || !ts.isStringLiteral(specifier) || !/^\.{1,2}(\/|$)/.test(specifier.text)) continue;
      const target = checker.getSymbolAtLocation(specifier)?.valueDeclaration;
      if (
        target &&
        ts.isSourceFile(target) &&
        !seen.has(target) &&
        !/[\\/]node_modules[\\/]/.test(target.fileName)
      ) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return [...seen];
}

/** `{ relative path: sha256 hex }`, sorted by path, of the files' content on disk. */
export function hashSources(files: readonly ts.SourceFile[], baseDir: string): Record<string, string> {
  const entries = files.map(
    (file) =>
      [
        relativePath(baseDir, file.fileName),
        createHash('sha256').update(fs.readFileSync(file.fileName)).digest('hex'),
      ] as const,
  );
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
