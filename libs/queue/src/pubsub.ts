import Redis from 'ioredis';
import { redisKey, redisOptions } from './redis';

type Listener = (payload: unknown) => void;

/**
 * Publish/subscribe over Redis, so an event published by any api replica or worker reaches the
 * GraphQL subscribers connected to every replica. Topics must name the organization
 * (`alerts:${orgId}`): that is what keeps one tenant's events away from another's subscribers.
 */
export class RedisPubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(url?: string) {
    const options = { ...redisOptions(url), maxRetriesPerRequest: 3 };
    this.publisher = new Redis(options);
    this.subscriber = new Redis(options);
    this.subscriber.on('message', (channel: string, message: string) => {
      const topic = channel.slice(redisKey('ps', '').length);
      const set = this.listeners.get(topic);
      if (!set?.size) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        return;
      }
      for (const listener of set) listener(payload);
    });
  }

  /**
   * Whether messages published now reach this process. Redis does not queue pub/sub messages for
   * a subscriber that is away: whoever keeps state that messages invalidate must not trust it
   * while this is false, and must drop it when `onDisconnect` fires.
   */
  get connected(): boolean {
    return this.subscriber.status === 'ready';
  }

  onDisconnect(listener: () => void): void {
    this.subscriber.on('close', listener);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.publisher.publish(redisKey('ps', topic), JSON.stringify(payload));
  }

  /** Returns a function that unsubscribes. */
  async subscribe(topic: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
      await this.subscriber.subscribe(redisKey('ps', topic));
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(topic);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(topic);
        await this.subscriber.unsubscribe(redisKey('ps', topic)).catch(() => undefined);
      }
    };
  }

  /**
   * An async iterator for a GraphQL subscription resolver. Events are queued per subscriber
   * (bounded: a subscriber that stops reading loses the oldest, never blocks the others).
   */
  asyncIterator<T>(topic: string, filter: (payload: T) => boolean = () => true, maxQueued = 1000): AsyncIterableIterator<T> {
    const queue: T[] = [];
    let waiting: ((r: IteratorResult<T>) => void) | null = null;
    let done = false;
    const unsubscribing = this.subscribe(topic, (payload) => {
      const p = payload as T;
      if (done || !filter(p)) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value: p, done: false });
      } else {
        queue.push(p);
        if (queue.length > maxQueued) queue.shift();
      }
    });
    const finish = async (): Promise<IteratorResult<T>> => {
      done = true;
      queue.length = 0;
      if (waiting) waiting({ value: undefined, done: true });
      waiting = null;
      await (await unsubscribing)();
      return { value: undefined, done: true };
    };
    return {
      next: async () => {
        await unsubscribing;
        if (done) return { value: undefined, done: true };
        const next = queue.shift();
        if (next !== undefined) return { value: next, done: false };
        return new Promise<IteratorResult<T>>((resolve) => {
          waiting = resolve;
        });
      },
      return: finish,
      throw: async (err) => {
        await finish();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
