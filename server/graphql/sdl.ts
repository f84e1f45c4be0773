/**
 * The SDL of a manifest's GraphQL schema, for clients and CI (`turtle schema --graphql`): the
 * printed schema with types, fields and arguments sorted, so the same manifest always gives the
 * same bytes.
 */
import { lexicographicSortSchema, printSchema } from 'graphql';
import type { Manifest } from '../../manifest/manifest.js';
import { schemaFromManifest } from './schema-from-manifest.js';

/** The SDL of `manifest`'s schema, ending with a newline. @throws GraphQLNameCollision */
export function printSdl(manifest: Pick<Manifest, 'functions'>): string {
  return `${printSchema(lexicographicSortSchema(schemaFromManifest(manifest)))}\n`;
}
