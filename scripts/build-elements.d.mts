/** Types of `build-elements.mjs` (plain JavaScript, so that it runs with node alone during an install). */

/** One encoding of the bundle, as `elements.json` lists it. */
export interface Representation {
  /** The file name, in the same folder. */
  file: string;
  /** A strong ETag: the SHA-256 of the file's bytes, so each encoding has its own. */
  etag: string;
  /** The file's size. */
  bytes: number;
}

/** esbuild's options for the bundle browsers get (one minified ES module, in memory). */
export const BROWSER_BUNDLE: import('esbuild').BuildOptions & { write: false };

/** The bundle's file name; the others are named after it. */
export const BUNDLE_FILE: string;
/** The file listing the representations. */
export const INDEX_FILE: string;

/**
 * Bundles `entry` and writes the module, its `.br` and `.gz`, and `elements.json` to `outDir`.
 * Defaults: the package's `elements/index.ts`, `dist/elements`.
 */
export function buildElements(options?: {
  entry?: string;
  outDir?: string;
}): Promise<Record<'identity' | 'br' | 'gzip', Representation>>;
