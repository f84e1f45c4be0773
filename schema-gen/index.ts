/**
 * schema-gen: typed TypeScript functions → the JSON Schema manifest (`turtle.schema.json`).
 */
export { generateManifest, type GenerateManifestOptions } from './generate-manifest.js';
export { SchemaGenError, SchemaGenErrors, SchemaGenErrorType, type SchemaGenErrorDetails } from './errors.js';
export { serializeManifest } from './manifest-json.js';
export { writeManifest, checkManifest, type CheckResult } from './manifest-file.js';
export { diffManifests } from './manifest-diff.js';
export { schemaCommand, SchemaExitCode } from './cli.js';
