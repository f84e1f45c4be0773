/**
 * Reading a request body whole, undoing its `Content-Encoding`: the bytes on the wire and the bytes
 * after decoding are each bounded by the body limit, so a small compressed body cannot inflate into
 * a large one (a zip bomb answers 413 like any other large body).
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import getRawBody from 'raw-body';
import {
  InvalidContentEncoding,
  InvalidRequest,
  PayloadTooLarge,
  UnsupportedContentEncoding,
} from './http-errors.js';

type Decoder = (input: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions) => Promise<Buffer>;

/**
 * The content codings a request body may carry besides `identity`, with their decoders. `deflate` is
 * the zlib format (RFC 9110 §8.4.1.2); `x-gzip` is gzip's old name, which recipients should accept.
 */
const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

/** The codings named in a 415's `Accept-Encoding` (RFC 7694); identity is always accepted. */
export const ACCEPTED_CONTENT_CODINGS: readonly string[] = ['gzip', 'deflate', 'br'];

/**
 * The decoded body of `req`, at most `limit` bytes before and after decoding.
 * @throws UnsupportedContentEncoding (415) for a coding not in {@link ACCEPTED_CONTENT_CODINGS}
 * @throws InvalidContentEncoding (400) when the body is not what its coding says
 * @throws PayloadTooLarge (413) over the limit, on the wire or decoded
 */
export async function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // Listed in the order they were applied; decoded in reverse.
  const codings = (req.headers['content-encoding'] ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const unsupported = codings.find((coding) => !Object.hasOwn(DECODERS, coding));
  if (unsupported !== undefined) throw new UnsupportedContentEncoding(unsupported, ACCEPTED_CONTENT_CODINGS);
  const length = req.headers['content-length'];
  let body = await readRaw(req, limit, length);
  for (const coding of codings.reverse()) {
    try {
      body = await DECODERS[coding]!(body, { maxOutputLength: limit });
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLarge(limit);
      throw new InvalidContentEncoding(coding, (err as Error).message);
    }
  }
  return body;
}

async function readRaw(req: IncomingMessage, limit: number, length: string | undefined): Promise<Buffer> {
  try {
    return await getRawBody(req, { limit, ...(length !== undefined && { length }) });
  } catch (err) {
    switch ((err as { type?: unknown }).type) {
      case 'entity.too.large':
        throw new PayloadTooLarge(limit);
      case 'request.aborted':
      case 'request.size.invalid':
        throw new InvalidRequest((err as Error).message, {});
      default:
        throw err;
    }
  }
}
