/**
 * A statement sent straight on a mysql2 connection that Knex hands out of its public hooks (the
 * session set-up in the pool's `afterCreate`), bounded in time like every Knex query (see `openDatabase`).
 */

/** The part of a mysql2 connection this module uses (its documented `query` and `destroy`). */
export interface MysqlConnection {
  query(
    options: { sql: string; timeout?: number },
    values: unknown,
    callback: (err: Error | null, result: unknown) => void,
  ): unknown;
  destroy(): void;
}

/**
 * Runs `sql` with `bindings` on `connection`; rejects with mysql2's `PROTOCOL_SEQUENCE_TIMEOUT` after
 * `timeoutMs` (e.g. `databaseTimeoutMs(knex)`). A timed-out connection is closed: mysql2 would leave it
 * open with the reply still owed, and the next borrower's statements would queue behind it.
 */
export function mysqlQuery<T = unknown>(
  connection: MysqlConnection,
  sql: string,
  bindings: unknown,
  timeoutMs: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    connection.query({ sql, timeout: timeoutMs }, bindings, (err, result) => {
      if (!err) return resolve(result as T);
      // A closed connection fails validation, so the pool destroys it instead of lending it out again.
      if ((err as { code?: unknown }).code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy();
      reject(err);
    });
  });
}
