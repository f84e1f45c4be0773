/**
 * Posting GraphQL operations to a test API (`startApi(kind, { graphql: true })`), with the answer
 * typed as the test expects it.
 */
import type { ApiHarness } from '../../http/support/api-harness.js';

/** The `details` of a turtle error in `extensions`, with the fields the tests read. */
export type ErrorDetails = Record<string, unknown> & {
  measure?: string;
  limit?: number;
  actual?: number;
  current?: string;
  errors?: Array<{ path: string }>;
};

/** One entry of a GraphQL answer's `errors`. */
export interface GraphQLErrorJson {
  message: string;
  path?: Array<string | number>;
  locations?: Array<{ line: number; column: number }>;
  extensions?: { type: string; details: ErrorDetails };
}

/** What `graphql()` answers: the HTTP status, headers and the GraphQL response. */
export interface GraphQLAnswer<Data> {
  status: number;
  headers: Headers;
  body: {
    data?: Data | null;
    errors?: GraphQLErrorJson[];
    /** The JSON API's error shape: what is refused before GraphQL runs (401, 413, …). */
    error?: { type: string; message: string; details: Record<string, unknown> };
  };
}

/** POSTs `query` with `variables` as `application/json`, accepting graphql-response+json. */
export async function graphql<Data = Record<string, unknown>>(
  api: Pick<ApiHarness, 'request'>,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<Data>> {
  const answer = await api.request('/graphql', {
    method: 'POST',
    json: { query, ...(variables && { variables }) },
    headers: { accept: 'application/graphql-response+json', ...headers },
  });
  return { status: answer.status, headers: answer.headers, body: answer.body as GraphQLAnswer<Data>['body'] };
}
