/**
 * How the server commands report a failed start: one line naming what is wrong (a typed error's
 * message says how to fix it), the stack only for errors nobody expected.
 */

/** Prints `err` for `turtle <command>` and returns the exit code. */
export async function reportStartupError(command: string, err: unknown): Promise<number> {
  const typed = err instanceof Error && typeof (err as { type?: unknown }).type === 'string';
  if (typed) {
    console.error(`turtle ${command}: ${err.message}`);
    return 1;
  }
  // Loaded only on this path: it imports Knex, which `turtle --help` must not pay for.
  const { isDatabaseUnavailable } = await import('../storage/database-errors.js');
  // The reason by its code: Knex prefixes a driver's message with the statement and its values.
  if (isDatabaseUnavailable(err))
    console.error(
      `turtle ${command}: the database does not answer (${(err as { code?: string }).code ?? (err as Error).name}): check that it runs and that DATABASE_URL points at it`,
    );
  else console.error(`turtle ${command}: unexpected error`, err);
  return 1;
}
