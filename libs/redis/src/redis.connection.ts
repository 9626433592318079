import { Logger } from '@nestjs/common';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '@app/common';
import type { StoreSettings } from '@app/config';

export type RedisClient = Redis | Cluster;

/** How long boot waits for the first connection before it goes on not ready (readiness says so). */
const FIRST_CONNECT_WAIT_MS = 3_000;

interface HostPort {
  host: string;
  port: number;
}

function hostsOf(list: string, defaultPort: number): HostPort[] {
  return list.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host, port: port ? Number(port) : defaultPort };
  });
}

/**
 * `redis-sentinel://[:password@]h1:26379,h2:26379/master[?db=N]` and `redis-cluster://[:password@]h1:6379,h2:6379`
 * are ours (URL cannot hold several hosts); ioredis itself does Sentinel failover and cluster slots.
 */
export function clientOf(url: string, base: RedisOptions): RedisClient {
  const multi = /^(redis-sentinel|redis-cluster):\/\/(?:([^@/]*)@)?([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(
    url,
  );
  if (!multi) return new Redis(url, base);
  const [, scheme, auth, hosts, path, query] = multi;
  const password = auth ? decodeURIComponent(auth.replace(/^[^:]*:/, '')) : undefined;
  const db = Number(new URLSearchParams(query ?? '').get('db') ?? 0);
  if (scheme === 'redis-cluster') {
    return new Cluster(hostsOf(hosts, 6379), {
      redisOptions: { ...base, password },
      enableOfflineQueue: false,
    });
  }
  return new Redis({ ...base, sentinels: hostsOf(hosts, 26379), name: path || 'mymaster', password, db });
}

/**
 * The one connection of this process to Redis (issue 13), and the rule for its failures: every
 * command either answers within REDIS_COMMAND_TIMEOUT_MS or fails with 503 STORE_UNAVAILABLE. No
 * offline queue (a command never waits for a reconnect), no memory fallback; the client reconnects
 * by itself, so the service resumes when Redis is back.
 */
export class RedisConnection {
  readonly client: RedisClient;
  private subscriber?: RedisClient;
  private readonly logger = new Logger('RedisConnection');
  private readonly handlers = new Map<string, (message: string) => void>();
  private lastError = '';

  constructor(readonly settings: StoreSettings & { redisUrl: string }) {
    this.client = clientOf(settings.redisUrl, this.options(false));
    this.client.on('error', (error: Error) => this.noteError(error));
  }

  /** `prefix` + parts: every key of this service. */
  key(...parts: string[]): string {
    return this.settings.keyPrefix + parts.join(':');
  }

  /** Runs commands; any failure (down, timeout, script error) is a 503 for the caller. */
  async run<T>(what: string, op: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await op(this.client);
    } catch (error) {
      this.noteError(error as Error, what);
      throw new StoreUnavailableError();
    }
  }

  /** True when a PING answers within the command timeout. */
  async ping(): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Waits (bounded) for the first connection; boot goes on either way and readiness tells. */
  async connected(): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => done(false), FIRST_CONNECT_WAIT_MS);
      this.client.once('ready', onReady);
    });
  }

  /**
   * Subscribes to `channel` on a second connection (a subscribed connection can do nothing else).
   * ioredis resubscribes after a reconnect; `onReconnect` runs then, so a caller can catch up on
   * what it missed while disconnected.
   */
  subscribe(channel: string, handler: (message: string) => void, onReconnect?: () => void): void {
    if (!this.subscriber) {
      // The subscriber queues its SUBSCRIBE until connected: it must not fail at boot.
      this.subscriber = clientOf(this.settings.redisUrl, this.options(true));
      this.subscriber.on('error', (error: Error) => this.noteError(error));
      this.subscriber.on('message', (ch: string, message: string) => this.handlers.get(ch)?.(message));
      let first = true;
      this.subscriber.on('ready', () => {
        if (!first) onReconnect?.();
        first = false;
      });
    }
    this.handlers.set(channel, handler);
    this.subscriber.subscribe(channel).catch((error: Error) => this.noteError(error, 'subscribe'));
  }

  async close(): Promise<void> {
    await Promise.all(
      [this.client, this.subscriber].map(async (c) => {
        if (!c) return;
        try {
          await c.quit();
        } catch {
          c.disconnect();
        }
      }),
    );
  }

  private options(subscriber: boolean): RedisOptions {
    return {
      commandTimeout: this.settings.commandTimeoutMs,
      connectTimeout: Math.max(1_000, this.settings.commandTimeoutMs),
      enableOfflineQueue: subscriber,
      maxRetriesPerRequest: subscriber ? null : 0,
      // Reconnect forever, at most a second apart: Redis coming back needs no restart.
      retryStrategy: (times: number) => Math.min(times * 100, 1_000),
      lazyConnect: false,
    };
  }

  /** Logs the kind of failure once per change; ioredis errors carry no values, only what failed. */
  private noteError(error: Error, what = 'connection'): void {
    const summary = `${what}: ${error.name}: ${error.message}`.slice(0, 200);
    if (summary === this.lastError) return;
    this.lastError = summary;
    this.logger.warn({ what, error: error.message.slice(0, 200) }, 'redis unavailable');
  }
}
