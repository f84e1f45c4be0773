/**
 * Files served as `npm run build` wrote them (`scripts/precompressed.mjs`): each with a brotli and a
 * gzip copy, read once at start. A request gets the best encoding it accepts (br, then gzip, then
 * none) with `Vary: Accept-Encoding`, a strong ETag of that representation (each content coding is a
 * representation of its own, RFC 9110 §8.8.3) and `Cache-Control: no-cache`, so browsers revalidate
 * and get 304 until the file changes. Used by the elements bundle and GraphiQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from 'koa';

/** The content codings a file is stored in, best first. */
export const ENCODINGS = ['br', 'gzip', 'identity'] as const;

/** One of {@link ENCODINGS}. */
export type Encoding = (typeof ENCODINGS)[number];

/** One stored encoding of a file. */
export interface Representation {
  body: Buffer;
  /** Strong ETag of `body`. */
  etag: string;
}

/** A file in every encoding. */
export type Representations = Record<Encoding, Representation>;

/** What a build's index lists of one file: each encoding's file name (in the index's folder) and ETag. */
export type IndexEntry = Record<Encoding, { file: string; etag: string }>;

/** Reads the encodings `entry` lists from `dir`; a missing file is a broken build and throws. */
export function readRepresentations(dir: string, entry: IndexEntry): Representations {
  const read = (encoding: Encoding): Representation => ({
    body: fs.readFileSync(path.join(dir, entry[encoding].file)),
    etag: entry[encoding].etag,
  });
  return { br: read('br'), gzip: read('gzip'), identity: read('identity') };
}

/**
 * The best of {@link ENCODINGS} an `Accept-Encoding` header allows, by its q-values; on a tie the
 * smaller one. No header, or one refusing every encoding, gets `identity`.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim());
    if (!coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(coding === 'x-gzip' ? 'gzip' : coding, Number.isFinite(weight) ? weight : 0);
  }
  // Identity is acceptable unless refused by name or by `*;q=0` (RFC 9110 §12.5.3).
  const weight = (coding: Encoding): number =>
    weights.get(coding) ?? weights.get('*') ?? (coding === 'identity' ? 1 : 0);
  let best: Encoding = 'identity';
  let bestWeight = 0;
  for (const coding of ENCODINGS) {
    if (weight(coding) > bestWeight) {
      best = coding;
      bestWeight = weight(coding);
    }
  }
  return best;
}

/** Answers with the representation the request accepts, as `type`; 304 when the client has it already. */
export function sendPrecompressed(ctx: Context, file: Representations, type: string): void {
  const encoding = negotiateEncoding(ctx.get('Accept-Encoding'));
  const { body, etag } = file[encoding];
  ctx.vary('Accept-Encoding');
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', 'no-cache');
  ctx.type = type;
  const match = ctx.get('If-None-Match');
  // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x".
  if (
    match &&
    match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')
  ) {
    ctx.status = 304;
    return;
  }
  if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
  ctx.body = body;
}
