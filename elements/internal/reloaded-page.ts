/**
 * A live update reloads the first page of a list; the executions loaded with "Load more" below it
 * must stay. Pages are ordered newest first by (createdAt, id), as the API sorts them.
 */
import type { ExecutionPage, ExecutionSummary } from '../../api/index.js';

/** Newest first, as `GET /api/executions` orders them. */
function isOlder(a: ExecutionSummary, b: ExecutionSummary): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);
}

/**
 * The list after reloading its first page: the fresh page, then the previously shown executions
 * older than its last one (with the cursor that followed them), or just the fresh page when it
 * reaches the end or nothing was loaded below it.
 */
export function withLoadedBelow(
  fresh: ExecutionPage<ExecutionSummary>,
  shown: readonly ExecutionSummary[],
  shownNext: string | null,
): ExecutionPage<ExecutionSummary> {
  const last = fresh.items.at(-1);
  if (!last || fresh.next === null) return fresh;
  const below = shown.filter((e) => isOlder(e, last));
  return below.length === 0 ? fresh : { items: [...fresh.items, ...below], next: shownNext };
}
