/**
 * `npm run bench:http`: issue requests over HTTP against the built API running as a child process
 * (its own event loop; autocannon drives it from this process), side by side in one run with a
 * `GET /health` ceiling and the in-process build + sign rate of the same 10-line e-CF 31, measured
 * again just before each dry-run row; the ratio divides by the median of those (the host drifts ±20%).
 * DESIGN §7 target: a dry-run issue sustains ≥ 1,000 requests/s on 2 cores with p99 < 20 ms.
 *
 * `npm run bench:http -- --profile` instead runs the server under `node --cpu-prof` for a short
 * dry-run load and prints where its CPU time went (`--profile=full`: full issues; `=health`).
 */
import { readdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { signCanonicalXml, unlockP12 } from '@app/signing';
import { buildDocument } from '@app/xml-builder';
import { FIXTURE_SIGNED_AT, makeEcf, p12, passwordFor } from '@app/testing';
import globalSetup from '../test/support/global-setup';
import { ApiServer } from './support/api-server';
import { summariseCpuProfile } from './support/cpu-profile';
import { LoadResult, LoadSpec, runLoad } from './support/load';
import { Measurement, measure } from './support/measure';
import { redisColumn } from './support/redis-column';

const API_KEY = 'bench-key-000001';
const P12_VARIANT = 'rsa2048-modern';
const ISSUE_PATH = '/api/v1/ecf/issue-stateless';
const WARMUP_SECONDS = 3;
const RUN_SECONDS = 10;
const HEALTH_CONNECTIONS = 20;
// 2: latency with little queueing; 10–50: saturation (closed loop, so latency ≈ connections ÷ rate).
const DRY_RUN_CONNECTIONS = [2, 10, 20, 50];
// The sandbox rules ~200 ms after reception and the API polls at 100, 300 ms…: many in flight.
const FULL_ISSUE_CONNECTIONS = 50;
const PROFILE_SECONDS = 5;
const PROFILE_DIR = resolve(__dirname, '../.tmp/bench-http-profile');

/** DESIGN §7. */
const TARGET_DRY_RUN_RPS = 1000;
const TARGET_DRY_RUN_P99_MS = 20;
/** Issue 7 §5: HTTP dry-run rate ÷ in-process build + sign rate. */
const TARGET_RATIO = 0.6;

/**
 * The server as `npm start` runs it outside production, minus per-request log lines: embedded
 * sandbox, default DGII_RESULT_WAIT_MS (the call waits for the verdict), no API-side XSD check.
 */
const SERVER_ENV = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  FISCALIACORE_API_KEYS: API_KEY,
  DGII_TARGET: 'sandbox',
  DGII_RESULT_WAIT_MS: undefined,
  DGII_XSD_DIR: undefined,
};

