/** The GraphQL endpoint generated from the manifest: `createApp({ graphql })`, and the SDL for clients. */
export { schemaFromManifest, mutationName, DEFAULT_FIRST } from './schema-from-manifest.js';
export { printSdl } from './sdl.js';
export { GraphQLNameCollision, graphqlName } from './names.js';
export { DEFAULT_MAX_COST, DEFAULT_MAX_DEPTH, type QueryLimits } from './query-limits.js';
export type { GraphQLOptions } from './mount-graphql.js';
export { GraphiQLNotBuilt } from './graphiql-page.js';
export type {
  GraphQLContext,
  GraphQLOperations,
  ExecutionsQuery,
  ExecutionsPage,
} from './graphql-context.js';
