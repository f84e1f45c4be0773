/**
 * Writes a built file next to its brotli and gzip copies, for a server that sends the one the client
 * accepts without compressing on each request (the elements bundle, GraphiQL).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * @typedef {object} Representation One encoding of a file, as an index lists it.
 * @property {string} file The file name, in the same folder.
 * @property {string} etag A strong ETag: the SHA-256 of the file's bytes, so each encoding has its own.
 * @property {number} bytes The file's size.
 */

const SUFFIX = { identity: '', br: '.br', gzip: '.gz' };

/**
 * Writes `code` as `dir/name`, `name.br` and `name.gz` (best compression).
 * @param {string} dir
 * @param {string} name
 * @param {Buffer} code
 * @returns {Record<'identity' | 'br' | 'gzip', Representation>} each file with its strong ETag and size
 */
export function writePrecompressed(dir, name, code) {
  const encodings = {
    identity: code,
    br: zlib.brotliCompressSync(code, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }),
    gzip: zlib.gzipSync(code, { level: zlib.constants.Z_BEST_COMPRESSION }),
  };
  fs.mkdirSync(dir, { recursive: true });
  /** @type {Record<string, Representation>} */
  const written = {};
  for (const [encoding, bytes] of Object.entries(encodings)) {
    const file = name + SUFFIX[/** @type {keyof typeof SUFFIX} */ (encoding)];
    fs.writeFileSync(path.join(dir, file), bytes);
    written[encoding] = {
      file,
      etag: `"${createHash('sha256').update(bytes).digest('base64url')}"`,
      bytes: bytes.length,
    };
  }
  return /** @type {Record<'identity' | 'br' | 'gzip', Representation>} */ (written);
}
