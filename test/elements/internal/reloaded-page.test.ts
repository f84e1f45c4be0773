/** `withLoadedBelow`: a reloaded first page keeps what "Load more" had loaded below it, in API order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExecutionSummary } from '../../../api/index.js';
import { withLoadedBelow } from '../../../elements/internal/reloaded-page.js';

const at = (second: number, id: string) =>
  ({ id, createdAt: `2026-12-03T10:00:${String(second).padStart(2, '0')}.000Z` }) as ExecutionSummary;
const ids = (items: readonly ExecutionSummary[]) => items.map((e) => e.id);

test('keeps the loaded executions older than the fresh page, with their cursor', () => {
  const shown = [at(5, 'e'), at(4, 'd'), at(3, 'c'), at(2, 'b')];
  const fresh = { items: [at(6, 'f'), at(5, 'e')], next: 'cursor-e' };
  const merged = withLoadedBelow(fresh, shown, 'cursor-b');
  assert.deepEqual(ids(merged.items), ['f', 'e', 'd', 'c', 'b']);
  assert.equal(merged.next, 'cursor-b');
});

test('breaks ties on createdAt by id, as the API does', () => {
  const shown = [at(5, 'x2'), at(5, 'x1'), at(4, 'w')];
  const merged = withLoadedBelow({ items: [at(6, 'y'), at(5, 'x2')], next: 'c' }, shown, null);
  assert.deepEqual(ids(merged.items), ['y', 'x2', 'x1', 'w']);
});

test('the fresh page alone when it reaches the end or nothing was loaded below it', () => {
  const shown = [at(5, 'e'), at(4, 'd')];
  assert.deepEqual(
    withLoadedBelow({ items: [at(6, 'f'), at(5, 'e'), at(4, 'd')], next: null }, shown, null).items.length,
    3,
  );
  const fresh = { items: [at(6, 'f'), at(5, 'e'), at(4, 'd')], next: 'cursor-d' };
  assert.equal(withLoadedBelow(fresh, shown, 'old'), fresh);
});
