/**
 * A way to the browser tests' API that the tests can cut, to show the elements an unreachable
 * server: it forwards every request to the API, except `POST /__gate/down` (drops every open
 * connection, and every new one until…) and `POST /__gate/up`.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Starts the gate in front of `target` (an origin); `url` is the gate's origin. */
export async function startGate(target: string): Promise<{ url: string; close(): void }> {
  let up = true;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && (req.url === '/__gate/down' || req.url === '/__gate/up')) {
      up = req.url === '/__gate/up';
      res.writeHead(204, { 'access-control-allow-origin': '*', connection: 'close' }).end();
      if (!up) for (const socket of sockets) if (socket !== req.socket) socket.destroy();
      return;
    }
    // Down: no answer at all, as when the server is gone (EventSource then retries).
    if (!up) return void req.socket.destroy();
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
