/**
 * Requests Node's HTTP parser refuses before any app sees them (a method it does not know, such as
 * `BREW`; a malformed request line or header) get the API's JSON error shape instead of Node's
 * empty `400`: `501 NotImplemented` for an unknown method, `431`/`408` as Node would answer them,
 * else `400 InvalidRequest`. The connection is closed afterwards, as Node does.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { ErrorBody, TurtleErrorType } from '../../api/errors.js';

/** Answers `server`'s client errors as JSON. */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, type, message] = describe(err.code);
    const body = JSON.stringify({ error: { type, message, details: {} } } satisfies ErrorBody);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function describe(code: string | undefined): [number, TurtleErrorType, string] {
  switch (code) {
    case 'HPE_INVALID_METHOD':
      return [501, 'NotImplemented', 'The request method is not one this server answers'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'RequestHeadersTooLarge', 'The request headers are too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'RequestTimeout', 'The request took too long to arrive'];
    default:
      return [400, 'InvalidRequest', 'The request is not valid HTTP'];
  }
}
