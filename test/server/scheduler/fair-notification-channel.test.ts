/**
 * `FairNotificationChannel` on Agenda's in-process channel: notifications for a job name being
 * handled are merged into one handed over when that handling ends (the one due first), other names
 * are handed over at once, a lone notification at once; it connects the inner channel once, and
 * `notifyLocally` reaches this process's subscribers without publishing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryNotificationChannel, toJobId, type JobNotification } from 'agenda';
import { FairNotificationChannel } from '../../../server/scheduler/fair-notification-channel.js';

function notification(jobName: string, nextRunAt: Date | null = null, id = 'x'): JobNotification {
  return { jobId: toJobId(id), jobName, nextRunAt, priority: 0, timestamp: new Date() };
}

/** A handler that records what it gets and, for `hold`'s name, does not return until released. */
function recorder(hold?: string) {
  const got: JobNotification[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered!: () => void;
  const holding = new Promise<void>((resolve) => {
    entered = resolve;
  });
  return {
    got,
    release,
    holding,
    handler: async (n: JobNotification) => {
      got.push(n);
      if (n.jobName === hold && got.filter((g) => g.jobName === hold).length === 1) {
        entered();
        await held;
      }
    },
  };
}

describe('FairNotificationChannel', () => {
  it('hands a lone notification over at once', async () => {
    const channel = new FairNotificationChannel(new InMemoryNotificationChannel());
    const r = recorder();
    channel.subscribe(r.handler);
    await channel.connect();
    await channel.publish(notification('a'));
    assert.deepEqual(
      r.got.map((n) => n.jobName),
      ['a'],
    );
  });

  it('merges notifications for a name being handled into one, the one due first, handed over after it', async () => {
    const channel = new FairNotificationChannel(new InMemoryNotificationChannel());
    const r = recorder('a');
    channel.subscribe(r.handler);
    await channel.connect();
    const first = channel.publish(notification('a', null, '1'));
    await r.holding;
    await channel.publish(notification('a', new Date(Date.now() + 60_000), '2'));
    await channel.publish(notification('a', new Date(Date.now() - 1000), '3'));
    await channel.publish(notification('a', new Date(Date.now() + 1000), '4'));
    await channel.publish(notification('b', null, '5'));
    assert.deepEqual(
      r.got.map((n) => n.jobId),
      ['1', '5'],
      'b is not held back by a',
    );
    r.release();
    await first;
    assert.deepEqual(
      r.got.map((n) => n.jobId),
      ['1', '5', '3'],
    );
    await channel.publish(notification('a', null, '6'));
    assert.deepEqual(
      r.got.map((n) => n.jobId),
      ['1', '5', '3', '6'],
      'a is handed over at once again',
    );
  });

  it('connects the inner channel once, however often it is asked', async () => {
    let connects = 0;
    const inner = new (class extends InMemoryNotificationChannel {
      override async connect() {
        connects++;
        await super.connect();
      }
    })();
    const channel = new FairNotificationChannel(inner);
    await Promise.all([channel.connect(), channel.connect()]);
    await channel.connect();
    assert.equal(connects, 1);
    assert.equal(channel.state, 'connected');
    await channel.disconnect();
    await channel.disconnect();
    assert.equal(channel.state, 'disconnected');
  });

  it('notifies this process only with notifyLocally', async () => {
    const inner = new InMemoryNotificationChannel();
    const elsewhere: JobNotification[] = [];
    inner.subscribe((n) => {
      elsewhere.push(n);
    });
    const channel = new FairNotificationChannel(inner);
    const r = recorder();
    channel.subscribe(r.handler);
    await channel.connect();
    await channel.notifyLocally(notification('a'));
    assert.equal(r.got.length, 1);
    assert.equal(elsewhere.length, 0);
  });
});
