/** Types of `build-graphiql.mjs` (plain JavaScript, so that it runs with node alone during an install). */
import type { Representation } from './build-elements.mjs';

/** The file listing the representations. */
export const INDEX_FILE: string;

/**
 * Bundles GraphiQL and writes `graphiql.js`, `graphiql.css`, their `.br` and `.gz`, and
 * `graphiql.json` to `outDir` (default the package's `dist/graphiql`).
 */
export function buildGraphiql(options?: {
  outDir?: string;
}): Promise<Record<string, Record<'identity' | 'br' | 'gzip', Representation>>>;
