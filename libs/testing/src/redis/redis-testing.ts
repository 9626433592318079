import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import type { StoreSettings } from '@app/config';
import { RedisConnection } from '@app/redis';

/** The machine's Redis (issue 13: tests run against the real one, each under its own prefix). */
export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other run uses, so parallel runs never see each other's keys. */
export function uniqueRedisPrefix(label: string): string {
  return `fctest:${label}:${process.pid}-${randomBytes(4).toString('hex')}:`;
}

export function redisTestSettings(
  keyPrefix: string,
  overrides: Partial<StoreSettings> = {},
): StoreSettings & { redisUrl: string } {
  return {
    kind: 'redis',
    redisUrl: REDIS_TEST_URL,
    keyPrefix,
    commandTimeoutMs: 1_000,
    sessionCacheTtlMs: 5_000,
    idempotencyWaitMs: 5_000,
    dataKey: Buffer.alloc(32, 7),
    ...overrides,
  };
}

/** A connected RedisConnection for a spec. */
export async function testRedisConnection(
  keyPrefix: string,
  overrides: Partial<StoreSettings> = {},
): Promise<RedisConnection> {
  const connection = new RedisConnection(redisTestSettings(keyPrefix, overrides));
  if (!(await connection.connected())) throw new Error(`no Redis at ${REDIS_TEST_URL}`);
  return connection;
}

/** Every key under `prefix` (name → raw bytes), for the security scan. */
export async function keysUnder(prefix: string, url = REDIS_TEST_URL): Promise<Map<string, Buffer>> {
  const redis = new Redis(url);
  try {
    const found = new Map<string, Buffer>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'string') found.set(key, (await redis.getBuffer(key)) ?? Buffer.alloc(0));
        else if (type === 'zset')
          found.set(key, Buffer.from(JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'))));
        else if (type === 'hash') found.set(key, Buffer.from(JSON.stringify(await redis.hgetall(key))));
        else if (type === 'list') found.set(key, Buffer.from(JSON.stringify(await redis.lrange(key, 0, -1))));
        else if (type === 'set') found.set(key, Buffer.from(JSON.stringify(await redis.smembers(key))));
        else if (type === 'stream')
          found.set(key, Buffer.from(JSON.stringify(await redis.xrange(key, '-', '+'))));
        else found.set(key, Buffer.from(type));
      }
    } while (cursor !== '0');
    return found;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix` (a spec's afterAll). */
export async function deleteKeysUnder(prefix: string, url = REDIS_TEST_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A redis-server of the test's own (no persistence), to stop and start mid-test. */
export class OwnRedisServer {
  private child?: ChildProcess;

  /** `password`: the server requires it (requirepass), so a URL carries a secret a log must not show. */
  constructor(
    readonly port: number,
    private readonly password?: string,
  ) {}

  get url(): string {
    return `redis://${this.password ? `:${encodeURIComponent(this.password)}@` : ''}127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const auth = this.password ? ['--requirepass', this.password] : [];
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth],
      {
        stdio: 'ignore',
      },
    );
    const probe = new Redis(this.url, {
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: null,
    });
    try {
      await probe.connect().catch(() => undefined);
      await probe.ping();
    } finally {
      probe.disconnect();
    }
  }

  /** SIGSTOP: the server keeps its connections open but answers nothing (a hung Redis). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
