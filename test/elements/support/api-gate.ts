/**
 * A way to the browser tests' API that the tests can cut, to show the elements an unreachable
 * server: it forwards every request to the API, except `POST /__gate/down` (drops every open
 * connection, and every new one until…), `POST /__gate/up`, and `GET /__gate/requests` (the
 * requests it forwarded, with the headers a reconnecting stream must send: see {@link GateRequest}).
 * A gate started with `report` also records every answer it forwards, and `GET /__gate/report` answers
 * what `report` makes of them (the contract test: every answer the elements get, checked).
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';
import type { RecordedAnswer } from '../../support/openapi-answers.js';

/** A request the gate forwarded, as `GET /__gate/requests` lists it (oldest first). */
export interface GateRequest {
  method: string;
  /** Path and query. */
  url: string;
  authorization: string | null;
  lastEventId: string | null;
}

/** Options of {@link startGate}. */
export interface GateOptions {
  /** Records every answer, and answers `GET /__gate/report` with what this makes of them. Default: none. */
  report?: (answers: RecordedAnswer[]) => unknown;
}

/** An answer on its way: its body's chunks so far, still encoded. */
interface Recording {
  answer: Omit<RecordedAnswer, 'body'>;
  encoding: string;
  chunks: Buffer[];
  /** Whether its body was read to the end (an answer the page dropped half-way was never used). */
  complete: boolean;
}

/** The answers to check: the complete ones, and what came of each event stream (which may run on). */
const checkable = ({ answer, complete }: Recording) =>
  complete || answer.contentType.startsWith('text/event-stream');

/** Starts the gate in front of `target` (an origin); `url` is the gate's origin. */
export async function startGate(
  target: string,
  { report }: GateOptions = {},
): Promise<{ url: string; close(): void }> {
  let up = true;
  const sockets = new Set<Socket>();
  const forwardedRequests: GateRequest[] = [];
  const recordings: Recording[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && (req.url === '/__gate/down' || req.url === '/__gate/up')) {
      up = req.url === '/__gate/up';
      res.writeHead(204, { 'access-control-allow-origin': '*', connection: 'close' }).end();
      if (!up) for (const socket of sockets) if (socket !== req.socket) socket.destroy();
      return;
    }
    if (req.method === 'GET' && req.url === '/__gate/requests') {
      res
        .writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/json' })
        .end(JSON.stringify(forwardedRequests));
      return;
    }
    if (report && req.method === 'GET' && req.url === '/__gate/report') {
      void (async () => {
        const result = await report(recordings.filter(checkable).map(decoded));
        res
          .writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/json' })
          .end(JSON.stringify(result));
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
      return;
    }
    // Down: no answer at all, as when the server is gone (a stream then retries).
    if (!up) return void req.socket.destroy();
    forwardedRequests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization ?? null,
      lastEventId: (req.headers['last-event-id'] as string | undefined) ?? null,
    });
    const forwarded = http.request(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (report) {
          const recording: Recording = {
            answer: {
              method: req.method ?? 'GET',
              url: req.url ?? '/',
              status: answer.statusCode ?? 0,
              contentType: answer.headers['content-type'] ?? '',
            },
            encoding: answer.headers['content-encoding'] ?? '',
            chunks: [],
            complete: false,
          };
          recordings.push(recording);
          answer.on('data', (chunk: Buffer) => recording.chunks.push(chunk));
          answer.on('end', () => (recording.complete = true));
        }
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    res.on('close', () => forwarded.destroy());
    req.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A recording's answer with its body decoded (the server compresses large JSON answers). */
function decoded({ answer, encoding, chunks }: Recording): RecordedAnswer {
  const raw = Buffer.concat(chunks);
  const body =
    encoding === 'br'
      ? zlib.brotliDecompressSync(raw)
      : encoding === 'gzip'
        ? zlib.gunzipSync(raw)
        : encoding === 'deflate'
          ? zlib.inflateSync(raw)
          : raw;
  return { ...answer, body: body.toString('utf8') };
}