async function main(): Promise<void> {
  const profileArg = process.argv.find((a) => a === '--profile' || a.startsWith('--profile='));
  await globalSetup();
  const identity = await unlockP12(p12(P12_VARIANT), passwordFor(P12_VARIANT));
  const tenLines = makeEcf('31', { lines: 10 });
  const dryRunBody = JSON.stringify({ ecf: tenLines, dryRun: true });
  let sequence = 0;
  // The sandbox refuses a reused e-NCF (code 1209): a fresh one for every full issue.
  const nextFullIssueBody = () => JSON.stringify({ ecf: makeEcf('31', { lines: 10, sequence: ++sequence }) });

  if (profileArg) {
    await profileServer(profileArg.split('=')[1] ?? 'dry', dryRunBody, nextFullIssueBody);
    return;
  }

  console.log(
    `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); ` +
      `10-line e-CF 31 request body ${Buffer.byteLength(dryRunBody)} B; server: ` +
      Object.entries(SERVER_ENV)
        .map(([k, v]) => `${k}=${v ?? '(unset)'}`)
        .join(' ') +
      `; ${WARMUP_SECONDS} s warm-up, ${RUN_SECONDS} s per row\n`,
  );

  const buildAndSign = () =>
    signCanonicalXml(buildDocument('31', tenLines, { fechaHoraFirma: FIXTURE_SIGNED_AT }), identity);
  // In-process first, while no server is running beside it, and again right before each dry-run
  // row (the server idle): the host drifts by ±20%, so the ratio's denominator is the median of
  // all of them, and each row shows the one taken just before it.
  const inProcess = measure('in-process build + sign, 10 lines (same .p12)', buildAndSign);
  const beside = new Map<LoadResult, Measurement>();

  const server = await ApiServer.start({ env: SERVER_ENV });
  const rows: LoadResult[] = [];
  let sandboxCalls: Record<string, number> = {};
  try {
    const headers = await sessionHeaders(server);
    const serverCpuMs = () => server.cpuMs();
    const serverMainThreadMs = () => server.mainThreadCpuMs();
    const load = (spec: Omit<LoadSpec, 'url' | 'serverCpuMs'> & { path: string }) =>
      runLoad({ ...spec, url: server.baseUrl + spec.path, serverCpuMs, serverMainThreadMs });
    const issue = { path: ISSUE_PATH, method: 'POST' as const, headers };

    await expectIssue(server, headers, dryRunBody, 'No enviado');
    await expectIssue(server, headers, nextFullIssueBody(), 'Aceptado');

    const health = { name: 'GET /health (framework ceiling)', path: '/health' };
    await load({ ...health, connections: HEALTH_CONNECTIONS, seconds: WARMUP_SECONDS });
    rows.push(await load({ ...health, connections: HEALTH_CONNECTIONS, seconds: RUN_SECONDS }));

    const dryRun = { ...issue, name: 'POST issue-stateless, dryRun', body: dryRunBody };
    await load({ ...dryRun, connections: DRY_RUN_CONNECTIONS[0], seconds: WARMUP_SECONDS });
    for (const connections of DRY_RUN_CONNECTIONS) {
      const before = measure(inProcess.name, buildAndSign, { minMs: 1000 });
      const row = await load({ ...dryRun, connections, seconds: RUN_SECONDS });
      beside.set(row, before);
      rows.push(row);
    }

    const full = { ...issue, name: 'POST issue-stateless → sandbox', nextBody: nextFullIssueBody };
    await load({ ...full, connections: FULL_ISSUE_CONNECTIONS, seconds: WARMUP_SECONDS });
    rows.push(await load({ ...full, connections: FULL_ISSUE_CONNECTIONS, seconds: RUN_SECONDS }));
    sandboxCalls = (await (
      await fetch(`${server.baseUrl}/dgii-sandbox/_admin/stats`, { headers: { 'X-Api-Key': API_KEY } })
    ).json()) as Record<string, number>;
  } catch (error) {
    console.error(`server output:\n${server.recentOutput()}`);
    throw error;
  } finally {
    await server.stop();
  }

  printLoadTable(rows, inProcess, beside);
  const dryRows = rows.filter((r) => r.name.endsWith('dryRun'));
  printVerdicts(dryRows, inProcess, beside);
  console.log(
    `\nFull issues: ${FULL_ISSUE_CONNECTIONS} connections, DGII_RESULT_WAIT_MS default (5,000 ms), sandbox ` +
      `verdict after ~200 ms; ${sequence} fresh e-NCFs sent (warm-up and checks included); sandbox calls ` +
      `${JSON.stringify(sandboxCalls)} = ${((sandboxCalls.consulta ?? 0) / Math.max(1, sandboxCalls.recepcion ?? 0)).toFixed(2)} ` +
      `polls per reception. The embedded sandbox (XSD + signature check of every upload) runs in the ` +
      `server's event loop, so its CPU counts in that row.`,
  );
  // Issue 13: dry runs with SESSION_STORE=redis beside memory, on two fresh servers, interleaved.
  await redisColumn({
    serverEnv: SERVER_ENV,
    issuePath: ISSUE_PATH,
    dryRunBody,
    nextFullIssueBody,
    connections: DRY_RUN_CONNECTIONS,
    warmupSeconds: WARMUP_SECONDS,
    runSeconds: RUN_SECONDS,
    sessionHeaders,
  });
}

