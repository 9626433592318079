import {
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { StoreSettings } from '@app/config';
import { RedisConnection } from './redis.connection';
import { StoreReadiness } from './store-readiness';

@Global()
@Module({})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Optional() @Inject(RedisConnection) private readonly redis?: RedisConnection) {}

  /**
   * SESSION_STORE=redis provides the connection, which each store's module then uses for its Redis
   * adapter; without it every store is the memory one. StoreReadiness is there either way.
   */
  static forRoot(settings: StoreSettings): DynamicModule {
    const redisUrl = settings.redisUrl;
    const redis =
      settings.kind === 'redis' && redisUrl
        ? [{ provide: RedisConnection, useFactory: () => new RedisConnection({ ...settings, redisUrl }) }]
        : [];
    return {
      module: RedisModule,
      providers: [
        ...redis,
        {
          provide: StoreReadiness,
          useFactory: (connection?: RedisConnection) => new StoreReadiness(connection),
          inject: [{ token: RedisConnection, optional: true }],
        },
      ],
      exports: [...redis.map((p) => p.provide), StoreReadiness],
    };
  }

  async onModuleInit(): Promise<void> {
    await this.redis?.connected();
  }

  // After every store's onModuleDestroy, so their last commands still go out.
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
