/**
 * `FairNotificationChannel`: the channel turtle hands Agenda, wrapping any `NotificationChannel`
 * (in-process, Redis, …) so that a burst of saves does not starve job names saved last.
 *
 * Why: on each notification Agenda fills its queue for the notified job name, locking that name's
 * due jobs one after another until none is left or a lock limit is reached; on each poll it does
 * the same for every name at once, one job per name in turn. Each of N notifications for a name
 * starts its own fill, so a burst of saves makes Agenda lock jobs name by name in the order they were
 * saved: the first names take the whole global `lockLimit` with jobs their `concurrency` does not let
 * run yet, and the last names get no lock until those finish (measured: 80 of a possible 100 running,
 * for ever, against 100 with polling only).
 *
 * How: notifications for one name are handed to Agenda one at a time. While Agenda fills for a name
 * (which takes every job of that name that is due), further notifications for it are merged into one,
 * handed over when that fill ends. So at most one fill per name runs, fills of different names take
 * turns at the database as a poll's do, and a lone job is handed over at once (no added latency).
 *
 * It also connects once: the scheduler connects to publish before (or without) Agenda starting, and
 * Agenda's `start()` connects again, which for Redis would open a second subscriber.
 */
import { EventEmitter } from 'node:events';
import type {
  JobNotification,
  JobStateNotification,
  NotificationChannel,
  NotificationChannelState,
  NotificationHandler,
  StateNotificationHandler,
} from 'agenda';

/** Thrown by {@link FairNotificationChannel.connect} when the channel cannot connect (e.g. Redis unreachable). */
export class NotificationChannelUnavailable extends Error {
  readonly type = 'NotificationChannelUnavailable';
  override name = 'NotificationChannelUnavailable';
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `the notification channel cannot connect (${reason}): check that its server runs and that TURTLE_REDIS_URL / --redis-url point at it, or turn notifications off (--no-notify)`,
      { cause },
    );
  }
}

/** Delivers one handler's notifications one fill per job name; see {@link FairNotificationChannel}. */
function oneFillPerName(handler: NotificationHandler): NotificationHandler {
  /** Names being filled, each with the notification to hand over when that fill ends. */
  const filling = new Map<string, { next?: JobNotification }>();
  return async (notification) => {
    const name = notification.jobName;
    const busy = filling.get(name);
    if (busy) {
      busy.next = earlier(busy.next, notification);
      return;
    }
    const entry: { next?: JobNotification } = {};
    filling.set(name, entry);
    let failure: { error: unknown } | undefined;
    let current: JobNotification | undefined = notification;
    try {
      while (current) {
        await Promise.resolve(handler(current)).catch((error: unknown) => {
          failure ??= { error };
        });
        current = entry.next;
        entry.next = undefined;
      }
    } finally {
      filling.delete(name);
    }
    if (failure) throw failure.error;
  };
}

/** Of two notifications, the one due first (no `nextRunAt` means now); Agenda ignores one due after its next poll. */
function earlier(a: JobNotification | undefined, b: JobNotification): JobNotification {
  if (!a) return b;
  const at = (n: JobNotification) => n.nextRunAt?.getTime() ?? -Infinity;
  return at(b) < at(a) ? b : a;
}

/** Wraps a notification channel; everything but delivery and connecting is passed through. */
export class FairNotificationChannel extends EventEmitter implements NotificationChannel {
  private connecting: Promise<void> | undefined;
  private readonly local = new Set<NotificationHandler>();

  /** @param inner the channel that carries the notifications (e.g. `InMemoryNotificationChannel`, `RedisNotificationChannel`). */
  constructor(readonly inner: NotificationChannel) {
    super();
    inner.on('stateChange', (state) => this.emit('stateChange', state));
    // Re-emitted only to listeners: an 'error' nobody listens to would throw inside the inner channel.
    inner.on('error', (error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
  }

  get state(): NotificationChannelState {
    return this.inner.state;
  }

  /** Connects the inner channel unless it is connected or connecting; rejects with {@link NotificationChannelUnavailable}. */
  connect(): Promise<void> {
    if (this.inner.state === 'connected') return Promise.resolve();
    return (this.connecting ??= this.inner
      .connect()
      .catch((err: unknown) => {
        throw new NotificationChannelUnavailable(err);
      })
      .finally(() => {
        this.connecting = undefined;
      }));
  }

  /** Disconnects the inner channel (which forgets its subscribers) unless it is disconnected. */
  async disconnect(): Promise<void> {
    await this.connecting?.catch(() => {});
    if (this.inner.state !== 'disconnected') await this.inner.disconnect();
  }

  subscribe(handler: NotificationHandler): () => void {
    const fair = oneFillPerName(handler);
    this.local.add(fair);
    const unsubscribe = this.inner.subscribe(fair);
    return () => {
      this.local.delete(fair);
      unsubscribe();
    };
  }

  publish(notification: JobNotification): Promise<void> {
    return this.inner.publish(notification);
  }

  /**
   * Hands `notification` to this process's subscribers only (fairly, like one that arrived), e.g. to
   * have Agenda look for more jobs of a name when one of its runs frees a slot.
   */
  async notifyLocally(notification: JobNotification): Promise<void> {
    await Promise.allSettled([...this.local].map((deliver) => Promise.resolve(deliver(notification))));
  }

  publishState(notification: JobStateNotification): Promise<void> {
    return this.inner.publishState ? this.inner.publishState(notification) : Promise.resolve();
  }

  subscribeState(handler: StateNotificationHandler): () => void {
    return this.inner.subscribeState ? this.inner.subscribeState(handler) : () => {};
  }
}
