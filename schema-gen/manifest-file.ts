/**
 * Writing the manifest file, and checking it is up to date (`--check`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../manifest/manifest.js';
import { diffManifests } from './manifest-diff.js';
import { serializeManifest } from './manifest-json.js';

/** Writes the manifest atomically (temp file + rename), so a reader never sees half a file. */
export function writeManifest(file: string, manifest: Manifest): void {
  const text = serializeManifest(manifest);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** The outcome of {@link checkManifest}. */
export interface CheckResult {
  /** Whether the file's bytes equal what would be written. */
  upToDate: boolean;
  /** A readable line per difference (empty when up to date). */
  differences: string[];
}

/** Compares `file` with `manifest` without writing anything. */
export function checkManifest(file: string, manifest: Manifest): CheckResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { upToDate: false, differences: [`${file} does not exist`] };
  }
  if (text === serializeManifest(manifest)) return { upToDate: true, differences: [] };
  let onDisk: unknown;
  try {
    onDisk = JSON.parse(text);
  } catch {
    return { upToDate: false, differences: ['the file is not valid JSON'] };
  }
  const differences = diffManifests(onDisk, manifest);
  return { upToDate: false, differences: differences.length ? differences : ['formatting differs'] };
}
