/**
 * Shared by the schema-gen tests: generating a fixture's manifest, or the errors it must raise.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, ManifestFunction } from '../../manifest/manifest.js';
import { generateManifest } from '../../schema-gen/generate-manifest.js';
import { SchemaGenErrors, type SchemaGenError } from '../../schema-gen/errors.js';
import { ROOT } from '../support/cli.js';

/** test/schema-gen/fixtures */
export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The manifest of `fixtures/<file>`, paths relative to the repository root. */
export function fixtureManifest(file: string): Manifest {
  return generateManifest({ entry: path.join(FIXTURES, file), baseDir: ROOT });
}

/** One function of a manifest, failing the test when it is missing. */
export function fn(manifest: Manifest, name: string): ManifestFunction {
  const found = manifest.functions[name];
  assert.ok(
    found,
    `function ${name} is in the manifest (has: ${Object.keys(manifest.functions).join(', ')})`,
  );
  return found;
}

/** The errors generating `fixtures/<file>` raises; fails the test when it succeeds. */
export function fixtureErrors(file: string): readonly SchemaGenError[] {
  try {
    generateManifest({ entry: path.join(FIXTURES, file), baseDir: ROOT });
  } catch (error) {
    assert.ok(error instanceof SchemaGenErrors, `expected SchemaGenErrors, got ${String(error)}`);
    return error.errors;
  }
  assert.fail(`generating ${file} should have failed`);
}
