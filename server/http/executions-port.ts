/**
 * What the HTTP layer needs from the executions service: a narrow view, so the API depends on the
 * behaviour it uses.
 */
import type { Executions } from '../executions/executions-service.js';

/** The executions service as the API uses it. */
export type ExecutionsPort = Pick<
  Executions,
  | 'submit'
  | 'get'
  | 'list'
  | 'cancel'
  | 'rerun'
  | 'listEvents'
  | 'newestEventId'
  | 'subscribe'
  | 'functionVersion'
>;
