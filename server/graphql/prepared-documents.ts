/**
 * Parsing and validating a GraphQL document costs more than running a small mutation, and clients
 * send the same few documents again and again (with other variables). So each document text is
 * parsed and validated once (graphql-js's `specifiedRules` and the depth rule) and kept in a small
 * least-recently-used table; so is its cost when it declares no variables (else the cost is
 * computed per request: a variable may be a `first`). Documents longer than
 * {@link CACHED_DOCUMENT_CHARS} are prepared every time, so the table stays small.
 */
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import {
  DEFAULT_MAX_COST,
  DEFAULT_MAX_DEPTH,
  depthLimitRule,
  tooComplex,
  type QueryLimits,
} from './query-limits.js';

/** How many documents are kept. */
export const CACHED_DOCUMENTS = 500;
/** The longest document text kept, in characters. */
export const CACHED_DOCUMENT_CHARS = 8192;

interface Prepared {
  document: DocumentNode;
  errors: readonly GraphQLError[];
  /** The cost, when it does not depend on the variables. */
  cost: number | undefined;
}

/** A document ready to run, or the errors that refuse it. */
export type PreparedDocument = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/** Prepares documents for `schema` under `limits`. */
export function documentPreparer(
  schema: GraphQLSchema,
  limits: QueryLimits,
): (
  query: string,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
) => PreparedDocument {
  const maxCost = limits.maxCost ?? DEFAULT_MAX_COST;
  const rules = [...specifiedRules, depthLimitRule(limits.maxDepth ?? DEFAULT_MAX_DEPTH)];
  const estimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];
  const cache = new Map<string, Prepared>();

  const costOf = (
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName: string | null | undefined,
  ) =>
    getComplexity({
      schema,
      query: document,
      variables,
      estimators,
      ...(operationName != null && { operationName }),
    });

  const prepare = (query: string, operationName: string | null | undefined): Prepared => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      if (err instanceof GraphQLError)
        return { document: { kind: Kind.DOCUMENT, definitions: [] }, errors: [err], cost: undefined };
      throw err;
    }
    const errors = validate(schema, document, rules);
    let cost: number | undefined;
    if (errors.length === 0 && !declaresVariables(document)) cost = costOf(document, {}, operationName);
    return { document, errors, cost };
  };

  return (query, variables, operationName) => {
    // The cost of a document with several operations depends on the one chosen.
    const key = `${operationName ?? ''}\n${query}`;
    let prepared = cache.get(key);
    if (prepared) {
      cache.delete(key);
    } else {
      prepared = prepare(query, operationName);
    }
    if (query.length <= CACHED_DOCUMENT_CHARS) {
      cache.set(key, prepared);
      if (cache.size > CACHED_DOCUMENTS) cache.delete(cache.keys().next().value!);
    }
    if (prepared.errors.length > 0) return { errors: prepared.errors };
    let cost = prepared.cost;
    if (cost === undefined) {
      try {
        cost = costOf(prepared.document, variables ?? {}, operationName);
      } catch (err) {
        // Variables that do not fit their types: execution reports them, before anything runs.
        if (err instanceof GraphQLError) return { document: prepared.document };
        throw err;
      }
    }
    if (cost > maxCost) return { errors: [tooComplex('cost', maxCost, cost)] };
    return { document: prepared.document };
  };
}

/** Whether an operation of `document` declares variables (its cost may then depend on them). */
function declaresVariables(document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && (definition.variableDefinitions?.length ?? 0) > 0,
  );
}
