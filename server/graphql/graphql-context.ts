/**
 * What the generated schema's resolvers call: one request's view of the executions service (who
 * asks, what they may see and do), built by `execution-operations.ts`. The schema itself holds no
 * service, so the same schema prints the SDL (`turtle schema --graphql`) and answers requests.
 */
import type { Execution, ExecutionEvent, ExecutionStatus, ExecutionWithEvents } from '../../api/execution.js';
import type { FunctionInfo } from '../../api/functions.js';

/** The query of `executions(function, status, user, first, after)`. */
export interface ExecutionsQuery {
  functionName?: string;
  status?: ExecutionStatus;
  user?: string;
  /** Page size, 1 to 500. */
  first: number;
  /** The cursor of an edge (or `pageInfo.endCursor`) of the previous page. */
  after?: string;
}

/** A page of executions, newest first, as answers may show them. */
export interface ExecutionsPage {
  items: Execution[];
  /** The cursor after the last item when there are more; else null. */
  next: string | null;
}

/** One request's operations, for the resolvers. Every execution returned is as answers may show it. */
export interface GraphQLOperations {
  functions(): FunctionInfo[];
  /** Runs (sync) or stores and hands off (background) an execution, as `POST /api/functions/:name/executions`. */
  submit(functionName: string, input: Record<string, unknown>): Promise<Execution>;
  get(id: string): Promise<ExecutionWithEvents>;
  /** The timeline of an execution already read by this request. */
  events(execution: Execution): Promise<ExecutionEvent[]>;
  list(query: ExecutionsQuery): Promise<ExecutionsPage>;
  /** The keyset cursor just after `execution` in a list. */
  cursorOf(execution: Execution): string;
  cancel(id: string): Promise<Execution>;
  rerun(id: string): Promise<Execution>;
}

/** The `contextValue` of every operation. */
export interface GraphQLContext {
  operations: GraphQLOperations;
}
