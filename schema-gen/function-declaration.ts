/**
 * Follows the function passed to `registry.add` to its declaration, in the same file or through
 * imports: a `function` declaration, or a `const` initialised with an arrow function or function
 * expression. Anything else (an inline arrow, a call's result, a class, a method) has no stable
 * declared name and signature for a form, so it is refused.
 */
import ts from 'typescript';

/** A registered function's declaration. */
export interface FunctionDeclarationInfo {
  /** The declared name (what `fn.name` is at run time). */
  name: string;
  /** The function node (its parameters, return type and JSDoc). */
  node: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;
  /** Where the name is declared: the `function` keyword's declaration or the variable declaration. */
  declaration: ts.Node;
}

/** Why `expr` cannot be registered, when it is not a usable function declaration. */
export type Unresolved = { reason: string };

const NOT_A_DECLARATION =
  'needs a function declared by name (`function f(…)` or `const f = (…) => …`), in this module or imported';

/** The declaration `expr` refers to, or why it is not a usable named function declaration. */
export function resolveFunction(
  expr: ts.Expression,
  checker: ts.TypeChecker,
): FunctionDeclarationInfo | Unresolved {
  while (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr))
    expr = expr.expression;
  if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr)) return { reason: NOT_A_DECLARATION };
  let symbol = checker.getSymbolAtLocation(expr);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl) return { reason: NOT_A_DECLARATION };
  if (
    ts.isFunctionDeclaration(decl) &&
    (symbol?.declarations?.filter(ts.isFunctionDeclaration).length ?? 0) > 1
  ) {
    // Overload signatures disagree on the parameters, and the implementation's is hidden from callers.
    return { reason: 'cannot take an overloaded function: a form needs exactly one signature' };
  }
  if (ts.isFunctionDeclaration(decl) && decl.name && decl.body) {
    return { name: decl.name.text, node: decl, declaration: decl };
  }
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) {
    let init = decl.initializer;
    while (ts.isParenthesizedExpression(init)) init = init.expression;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
      return { name: decl.name.text, node: init, declaration: decl };
    }
  }
  return { reason: NOT_A_DECLARATION };
}
