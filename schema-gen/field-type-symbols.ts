/**
 * Recognises turtle-shell's field types (`Integer`, `Text`, `Secret` from manifest/field-types.ts) by
 * the declaration of the type's alias symbol, not by its name: a user's own `type Text = string` is
 * plain text, while `Integer` imported from 'turtle-shell' (source or built .d.ts) is ours.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** What a field type asks of the form. */
export type FieldKind = 'integer' | 'text' | 'secret';

const KIND_BY_ALIAS: Record<string, FieldKind> = { Integer: 'integer', Text: 'text', Secret: 'secret' };

/** Where the field types are declared: the source file and both places a built .d.ts can be. */
const DECLARATION_FILES: ReadonlySet<string> = packageFiles([
  'manifest/field-types.ts',
  'manifest/field-types.d.ts',
  'dist/manifest/field-types.d.ts',
]);

/** Which of `candidates` (paths in the turtle-shell package) exist, as normalised real paths. */
export function packageFiles(candidates: readonly string[]): Set<string> {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  // Walk up to the package root; this module runs both from source and from dist/.
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (
      fs.existsSync(pkg) &&
      (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'turtle-shell'
    )
      break;
    const up = path.dirname(dir);
    if (up === dir) return new Set();
    dir = up;
  }
  const files = new Set<string>();
  for (const candidate of candidates) {
    const file = path.join(dir, candidate);
    if (fs.existsSync(file)) files.add(normalise(fs.realpathSync(file)));
  }
  return files;
}

function normalise(file: string): string {
  return file.split(path.sep).join('/');
}

/** The field kind `type` stands for, if its alias is one of turtle-shell's field types. */
export function fieldKindOf(type: ts.Type): FieldKind | undefined {
  return type.aliasSymbol && fieldKindOfSymbol(type.aliasSymbol);
}

/** The field kind `symbol` declares, if it is one of turtle-shell's field type aliases. */
export function fieldKindOfSymbol(symbol: ts.Symbol): FieldKind | undefined {
  const kind = KIND_BY_ALIAS[symbol.name];
  return kind && isDeclaredIn(symbol, DECLARATION_FILES) ? kind : undefined;
}

/** Whether `symbol` is declared in one of `files` (from {@link packageFiles}). */
export function isDeclaredIn(symbol: ts.Symbol, files: ReadonlySet<string>): boolean {
  const file = symbol.declarations?.[0]?.getSourceFile().fileName;
  return file !== undefined && files.has(normalise(realpath(file)));
}

const realpaths = new Map<string, string>();
function realpath(file: string): string {
  let real = realpaths.get(file);
  if (real === undefined) {
    try {
      real = fs.realpathSync(file);
    } catch {
      real = file;
    }
    realpaths.set(file, real);
  }
  return real;
}
