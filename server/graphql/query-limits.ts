/**
 * Bounds on what one GraphQL document may ask for, checked before anything runs
 * (`prepared-documents.ts`): its depth (the small validation rule here: fields nested in fields,
 * fragments followed, introspection not counted) and its cost (graphql-query-complexity: each field
 * costs 1; `executions` costs its selection times `first`, `events` ten times its selection). Over a
 * bound the request gets a typed `QueryTooComplex` error (`extensions.details`: `measure`, `limit`,
 * `actual`), not a slow server.
 */
import {
  GraphQLError,
  Kind,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/** The default deepest nesting of fields. */
export const DEFAULT_MAX_DEPTH = 12;
/** The default highest cost of a document. */
export const DEFAULT_MAX_COST = 10_000;

/** Limits of {@link queryLimitRules}. */
export interface QueryLimits {
  /** Deepest nesting of fields (`{ a { b } }` is 2). Default {@link DEFAULT_MAX_DEPTH}. */
  maxDepth?: number;
  /** Highest cost. Default {@link DEFAULT_MAX_COST}. */
  maxCost?: number;
}

/** The error of a document over a limit. */
export function tooComplex(measure: 'depth' | 'cost', limit: number, actual: number): GraphQLError {
  return new GraphQLError(
    `The query's ${measure} is ${actual}, more than the limit of ${limit}: ask for less, or page with a smaller \`first\``,
    { extensions: { type: 'QueryTooComplex', details: { measure, limit, actual } } },
  );
}

/** The depth rule: reports each operation deeper than `maxDepth`. */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    const depthOf = (set: SelectionSetNode, depth: number, visiting: ReadonlySet<string>): number => {
      let deepest = depth;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          // Introspection (GraphiQL's own query is deep) reads the schema, not executions.
          if (selection.name.value.startsWith('__')) continue;
          const inner = selection.selectionSet
            ? depthOf(selection.selectionSet, depth + 1, visiting)
            : depth + 1;
          deepest = Math.max(deepest, inner);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, depth, visiting));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // A cycle is reported by graphql's own NoFragmentCycles rule; here it only stops the walk.
          if (fragment && !visiting.has(name))
            deepest = Math.max(deepest, depthOf(fragment.selectionSet, depth, new Set([...visiting, name])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, 0, new Set());
        if (depth > maxDepth) context.reportError(tooComplex('depth', maxDepth, depth));
      },
    };
  };
}
