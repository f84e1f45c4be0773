import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RECONNECT_DELAY_MS, reconnectDelay } from '../../../elements/internal/reconnect-delay.js';

describe('reconnectDelay', () => {
  it("waits the server's retry delay after a break", () => {
    assert.equal(reconnectDelay(2000, 0), 2000);
  });

  it('doubles the wait for each failed attempt since', () => {
    assert.deepEqual(
      [1, 2, 3].map((failed) => reconnectDelay(2000, failed)),
      [4000, 8000, 16000],
    );
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    assert.equal(reconnectDelay(2000, 5), MAX_RECONNECT_DELAY_MS);
    assert.equal(reconnectDelay(2000, 10_000), MAX_RECONNECT_DELAY_MS);
  });

  it('honours a server that asks for a longer wait than the cap', () => {
    assert.equal(reconnectDelay(60_000, 0), 60_000);
    assert.equal(reconnectDelay(60_000, 3), 60_000);
  });
});
