/**
 * Posting GraphQL operations to a test API (`startApi(kind, { graphql: true })`).
 */
import type { ApiHarness, ApiResponse } from '../../http/support/api-harness.js';

/** What `graphql()` answers: the HTTP status and the GraphQL response. */
export interface GraphQLAnswer extends ApiResponse {
  body: {
    data?: any;
    errors?: Array<{ message: string; path?: string[]; extensions?: any }>;
    /** The JSON API's error shape: what is refused before GraphQL runs (401, 413, …). */
    error?: { type: string; message: string; details: Record<string, unknown> };
  };
}

/** POSTs `query` with `variables` as `application/json`, accepting graphql-response+json. */
export function graphql(
  api: Pick<ApiHarness, 'request'>,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer> {
  return api.request('/graphql', {
    method: 'POST',
    json: { query, ...(variables && { variables }) },
    headers: { accept: 'application/graphql-response+json', ...headers },
  });
}
