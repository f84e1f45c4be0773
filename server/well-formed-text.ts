/**
 * Lone surrogates: a JavaScript string may hold half of a UTF-16 pair, which is not Unicode text.
 * JSON can escape one (`"\ud800"`), but databases disagree on storing it (MariaDB's `json_valid`
 * refuses it, SQLite keeps it), so turtle-shell never stores one: inputs are refused, outputs error.
 */

/** Whether `text` has no lone surrogate (`String.prototype.isWellFormed`, Node 20; typed in ES2024). */
export function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** `text` with each lone surrogate replaced by U+FFFD, for messages and paths shown to people. */
export function toWellFormed(text: string): string {
  return (text as unknown as { toWellFormed(): string }).toWellFormed();
}
