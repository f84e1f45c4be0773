/**
 * Binding the HTTP server to its port, with a start-up error that says what to change when the
 * port is taken or not ours to use.
 */
import type http from 'node:http';
import { TurtleError } from '../errors.js';

/** The server could not listen on `details.host`:`details.port`; `details.code` is the system's reason (e.g. `EADDRINUSE`). */
export class CannotListen extends TurtleError {
  override readonly type = 'CannotListen';
  constructor(
    message: string,
    details: { port: number; host: string; code: string },
    options?: ErrorOptions,
  ) {
    super(message, details, options);
  }
}

/**
 * Listens on `port` (0: a free one) at `host`; resolves once bound, rejects with a {@link CannotListen}
 * naming the port and the `--port` / `PORT` settings (or `--host` / `HOST`) when it cannot.
 */
export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(cannotListen(err, port, host));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function cannotListen(err: NodeJS.ErrnoException, port: number, host: string): CannotListen {
  const code = err.code ?? 'UNKNOWN';
  const details = { port, host, code };
  const where = `port ${port} on ${host}`;
  switch (code) {
    case 'EADDRINUSE':
      return new CannotListen(
        `${where} is already in use: stop what listens there, or choose another port with --port <port> or PORT (0 picks a free one)`,
        details,
        { cause: err },
      );
    case 'EACCES':
      return new CannotListen(
        `${where} may not be used by this user (ports below 1024 need privileges): choose another port with --port <port> or PORT`,
        details,
        { cause: err },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new CannotListen(
        `cannot listen on ${host}: no interface of this machine has that address; set --host or HOST (e.g. 127.0.0.1 or 0.0.0.0)`,
        details,
        { cause: err },
      );
    default:
      return new CannotListen(
        `cannot listen on ${where} (${code}: ${err.message}); check --port / PORT and --host / HOST`,
        details,
        { cause: err },
      );
  }
}
