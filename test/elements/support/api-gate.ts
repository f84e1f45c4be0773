/**
 * A way to the browser tests' API that the tests can cut, to show the elements an unreachable
 * server: it forwards every request to the API, except `POST /__gate/down` (drops every open
 * connection, and every new one until…), `POST /__gate/up`, and `GET /__gate/requests` (the
 * requests it forwarded, with the headers a reconnecting stream must send: see {@link GateRequest}).
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the gate forwarded, as `GET /__gate/requests` lists it (oldest first). */
export interface GateRequest {
  method: string;
  /** Path and query. */
  url: string;
  authorization: string | null;
  lastEventId: string | null;
}

/** Starts the gate in front of `target` (an origin); `url` is the gate's origin. */
export async function startGate(target: string): Promise<{ url: string; close(): void }> {
  let up = true;
  const sockets = new Set<Socket>();
  const forwardedRequests: GateRequest[] = [];
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
