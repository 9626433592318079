import type { RedisConnection } from './redis.connection';

export interface Readiness {
  ready: boolean;
  store: 'memory' | 'redis';
}

/** Whether the shared store answers (`/health/ready`); the memory store is always ready. */
export class StoreReadiness {
  constructor(private readonly redis?: RedisConnection) {}

  async check(): Promise<Readiness> {
    if (!this.redis) return { ready: true, store: 'memory' };
    return { ready: await this.redis.ping(), store: 'redis' };
  }
}
