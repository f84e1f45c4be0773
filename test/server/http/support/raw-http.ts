/**
 * HTTP requests that see the bytes on the wire: `fetch` decodes `Content-Encoding` by itself, which
 * would hide what the server sent.
 */
import http from 'node:http';
import zlib from 'node:zlib';

/** An answer as sent: headers and the body's bytes, still encoded. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a request and reads the whole answer without decoding it. */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body decoded as its `Content-Encoding` says (br, gzip or none). */
export function decoded(res: RawResponse): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === undefined) return res.body;
  if (encoding === 'br') return zlib.brotliDecompressSync(res.body);
  if (encoding === 'gzip') return zlib.gunzipSync(res.body);
  throw new Error(`unexpected Content-Encoding ${encoding}`);
}
