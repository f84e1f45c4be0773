import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, version } from 'uuid';
import { newExecutionId } from '../../../server/executions/execution-id.js';

test('execution ids are UUIDv7, unique, and increase in creation order across refills of the random pool', () => {
  const before = Date.now();
  const ids = Array.from({ length: 5000 }, newExecutionId);
  const after = Date.now();
  assert.ok(ids.every((id) => validate(id) && version(id) === 7));
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `${ids[i]} after ${ids[i - 1]}`);
  // The first 48 bits are the creation time in ms.
  const ms = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  assert.ok(ms(ids[0]!) >= before && ms(ids.at(-1)!) <= after + 1);
});
