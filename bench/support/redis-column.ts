import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ApiServer } from './api-server';
import { LoadResult, runLoad } from './load';

/** The machine's Redis, as the e2e uses it; override with BENCH_REDIS_URL. */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Issue 13: a dry run with SESSION_STORE=redis keeps at least this share of the memory store's rate. */
const TARGET_RATIO = 0.8;
const SESSIONS_FOR_MEMORY = 20;
const DGII_TOKEN_SAMPLES = 5;

export interface RedisColumnOptions {
  serverEnv: Record<string, string | undefined>;
  issuePath: string;
  dryRunBody: string;
  nextFullIssueBody: () => string;
  connections: readonly number[];
  warmupSeconds: number;
  runSeconds: number;
  sessionHeaders: (server: ApiServer) => Promise<Record<string, string>>;
}

/**
 * The same dry runs with SESSION_STORE=redis beside SESSION_STORE=memory (issue 13): two servers
 * up at once, each connection count run on memory then on redis right after, so a load change on
 * the machine hits both columns alike. req/s and p99 side by side, the ratio, Redis memory per session (MEMORY USAGE of its record),
 * and what a per-replica DGII token costs (the first full issue of a session on a replica pays
 * the semilla round trips; later ones do not).
 */
export async function redisColumn(options: RedisColumnOptions): Promise<void> {
  const prefix = `fiscaliacore-bench:${process.pid}-${randomBytes(3).toString('hex')}:`;
  const redis = new Redis(REDIS_URL);
  const memoryServer = await ApiServer.start({ env: options.serverEnv });
  const server = await ApiServer.start({
    env: {
      ...options.serverEnv,
      SESSION_STORE: 'redis',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      FISCALIACORE_DATA_KEY: randomBytes(32).toString('base64'),
      MAX_SESSIONS_PER_KEY: '1000',
    },
  });
  const rows: LoadResult[] = [];
  const memoryRows: LoadResult[] = [];
  let bytesPerSession = 0;
  let firstMs = 0;
  let laterMs = 0;
  try {
    const dryRunOn = async (target: ApiServer, store: string) => ({
      name: `POST issue-stateless, dryRun, SESSION_STORE=${store}`,
      url: target.baseUrl + options.issuePath,
      method: 'POST' as const,
      headers: await options.sessionHeaders(target),
      body: options.dryRunBody,
      serverCpuMs: () => target.cpuMs(),
    });
    const onMemory = await dryRunOn(memoryServer, 'memory');
    const onRedis = await dryRunOn(server, 'redis');
    for (const spec of [onMemory, onRedis])
      await runLoad({ ...spec, connections: options.connections[0], seconds: options.warmupSeconds });
    for (const connections of options.connections) {
      memoryRows.push(await runLoad({ ...onMemory, connections, seconds: options.runSeconds }));
      rows.push(await runLoad({ ...onRedis, connections, seconds: options.runSeconds }));
    }

    for (let i = 0; i < DGII_TOKEN_SAMPLES; i++) {
      const fresh = await options.sessionHeaders(server);
      firstMs += await timedIssue(server.baseUrl + options.issuePath, fresh, options.nextFullIssueBody());
      laterMs += await timedIssue(server.baseUrl + options.issuePath, fresh, options.nextFullIssueBody());
    }

    for (let i = 0; i < SESSIONS_FOR_MEMORY; i++) await options.sessionHeaders(server);
    const records = await keysOf(redis, `${prefix}session:*`);
    let total = 0;
    for (const key of records) total += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    bytesPerSession = total / Math.max(1, records.length);
  } catch (error) {
    console.error(`redis server output:\n${server.recentOutput()}`);
    throw error;
  } finally {
    await Promise.all([server.stop(), memoryServer.stop()]);
    const keys = await keysOf(redis, `${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }

  console.log(`\nSESSION_STORE=redis beside memory (dry runs, interleaved per row, ${REDIS_URL}):`);
  console.log('conns  memory req/s  redis req/s  ratio  memory p99 ms  redis p99 ms  redis non-2xx');
  for (const row of rows) {
    const memory = memoryRows.find((m) => m.connections === row.connections);
    const ratio = memory ? row.reqPerSec / memory.reqPerSec : NaN;
    console.log(
      [
        String(row.connections).padStart(5),
        (memory?.reqPerSec.toFixed(0) ?? '-').padStart(12),
        row.reqPerSec.toFixed(0).padStart(11),
        ratio.toFixed(2).padStart(5),
        (memory?.p99Ms.toFixed(2) ?? '-').padStart(13),
        row.p99Ms.toFixed(2).padStart(12),
        String(row.non2xx).padStart(13),
      ].join('  '),
    );
  }
  const best = (list: readonly LoadResult[]) => Math.max(...list.map((r) => r.reqPerSec));
  const ratio = best(rows) / best(memoryRows);
  console.log(
    `issue 13 dry-run throughput redis ÷ memory ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'} ` +
      `(best ${best(rows).toFixed(0)} ÷ ${best(memoryRows).toFixed(0)} req/s = ${ratio.toFixed(2)}; ` +
      `p99 at the best redis row ${rows.find((r) => r.reqPerSec === best(rows))?.p99Ms.toFixed(2)} ms)`,
  );
  console.log(
    `Redis memory per session record: ${bytesPerSession.toFixed(0)} B (MEMORY USAGE, mean of ${SESSIONS_FOR_MEMORY}+ ` +
      `records; plus one member of the session index and one session slot, ~100 B each)`,
  );
  console.log(
    `DGII token per replica: first full issue of a session on a replica ${(firstMs / DGII_TOKEN_SAMPLES).toFixed(0)} ms ` +
      `(semilla + validación + upload + verdict), the next ${(laterMs / DGII_TOKEN_SAMPLES).toFixed(0)} ms ` +
      `(mean of ${DGII_TOKEN_SAMPLES}): each further replica a session lands on pays the difference once per environment.`,
  );
}

async function timedIssue(url: string, headers: Record<string, string>, body: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`full issue answered ${res.status}`);
  return performance.now() - started;
}

async function keysOf(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}
