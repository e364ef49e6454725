import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { redisConnection } from './redis-connection';

/**
 * "The attempt has an outcome": the worker publishes on a Redis channel keyed by attempt id, and
 * the gateway holding a synchronous card callback open wakes up and reads the outcome from
 * Postgres (the channel carries no data; Postgres is the truth). A lost message only costs the
 * waiter's next periodic look.
 */
@Injectable()
export class AttemptOutcomeNotifier implements OnModuleDestroy {
  private publisher?: Redis | Cluster;
  private subscriber?: Redis | Cluster;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async publish(attemptId: string): Promise<void> {
    this.publisher ??= this.connect();
    await this.publisher.publish(this.channel(attemptId), '1');
  }

  /**
   * Resolves when the attempt is announced, or after `pollMs` (whichever first); the caller
   * re-reads the attempt either way.
   */
  async wake(attemptId: string, pollMs: number): Promise<void> {
    const subscriber = this.subscriberConnection();
    const channel = this.channel(attemptId);
    let release: () => void = () => undefined;
    const announced = new Promise<void>((resolve) => (release = resolve));
    const set = this.waiters.get(channel) ?? new Set();
    set.add(release);
    if (!this.waiters.has(channel)) {
      this.waiters.set(channel, set);
      await subscriber.subscribe(channel).catch(() => undefined);
    }
    const timer = setTimeout(release, pollMs);
    try {
      await announced;
    } finally {
      clearTimeout(timer);
      set.delete(release);
      if (set.size === 0 && this.waiters.get(channel) === set) {
        this.waiters.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    for (const connection of [this.publisher, this.subscriber]) {
      if (connection) await connection.quit().catch(() => undefined);
    }
  }

  private subscriberConnection(): Redis | Cluster {
    if (!this.subscriber) {
      this.subscriber = this.connect();
      this.subscriber.on('message', (channel: string) => {
        for (const release of this.waiters.get(channel) ?? []) release();
      });
    }
    return this.subscriber;
  }

  private channel(attemptId: string): string {
    return `${this.config.redis.queuePrefix}:attempt-outcome:${attemptId}`;
  }

  private connect(): Redis | Cluster {
    const options = redisConnection(this.config.redis, 'worker');
    // A Cluster comes back as its own new client; other topologies as options.
    return options instanceof Cluster ? options : new Redis(options as never);
  }
}
