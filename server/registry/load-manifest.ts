/** Reading `turtle.schema.json` from disk. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_VERSION, type Manifest } from '../../manifest/manifest.js';
import { ManifestMismatch } from '../errors.js';

/** A manifest and the folder its relative paths are relative to. */
export interface LoadedManifest {
  manifest: Manifest;
  /** The absolute folder of the manifest file. */
  manifestDir: string;
}

/**
 * Reads and checks the manifest at `file`.
 * @throws ManifestMismatch when it is missing, not JSON, or of another format version.
 */
export async function loadManifest(file: string): Promise<LoadedManifest> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (err) {
    throw new ManifestMismatch(`Cannot read the manifest ${absolute} (${(err as Error).message})`, {
      file: absolute,
    });
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (err) {
    throw new ManifestMismatch(`The manifest ${absolute} is not JSON (${(err as Error).message})`, {
      file: absolute,
    });
  }
  if (
    typeof manifest !== 'object' ||
    manifest === null ||
    manifest.version !== MANIFEST_VERSION ||
    typeof manifest.functions !== 'object' ||
    typeof manifest.sources !== 'object'
  ) {
    throw new ManifestMismatch(
      `The manifest ${absolute} is not a version ${MANIFEST_VERSION} turtle-shell manifest`,
      {
        file: absolute,
        version: (manifest as { version?: unknown } | null)?.version ?? null,
      },
    );
  }
  return { manifest, manifestDir: path.dirname(absolute) };
}
