import Redis, { Cluster } from 'ioredis';
import { clientOf } from './redis.connection';

/** The URL forms of REDIS_URL reach ioredis' own Sentinel and cluster support (nothing connects here). */
describe('clientOf', () => {
  const base = { lazyConnect: true };
  const clients: (Redis | Cluster)[] = [];
  afterAll(() => clients.forEach((c) => c.disconnect()));
  const make = (url: string) => {
    const client = clientOf(url, base);
    clients.push(client);
    return client;
  };

  it('redis:// and rediss:// are plain ioredis URLs', () => {
    const client = make('rediss://:pw@cache.example:6380/2') as Redis;
    expect(client).toBeInstanceOf(Redis);
    expect(client.options).toMatchObject({ host: 'cache.example', port: 6380, db: 2, password: 'pw' });
    expect(client.options.tls).toBeDefined();
  });

  it('redis-sentinel:// lists the sentinels and names the master', () => {
    const client = make('redis-sentinel://:s%40cret@s1:26379,s2/mymaster?db=3') as Redis;
    expect(client.options).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      password: 's@cret',
      db: 3,
    });
  });

  it('redis-cluster:// starts an ioredis Cluster on the listed nodes', () => {
    const client = make('redis-cluster://n1:7000,n2:7001');
    expect(client).toBeInstanceOf(Cluster);
    expect((client as unknown as { startupNodes: unknown[] }).startupNodes).toEqual([
      { host: 'n1', port: 7000 },
      { host: 'n2', port: 7001 },
    ]);
  });
});
