/**
 * Turns a default initialiser into a JSON value when it is a literal: numbers (negative too),
 * strings, booleans, `null`, enum members and array/object literals of those. Anything computed
 * (a call, a variable, a template with substitutions) has no static value and gives `undefined`.
 */
import ts from 'typescript';

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The JSON value of `node`, or `undefined` when it is not a literal. */
export function literalValue(node: ts.Expression, checker: ts.TypeChecker): JsonValue | undefined {
  while (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node)
  ) {
    node = node.expression;
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (
    ts.isPrefixUnaryExpression(node) &&
    (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)
  ) {
    const operand = literalValue(node.operand, checker);
    if (typeof operand !== 'number') return undefined;
    return node.operator === ts.SyntaxKind.MinusToken ? -operand : operand;
  }
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    // Enum members (`FlowcellType.IPS`) have a constant value the checker knows. Asked of the member
    // declaration: asked of the access expression it answers only once that expression was checked.
    const symbol = checker.getSymbolAtLocation(
      ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression,
    );
    const member = symbol?.valueDeclaration;
    return member && ts.isEnumMember(member) ? checker.getConstantValue(member) : undefined;
  }
  if (ts.isArrayLiteralExpression(node)) {
    const values: JsonValue[] = [];
    for (const element of node.elements) {
      if (ts.isSpreadElement(element) || ts.isOmittedExpression(element)) return undefined;
      const value = literalValue(element, checker);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const object: { [key: string]: JsonValue } = {};
    for (const prop of node.properties) {
      if (!ts.isPropertyAssignment(prop)) return undefined;
      const key =
        ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) || ts.isNumericLiteral(prop.name)
          ? prop.name.text
          : undefined;
      const value = key === undefined ? undefined : literalValue(prop.initializer, checker);
      if (key === undefined || value === undefined) return undefined;
      object[key] = value;
    }
    return object;
  }
  return undefined;
}
