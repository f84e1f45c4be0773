/** Own executions only: an execution the caller may not see is not found, before anything else of it is read. */
import { ExecutionNotFound } from '../../errors.js';
import type { Visibility } from '../executions-service.js';
import type { ExecutionRecord } from '../store/execution-record.js';

/** `record` when it exists and `visibleTo` may see it. @throws ExecutionNotFound */
export function visible(
  record: ExecutionRecord | undefined,
  id: string,
  { visibleTo }: Visibility = {},
): ExecutionRecord {
  if (!record || (visibleTo !== undefined && record.user !== visibleTo))
    throw new ExecutionNotFound(String(id));
  return record;
}
