/**
 * Human labels for enum values, so a form can show "Nova Seq S4" while submitting `"novaseq_s4"`.
 * A member's own JSDoc wins; numeric enum members keep their names (the number means nothing to a
 * person); string enum members and string literals are humanised.
 */
import ts from 'typescript';

/** `"novaseq_s4"` → `"Novaseq s4"`, `"NovaSeq"` → `"Nova Seq"`, `"IPS"` → `"IPS"`. */
export function humanise(text: string): string {
  const spaced = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-\s]+/g, ' ')
    .trim();
  return spaced ? spaced[0]!.toUpperCase() + spaced.slice(1) : text;
}

/** The label of one literal member of an enum-like union (an enum member or a string/number literal). */
export function labelOf(member: ts.LiteralType, checker: ts.TypeChecker): string {
  const symbol = member.flags & ts.TypeFlags.EnumLiteral ? member.getSymbol() : undefined;
  if (symbol) {
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
    if (doc) return doc.split('\n')[0]!.trim();
    return typeof member.value === 'number' ? symbol.name : humanise(symbol.name);
  }
  const { value } = member;
  if (typeof value === 'number') return String(value);
  return humanise(typeof value === 'string' ? value : `${value.negative ? '-' : ''}${value.base10Value}`);
}