/** Opens a signing session with a generated .p12 and returns the headers every issue call sends. */
async function sessionHeaders(server: ApiServer): Promise<Record<string, string>> {
  const res = await fetch(`${server.baseUrl}/api/v1/sessions`, {
    method: 'POST',
    headers: { 'X-Api-Key': API_KEY, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      certificate: p12(P12_VARIANT).toString('base64'),
      password: passwordFor(P12_VARIANT),
    }),
  });
  if (res.status !== 201) throw new Error(`open session: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { 'x-api-key': API_KEY, authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** One request before the load, so a broken setup fails loudly instead of timing 4xx answers. */
async function expectIssue(
  server: ApiServer,
  headers: Record<string, string>,
  body: string,
  dgiiEstado: string,
): Promise<void> {
  const res = await fetch(server.baseUrl + ISSUE_PATH, { method: 'POST', headers, body });
  const answer = (await res.json()) as { dgiiEstado?: string };
  if (res.status !== 200 || answer.dgiiEstado !== dgiiEstado)
    throw new Error(`expected 200 ${dgiiEstado}, got ${res.status} ${JSON.stringify(answer).slice(0, 500)}`);
}

function printLoadTable(
  rows: readonly LoadResult[],
  inProcess: Measurement,
  beside: ReadonlyMap<LoadResult, Measurement>,
): void {
  const fmt = (n: number | undefined, digits: number) => (n === undefined ? '-' : n.toFixed(digits));
  const table = [
    [
      'path',
      'conns',
      'secs',
      'requests',
      'req/s',
      'p50 ms',
      'p99 ms',
      'status codes',
      'non-2xx',
      'errors',
      'server CPU',
      'CPU ms/req',
      'main ms/req',
      'client CPU',
      'in-process beside',
      'ratio',
    ],
  ];
  for (const r of rows) {
    table.push([
      r.name,
      String(r.connections),
      r.seconds.toFixed(1),
      String(r.requests),
      r.reqPerSec.toFixed(0),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      Object.entries(r.statusCounts)
        .map(([code, count]) => `${code}×${count}`)
        .join(' '),
      String(r.non2xx),
      String(r.errors),
      r.serverCpuPercent === undefined ? '-' : `${fmt(r.serverCpuPercent, 0)}%`,
      fmt(r.serverCpuMsPerReq, 3),
      fmt(r.serverMainMsPerReq, 3),
      `${r.clientCpuPercent.toFixed(0)}%`,
      beside.has(r) ? `${beside.get(r)!.opsPerSec.toFixed(0)}/s` : '-',
      beside.has(r) ? (r.reqPerSec / inProcessRate(inProcess, beside)).toFixed(2) : '-',
    ]);
  }
  table.push([
    inProcess.name,
    '1 loop',
    '-',
    String(inProcess.runs),
    `${inProcess.opsPerSec.toFixed(0)}`,
    inProcess.medianMs.toFixed(3),
    '-',
    `(median; wall ${inProcess.opsPerSecWall.toFixed(0)}/s)`,
    '-',
    '-',
    '-',
    inProcess.medianMs.toFixed(3),
    '-',
    '-',
    '-',
    '-',
  ]);
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const r of table)
    console.log(
      r.map((cell, c) => (c === 0 || c === 7 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
    );
}

function printVerdicts(
  dryRows: readonly LoadResult[],
  inProcess: Measurement,
  beside: ReadonlyMap<LoadResult, Measurement>,
): void {
  const best = dryRows.reduce((a, b) => (b.reqPerSec > a.reqPerSec ? b : a));
  const at = (r: LoadResult) => `${r.connections} connections`;
  const denominator = inProcessRate(inProcess, beside);
  const ratio = best.reqPerSec / denominator;
  console.log(
    `\nHTTP dry-run req/s ÷ in-process build + sign ops/s: ${ratio.toFixed(2)} ` +
      `(${best.reqPerSec.toFixed(0)} req/s at ${at(best)} ÷ ${denominator.toFixed(0)} ops/s, the median of the ` +
      `${beside.size + 1} in-process medians of this run: ${[inProcess, ...beside.values()].map((m) => m.opsPerSec.toFixed(0)).join(', ')}). ` +
      `Issue 7 §5 target ≥ 0.60: ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'}; main thread ` +
      `${best.serverMainMsPerReq?.toFixed(3) ?? '-'} ms per request at that row against ${(1000 / denominator).toFixed(3)} ms in process`,
  );
  const ten = dryRows.find((r) => r.connections === 10);
  if (ten)
    console.log(
      `Issue 7 §5 p99 < ${TARGET_DRY_RUN_P99_MS} ms at 10 connections: ${ten.p99Ms < TARGET_DRY_RUN_P99_MS ? 'PASS' : 'MISS'} ` +
        `(p99 ${ten.p99Ms.toFixed(2)} ms)`,
    );
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  console.log(
    `DESIGN §7 dry runs ≥ ${TARGET_DRY_RUN_RPS} req/s on 2 cores: ${verdict(best.reqPerSec >= TARGET_DRY_RUN_RPS)} ` +
      `(best ${best.reqPerSec.toFixed(0)} req/s at ${at(best)})`,
  );
  console.log(
    `DESIGN §7 dry-run p99 < ${TARGET_DRY_RUN_P99_MS} ms: ${verdict(best.p99Ms < TARGET_DRY_RUN_P99_MS)} ` +
      `(p99 ${best.p99Ms.toFixed(2)} ms at that rate, ${at(best)})`,
  );
  const both = dryRows.filter((r) => r.reqPerSec >= TARGET_DRY_RUN_RPS && r.p99Ms < TARGET_DRY_RUN_P99_MS);
  console.log(
    `DESIGN §7 both at once at any tried connection count (${dryRows.map((r) => r.connections).join(', ')}): ` +
      `${verdict(both.length > 0)}` +
      (both.length > 0 ? ` (${both.map(at).join(', ')})` : ''),
  );
}

