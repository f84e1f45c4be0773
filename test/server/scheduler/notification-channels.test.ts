/**
 * `chooseNotificationChannel`: polling only when notifications are off, Redis when a Redis URL is
 * given (also for PostgreSQL), PostgreSQL's LISTEN/NOTIFY on PostgreSQL without Redis, otherwise in-process.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RedisNotificationChannel } from '@agendajs/redis-backend';
import { PostgresNotificationChannel } from '@agendajs/postgres-backend';
import { chooseNotificationChannel } from '../../../server/scheduler/index.js';

test('LISTEN/NOTIFY on PostgreSQL without Redis, not connected until started', () => {
  const channel = chooseNotificationChannel({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/x' });
  assert.ok(channel instanceof PostgresNotificationChannel);
  assert.equal(channel.state, 'disconnected');
});

test('in-process by default on SQLite and MySQL/MariaDB', () => {
  assert.equal(chooseNotificationChannel({ databaseUrl: 'sqlite:turtle.sqlite' }), 'memory');
  assert.equal(chooseNotificationChannel({ databaseUrl: 'mysql://root@db/x' }), 'memory');
});

test('polling only when notifications are off, Redis URL or not', () => {
  assert.equal(
    chooseNotificationChannel({
      databaseUrl: 'sqlite:turtle.sqlite',
      notify: false,
      redisUrl: 'redis://cache',
    }),
    false,
  );
});

test('Redis when a Redis URL is given, whatever the database', async () => {
  for (const databaseUrl of ['sqlite:turtle.sqlite', 'mysql://root@db/x', 'postgres://postgres@db/x']) {
    const channel = chooseNotificationChannel({ databaseUrl, redisUrl: 'redis://127.0.0.1:6379' });
    assert.ok(channel instanceof RedisNotificationChannel);
    assert.equal(channel.state, 'disconnected', 'connected by whoever starts it, not on creation');
  }
});
