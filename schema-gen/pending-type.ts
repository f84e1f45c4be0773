/**
 * A function that waits on another system returns `pending(state)` until it has its result, so its
 * honest return type is `Result | Pending<State>`. A `Pending` is never stored as the output: the
 * `returns` schema leaves it out and describes the result alone (`type-schema-mapper.ts` drops it
 * from a union, `returns.ts` maps a bare one to `{}`).
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