/** The median of every in-process measurement of the run (the one before the server and one per row). */
function inProcessRate(first: Measurement, beside: ReadonlyMap<LoadResult, Measurement>): number {
  const rates = [first, ...beside.values()].map((m) => m.opsPerSec).sort((a, b) => a - b);
  const mid = rates.length >> 1;
  return rates.length % 2 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
}

/** Frames whose inclusive time is worth a line of its own (they do not call the rest of the chain). */
const PROFILE_FOCUS: Record<string, RegExp> = {
  'DocumentSigner.sign (build + sign)': /^sign .*document-signer/,
  '  signCanonicalXml': /^signCanonicalXml /,
  '    RSA crypto.sign (signOneShot)': /^signOneShot /,
  '  buildDocumentWithFacts': /^buildDocumentWithFacts /,
  'ecfFromFlatRequest (flat fields → DGII JSON)': /^ecfFromFlatRequest /,
  'qrUrl (from the facts the builder wrote)': /^qrUrl /,
  'ValidationPipe.transform': /^transform .*validation\.pipe/,
  '  class-transformer plainToInstance': /^plainToInstance .*class-transformer\/cjs\/index/,
  '  class-validator validate': /^validate .*class-validator\/cjs\/index/,
  'body-parser JSON.parse': /^parse .*body-parser\/lib\/types\/json/,
  'res.json (stringify + ETag + socket write)': /^json .*express\/lib\/response/,
  '  ETag (sha1 of the body)': /^generateETag /,
  'guards (ApiKeyGuard + BearerGuard)': /^canActivate .*sessions\/src/,
  'AsyncResource.bind → deprecate() (Nest interceptor consumer)': /^deprecate node:internal\/util/,
  'pino child logger per request': /^child .*pino\/lib\/proto/,
  'requestIdFor (randomUUID + header)': /^requestIdFor /,
  'metrics observeRequest': /^observeRequest /,
  '(garbage collector)': /^\(garbage collector\)/,
  '(idle)': /^\(idle\)/,
};

