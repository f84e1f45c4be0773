/**
 * A real webhook receiver on 127.0.0.1 for tests: verifies every request with standardwebhooks'
 * `Webhook.verify`, answers what the test says (500s first, then 200), can go down (its port
 * closed, open connections cut) and come up again on the same port, and lets a test wait for requests.
 */
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as received. */
export interface Received {
  path: string;
  id: string;
  /** Whether `Webhook.verify` accepted the signature. */
  verified: boolean;
  body: Record<string, unknown>;
  /** What the receiver answered. */
  answered: number;
}

export class WebhookReceiver extends EventEmitter {
  readonly received: Received[] = [];
  /** The status of the next answers, in order; 200 once used up. */
  answers: number[] = [];
  /** Called after each answer is sent (e.g. to go down right after). */
  afterAnswer: ((r: Received) => void) | undefined;
  #server: http.Server | undefined;
  #port = 0;
  readonly #verifier: Webhook;

  constructor(secret: string) {
    super();
    this.#verifier = new Webhook(secret);
  }

  /** `http://127.0.0.1:<port>` (the port stays the same across down/up). */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async up(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let verified = true;
        try {
          this.#verifier.verify(text, req.headers as Record<string, string>);
        } catch {
          verified = false;
        }
        const answered = this.answers.shift() ?? 200;
        const received: Received = {
          path: req.url ?? '',
          id: String(req.headers['webhook-id']),
          verified,
          body: JSON.parse(text) as Record<string, unknown>,
          answered,
        };
        this.received.push(received);
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(String(answered), () => {
          this.afterAnswer?.(received);
          this.emit('request', received);
        });
      });
    });
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Closes the port and cuts every connection: attempts now fail to connect. */
  async down(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  /** Resolves once `count` requests have been received in all. */
  async requests(count: number): Promise<Received[]> {
    while (this.received.length < count) await once(this, 'request');
    return this.received.slice(0, count);
  }
}
