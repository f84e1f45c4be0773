/**
 * A function that waits on another system returns `pending(state)` until it has its result, so its
 * honest return type is `Result | Pending<State>`. A `Pending` is never stored as the output: the
 * `returns` schema leaves it out and describes the result alone.
 */
import ts from 'typescript';
import { isDeclaredIn, packageFiles } from './field-type-symbols.js';

/** Where `Pending` is declared: the source file and both places a built .d.ts can be. */
const PENDING_FILES: ReadonlySet<string> = packageFiles([
  'server/executions/pending.ts',
  'server/executions/pending.d.ts',
  'dist/server/executions/pending.d.ts',
]);

/** Whether `type` is turtle-shell's `Pending` (not a user's own type of that name). */
export function isPendingType(type: ts.Type): boolean {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  return symbol?.name === 'Pending' && isDeclaredIn(symbol, PENDING_FILES);
}

/** The checker's union constructor: public in the compiler, absent from its typings. */
type WithUnion = ts.TypeChecker & { getUnionType?: (types: ts.Type[]) => ts.Type };

/**
 * `type` without its `Pending` members: the one remaining member, their union, or `undefined` when
 * nothing but `Pending` remains (the result is not typed). A type without `Pending` is returned as is.
 */
export function withoutPending(type: ts.Type, checker: ts.TypeChecker): ts.Type | undefined {
  if (isPendingType(type)) return undefined;
  if (!type.isUnion()) return type;
  const rest = type.types.filter((member) => !isPendingType(member));
  if (rest.length === type.types.length) return type;
  if (rest.length === 0) return undefined;
  if (rest.length === 1) return rest[0];
  return (checker as WithUnion).getUnionType?.(rest) ?? type;
}
