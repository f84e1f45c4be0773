/**
 * New execution ids: UUIDv7 (uuid's layout), time-ordered so that InnoDB, which clusters rows by
 * primary key, keeps a newest-first page on neighbouring pages instead of scattered over the table.
 *
 * uuid asks the system for 16 random bytes per id; on virtual machines that call costs more than
 * the rest of making the id, so the bytes come from a pool refilled once per 256 ids. Ids stay
 * monotonic within the process as uuid's own state keeps them: within one millisecond the counter
 * counts up from a random start.
 */
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const ID_BYTES = 16;
const pool = new Uint8Array(ID_BYTES * 256);
let offset = pool.length;
let lastMs = -Infinity;
let seq = 0;

/** A new time-ordered UUID string. */
export function newExecutionId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, (offset += ID_BYTES));
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    // 31 random bits, as uuid seeds its counter: room to count up within the millisecond.
    seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    seq = (seq + 1) | 0;
    // The counter wrapped: borrow the next millisecond, as uuid does.
    if (seq === 0) lastMs++;
  }
  return v7({ random, msecs: lastMs, seq });
}
