/**
 * The manifest's file form: 2-space JSON with a trailing newline. Key order is fixed by how the
 * manifest is built (functions and sources sorted, properties in declaration order), so the same
 * source always gives byte-identical output.
 */
import type { Manifest } from '../manifest/manifest.js';

/** The text written to `turtle.schema.json`. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
