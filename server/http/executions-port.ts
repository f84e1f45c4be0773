/**
 * What the HTTP layer needs from the executions service and the scheduler: narrow views, so the API
 * depends on the behaviour it uses and tests can run it without a worker.
 */
import type { Execution } from '../../api/execution.js';
import type { Executions } from '../executions/executions-service.js';

/** The executions service as the API uses it. */
export type ExecutionsPort = Pick<Executions, 'create' | 'runSync' | 'get' | 'list' | 'cancel' | 'rerun' | 'listEvents' | 'newestEventId' | 'subscribe'>;

/** Where created background executions go to be run (the scheduler); optional in tests. */
export interface EnqueuePort {
  enqueue(execution: Execution): unknown;
}
