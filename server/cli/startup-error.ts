/**
 * How the server commands report a failed start: one line naming what is wrong (a typed error's
 * message says how to fix it), the stack only for errors nobody expected.
 */

/** Prints `err` for `turtle <command>` and returns the exit code. */
export function reportStartupError(command: string, err: unknown): number {
  const typed = err instanceof Error && typeof (err as { type?: unknown }).type === 'string';
  if (typed) console.error(`turtle ${command}: ${(err as Error).message}`);
  else console.error(`turtle ${command}: unexpected error`, err);
  return 1;
}
