/**
 * Finds the `registry.add(fn, options?)` / `registry.addSync(fn, options?)` calls of a registration
 * module. The receiver must really be turtle-shell's registry (the `registry` export, or a registry
 * made by its `createRegistry()`), resolved through imports with the checker, so an unrelated
 * `set.add(x)` is never mistaken for a registration.
 */
import ts from 'typescript';
import type { ExecutionMode } from '../manifest/manifest.js';

/** The package name user code imports turtle-shell by. */
export const PACKAGE_NAME = 'turtle-shell';

/** One registration call, as found in the source. */
export interface Registration {
  /** The whole call, for error locations. */
  call: ts.CallExpression;
  /** `async` for `add`, `sync` for `addSync`. */
  mode: ExecutionMode;
  /** The first argument (the function), if any. */
  fn: ts.Expression | undefined;
  /** The second argument (the options), if any. */
  options: ts.Expression | undefined;
}

const METHOD_MODES: Record<string, ExecutionMode> = { add: 'async', addSync: 'sync' };

/** Every registration call in `sourceFile`, in source order. */
export function findRegistrations(sourceFile: ts.SourceFile, checker: ts.TypeChecker): Registration[] {
  const found: Registration[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const mode = METHOD_MODES[node.expression.name.text];
      if (mode && isTurtleRegistry(node.expression.expression, checker)) {
        found.push({ call: node, mode, fn: node.arguments[0], options: node.arguments[1] });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Whether `expr` is turtle-shell's `registry`, or a variable initialised with its `createRegistry()`. */
export function isTurtleRegistry(expr: ts.Expression, checker: ts.TypeChecker): boolean {
  if (refersToTurtleExport(expr, 'registry', checker)) return true;
  const target = finalSymbol(expr, checker);
  const decl = target?.valueDeclaration;
  return (
    !!decl &&
    ts.isVariableDeclaration(decl) &&
    !!decl.initializer &&
    ts.isCallExpression(decl.initializer) &&
    refersToTurtleExport(decl.initializer.expression, 'createRegistry', checker)
  );
}

/**
 * Whether `expr` names the export `exportName` of turtle-shell: `x` imported (possibly renamed, possibly
 * through the project's own re-exports) from 'turtle-shell', or `ns.x` with `import * as ns`.
 */
export function refersToTurtleExport(
  expr: ts.Expression,
  exportName: string,
  checker: ts.TypeChecker,
): boolean {
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
    const ns = checker.getSymbolAtLocation(expr.expression)?.declarations?.[0];
    return (
      !!ns &&
      ts.isNamespaceImport(ns) &&
      moduleText(ns.parent.parent) === PACKAGE_NAME &&
      expr.name.text === exportName
    );
  }
  if (!ts.isIdentifier(expr)) return false;
  let symbol = checker.getSymbolAtLocation(expr);
  // Walk the alias chain one hop at a time: the final target may not resolve at all (e.g. while the
  // package is being built), but the import that names 'turtle-shell' is always in the chain.
  for (let hops = 0; symbol && symbol.flags & ts.SymbolFlags.Alias && hops < 32; hops++) {
    const decl = symbol.declarations?.[0];
    if (decl && (ts.isImportSpecifier(decl) || ts.isExportSpecifier(decl))) {
      const specifiers = decl.parent.parent;
      if (moduleText(specifiers) === PACKAGE_NAME)
        return (decl.propertyName ?? decl.name).text === exportName;
    }
    symbol = checker.getImmediateAliasedSymbol(symbol);
  }
  return false;
}

/** The symbol an identifier finally stands for, through imports. */
function finalSymbol(expr: ts.Expression, checker: ts.TypeChecker): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(expr);
  if (!symbol) return undefined;
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The module specifier text of an import/export declaration (or its clause). */
function moduleText(node: ts.Node): string | undefined {
  const decl = ts.isImportClause(node) ? node.parent : node;
  const spec =
    ts.isImportDeclaration(decl) || ts.isExportDeclaration(decl) ? decl.moduleSpecifier : undefined;
  return spec && ts.isStringLiteral(spec) ? spec.text : undefined;
}
