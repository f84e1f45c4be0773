/**
 * PostgreSQL frozen and back: every way the store reaches it is bounded by `openDatabase`'s
 * `timeoutMs` and fails as unavailable, and the same Knex works again once it answers. A stopped
 * server is stood for by a proxy in this process that keeps the connections up but stops passing
 * bytes on, as a SIGSTOPped server's kernel does (the shared server is never touched).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { atomically } from '../../../server/storage/atomic.js';
import { openDatabase } from '../../../server/storage/database.js';
import { isDatabaseUnavailable } from '../../../server/storage/database-errors.js';
import { readRow } from '../../../server/storage/read-row.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

const TIMEOUT_MS = 500;

/** A TCP proxy to `port` that can stop forwarding (frozen) and start again (thawed). */
async function freezableProxy(port: number) {
  const paused = new Set<net.Socket>();
  let frozen = false;
  const sockets = new Set<net.Socket>();
  const hold = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (frozen) {
      socket.pause();
      paused.add(socket);
    }
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    // After pipe(), which would resume a paused socket.
    hold(client);
    hold(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      frozen = true;
      for (const socket of sockets) {
        socket.pause();
        paused.add(socket);
      }
    },
    thaw() {
      frozen = false;
      for (const socket of paused) socket.resume();
      paused.clear();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Every way the store sends a statement, against the table `probe (id, name)`. */
function operations(knex: Knex): Record<string, () => Promise<unknown>> {
  return {
    'a raw statement': () => knex.raw('select 1'),
    'a query builder': () => knex('probe').select('id'),
    'an insert': () => knex('probe').insert({ name: 'builder' }),
    'a single-row read (readRow)': () => readRow(knex, { select: 'probe', where: { id: 1 } }),
    'an atomic unit (atomically)': () => atomically(knex, [{ insert: 'probe', rows: [{ name: 'unit' }] }]),
  };
}

async function outcomes(knex: Knex): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(operations(knex)))
    result[name] = await run().then(
      () => 'ok',
      (err: unknown) => err,
    );
  return result;
}

describe('PostgreSQL: frozen and back', () => {
  let db: TestDatabase;
  let proxy: Awaited<ReturnType<typeof freezableProxy>>;
  let knex: Knex;

  before(async () => {
    db = await createTestDatabase('postgres', 'pg_timeouts');
    await db.knex.schema.createTable('probe', (t) => {
      t.increments('id');
      t.string('name');
    });
    const url = new URL(db.url);
    proxy = await freezableProxy(Number(url.port || 5432));
    url.port = String(proxy.port);
    knex = openDatabase(url.toString(), { timeoutMs: TIMEOUT_MS });
  });
  after(async () => {
    proxy?.thaw();
    await knex?.destroy();
    proxy?.close();
    await db?.destroy();
  });

  test('frozen with connections open in the pool: every operation fails as unavailable; thawed: all work again', async () => {
    // Connections open in the pool when the server stops answering.
    await Promise.all(Array.from({ length: 5 }, () => knex.raw('select pg_sleep(0.05)')));
    proxy.freeze();
    let frozen: Record<string, unknown>;
    try {
      frozen = await outcomes(knex);
    } finally {
      proxy.thaw();
    }
    for (const [name, outcome] of Object.entries(frozen)) {
      assert.ok(
        outcome instanceof Error && isDatabaseUnavailable(outcome),
        `frozen: ${name} failed as unavailable, not ${String(outcome)}`,
      );
    }
    for (const [name, outcome] of Object.entries(await outcomes(knex)))
      assert.equal(outcome, 'ok', `thawed: ${name} (${String(outcome)})`);
  });

  test('frozen with no connection open: opening one fails as unavailable; thawed: all work again', async () => {
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const fresh = openDatabase(url.toString(), { timeoutMs: TIMEOUT_MS });
    try {
      proxy.freeze();
      let frozen: unknown;
      try {
        frozen = await fresh.raw('select 1').then(
          () => 'ok',
          (err: unknown) => err,
        );
      } finally {
        proxy.thaw();
      }
      assert.ok(isDatabaseUnavailable(frozen), `not ${String(frozen)}`);
      for (const [name, outcome] of Object.entries(await outcomes(fresh)))
        assert.equal(outcome, 'ok', `thawed: ${name} (${String(outcome)})`);
    } finally {
      await fresh.destroy();
    }
  });
});
