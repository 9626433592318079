import autocannon from 'autocannon';
import type { IncomingHttpHeaders } from 'node:http';

export interface LoadSpec {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: IncomingHttpHeaders;
  /** A fixed body; or `nextBody` for one per request. */
  body?: string;
  /** Called for every request (autocannon's setupRequest), e.g. for a fresh e-NCF each time. */
  nextBody?: () => string;
  connections: number;
  seconds: number;
  /** The server's CPU time so far, to charge each run with what it cost the server. */
  serverCpuMs?: () => number | undefined;
  /** The server's main-thread CPU time so far (`ApiServer.mainThreadCpuMs`). */
  serverMainThreadMs?: () => number | undefined;
}

export interface LoadResult {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  /** Exact percentiles over every response's latency in ms (autocannon's histogram keeps whole ms). */
  p50Ms: number;
  p99Ms: number;
  statusCounts: Record<string, number>;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Server CPU over the run as % of one core; undefined without /proc. */
  serverCpuPercent?: number;
  /** Server CPU per completed request, ms. */
  serverCpuMsPerReq?: number;
  /** Of that, the server's main thread (event loop), ms per request. */
  serverMainMsPerReq?: number;
  /** This process's (the load generator's) CPU over the run as % of one core. */
  clientCpuPercent: number;
}

/** Runs autocannon against 127.0.0.1 for a fixed time and reads the numbers this bench prints. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const { nextBody } = spec;
  const cpuBefore = spec.serverCpuMs?.();
  const mainBefore = spec.serverMainThreadMs?.();
  const clientBefore = process.cpuUsage();
  const instance = autocannon(
    {
      url: spec.url,
      method: spec.method ?? 'GET',
      headers: spec.headers,
      body: spec.body,
      connections: spec.connections,
      duration: spec.seconds,
      timeout: 30,
      requests: nextBody ? [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }] : undefined,
    },
    () => undefined,
  );
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  const result = await new Promise<autocannon.Result>((done, fail) => {
    instance.once('done', done);
    instance.once('error', fail);
  });
  const cpuAfter = spec.serverCpuMs?.();
  const mainAfter = spec.serverMainThreadMs?.();
  const client = process.cpuUsage(clientBefore);

  latencies.sort((a, b) => a - b);
  const requests = result.requests.total;
  const statusCounts: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCounts[code] = stats.count ?? 0;
  const cpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    name: spec.name,
    connections: spec.connections,
    seconds: result.duration,
    requests,
    reqPerSec: requests / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    statusCounts,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuPercent: cpuMs === undefined ? undefined : (100 * cpuMs) / (result.duration * 1000),
    serverCpuMsPerReq: cpuMs === undefined || requests === 0 ? undefined : cpuMs / requests,
    serverMainMsPerReq:
      mainBefore === undefined || mainAfter === undefined || requests === 0
        ? undefined
        : (mainAfter - mainBefore) / requests,
    clientCpuPercent: (client.user + client.system) / 10 / (result.duration * 1000),
  };
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
