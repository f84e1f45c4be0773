/**
 * One GraphQL request's {@link GraphQLOperations}: the same calls the JSON API's routes make on the
 * executions service, with the same checks — `authorize` before running, re-running or cancelling;
 * visibility (own executions only) for every read and change; every execution passed through the
 * presenter, so secrets are masked and tracebacks made safe exactly as on `/api`.
 */
import { MAX_PAGE_SIZE, type Execution } from '../../api/execution.js';
import type { AppContextDeps } from '../http/app-options.js';
import { InvalidRequest } from '../http/http-errors.js';
import { functionView } from '../http/routes/functions.js';
import { assertMayAct, visibility, visibleOwner } from '../http/routes/execution-access.js';
import { encodeCursor } from '../executions/cursor.js';
import type { ExecutionsQuery, GraphQLOperations } from './graphql-context.js';

/** Who asks, and how. */
export interface RequestIdentity {
  /** The authenticated user; undefined when auth is off. */
  user: string | undefined;
  /** The request's `Idempotency-Key`, checked; undefined when not sent. */
  idempotencyKey: string | undefined;
}

/** The operations of one request by `identity`, over the app's `deps`. */
export function executionOperations(deps: AppContextDeps, identity: RequestIdentity): GraphQLOperations {
  const { user, idempotencyKey } = identity;
  const present = <E extends Execution>(execution: E) => deps.present.execution(execution);
  const visible = () => visibility(user, deps.ownExecutionsOnly);
  // Visible first (else ExecutionNotFound, before any event is read), then may act (else Forbidden).
  const mayChange = async (id: string, action: 'cancel' | 'rerun') => {
    const { functionName } = await deps.executions.get(id, { ...visible(), events: false });
    await assertMayAct(deps, user, functionName, action);
    return { ...(user !== undefined && { user }), ...visible() };
  };

  return {
    functions: () => Object.values(deps.manifest.functions).map(functionView),

    async submit(functionName, input) {
      await assertMayAct(deps, user, functionName, 'run');
      const options = {
        ...(user !== undefined && { user }),
        ...(idempotencyKey !== undefined && { idempotencyKey }),
      };
      return present(await deps.executions.submit(functionName, input, options));
    },

    get: async (id) => present(await deps.executions.get(id, visible())),

    async events(execution) {
      if (execution.events) return execution.events;
      return (await deps.executions.get(execution.id, visible())).events;
    },

    async list(query: ExecutionsQuery) {
      if (!Number.isInteger(query.first) || query.first < 1 || query.first > MAX_PAGE_SIZE)
        throw new InvalidRequest(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}`, {
          parameter: 'first',
          value: query.first,
        });
      const owner = visibleOwner(user, deps.ownExecutionsOnly);
      if (owner !== undefined && query.user !== undefined && query.user !== owner)
        return { items: [], next: null };
      const page = await deps.executions.list({
        fields: 'full',
        limit: query.first,
        ...(query.functionName !== undefined && { functionName: query.functionName }),
        ...(query.status !== undefined && { status: query.status }),
        ...((owner ?? query.user) !== undefined && { user: owner ?? query.user }),
        ...(query.after !== undefined && { cursor: query.after }),
      });
      return deps.present.page(page);
    },

    // The store's keyset position of an item, as its own `next` cursors are made.
    cursorOf: (execution) => encodeCursor({ createdAt: Date.parse(execution.createdAt), id: execution.id }),

    cancel: async (id) => present(await deps.executions.cancel(id, await mayChange(id, 'cancel'))),

    rerun: async (id) => present(await deps.executions.rerun(id, await mayChange(id, 'rerun'))),
  };
}