/**
 * Runs the server under `node --cpu-prof` for a short load and prints its top frames over the
 * measured window. The preload turns SIGUSR2 into a normal exit, which is when V8 writes the
 * profile (a signal death writes none; Nest's own SIGUSR2 hook re-raises the signal).
 */
async function profileServer(
  target: string,
  dryRunBody: string,
  nextFullIssueBody: () => string,
): Promise<void> {
  rmSync(PROFILE_DIR, { recursive: true, force: true });
  const server = await ApiServer.start({
    env: SERVER_ENV,
    nodeFlags: [
      '--cpu-prof',
      '--cpu-prof-interval=250',
      `--cpu-prof-dir=${PROFILE_DIR}`,
      "--import=data:text/javascript,process.on('SIGUSR2',()=>process.exit(0))",
    ],
  });
  let result: LoadResult;
  try {
    const headers = await sessionHeaders(server);
    const spec: LoadSpec =
      target === 'health'
        ? { name: target, url: `${server.baseUrl}/health`, connections: HEALTH_CONNECTIONS, seconds: 0 }
        : {
            name: target,
            url: server.baseUrl + ISSUE_PATH,
            method: 'POST',
            headers,
            ...(target === 'full'
              ? { nextBody: nextFullIssueBody, connections: FULL_ISSUE_CONNECTIONS }
              : { body: dryRunBody, connections: 20 }),
            seconds: 0,
          };
    await runLoad({ ...spec, seconds: WARMUP_SECONDS });
    result = await runLoad({ ...spec, seconds: PROFILE_SECONDS, serverCpuMs: () => server.cpuMs() });
  } finally {
    await server.stop('SIGUSR2');
  }
  console.log(
    `profiled ${target} at ${result.connections} connections: ${result.reqPerSec.toFixed(0)} req/s, ` +
      `p99 ${result.p99Ms.toFixed(2)} ms, statuses ${JSON.stringify(result.statusCounts)}, ` +
      `server CPU ${result.serverCpuPercent?.toFixed(0)}%, ${result.serverCpuMsPerReq?.toFixed(3)} ms CPU/request ` +
      `(under the profiler)`,
  );
  const file = readdirSync(PROFILE_DIR).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${PROFILE_DIR}`);
  const summary = summariseCpuProfile(join(PROFILE_DIR, file), {
    windowMs: PROFILE_SECONDS * 1000,
    top: 25,
    focus: PROFILE_FOCUS,
  });
  console.log(`profile: ${join(PROFILE_DIR, file)}; last ${summary.windowMs.toFixed(0)} ms summarised`);
  const perRequest = (ms: number) => ((ms * 1000) / result.requests).toFixed(0).padStart(5);
  for (const [title, shares] of [
    ['inclusive time under selected frames', summary.focus],
    ['self time by area', summary.byArea],
    ['top frames by self time', summary.self],
    ['top frames by inclusive time', summary.inclusive],
  ] as const) {
    console.log(`\n${title} (% of samples, ms, µs per request):`);
    for (const s of shares)
      console.log(
        `  ${s.percent.toFixed(1).padStart(5)}%  ${s.ms.toFixed(0).padStart(6)} ms  ${perRequest(s.ms)} µs  ${s.name}`,
      );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
