/**
 * U+0000 on PostgreSQL: its text types cannot hold the NUL character (it refuses the statement with
 * 22021), while SQLite and MySQL/MariaDB store it. JSON columns never meet one raw (`JSON.stringify`
 * escapes it as `\u0000`), so only plain-text values can carry one: a traceback, a user name, an id
 * taken from a request. What the store does with them on PostgreSQL:
 * - a lookup by such a value finds nothing (no stored text can equal it), instead of failing;
 * - a written value is stored with each NUL replaced by U+FFFD, as text for people (a traceback) reads
 *   (in `atomically`, whose statements' conditions are compared in that form too).
 */

/** Whether `value` is a string holding a NUL character. */
export function hasNul(value: unknown): boolean {
  return typeof value === 'string' && value.includes('\u0000');
}

/** `value` with each NUL of a string replaced by U+FFFD; other values as they are. */
export function withoutNul(value: unknown): unknown {
  return hasNul(value) ? (value as string).replaceAll('\u0000', '\uFFFD') : value;
}
