/**
 * `npm run bench:express-prototypes`: the same Express 5 app on node's own request/response classes
 * and on `expressMessageClasses` (what BoundedExpressAdapter uses), interleaved, each under
 * `--trace-gc-nvp`: requests/s, the share of allocated bytes young-generation collections promote
 * to old space, and the mean scavenge pause. Express re-parents every request and response it is
 * given (`Object.setPrototypeOf`); born with its prototypes, they are not.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { runLoad } from './support/load';

const VARIANTS = [
  { name: "node's IncomingMessage/ServerResponse", arg: 'node' },
  { name: 'expressMessageClasses', arg: 'express' },
] as const;
const ROUNDS = 3;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const RUN_SECONDS = 5;

interface Row {
  variant: string;
  reqPerSec: number;
  p99Ms: number;
  promotedShare: number;
  meanPauseMs: number;
  scavenges: number;
}

interface GcTotals {
  scavenges: number;
  allocated: number;
  promoted: number;
  pauseMs: number;
}

/** Sums `--trace-gc-nvp` scavenge lines (`gc=s … allocated=… promoted=… pause=…`). */
function scavengeTotals(lines: readonly string[]): GcTotals {
  const field = (line: string, name: string) =>
    Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
  const totals: GcTotals = { scavenges: 0, allocated: 0, promoted: 0, pauseMs: 0 };
  for (const line of lines) {
    if (!line.includes('gc=s ')) continue;
    totals.scavenges++;
    totals.allocated += field(line, 'allocated');
    totals.promoted += field(line, 'promoted');
    totals.pauseMs += field(line, 'pause');
  }
  return totals;
}

async function startChild(arg: string): Promise<{ child: ChildProcess; port: number; lines: string[] }> {
  const child = spawn(
    process.execPath,
    [
      '--trace-gc-nvp',
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      resolve(__dirname, 'support/express-message-server.ts'),
      arg,
    ],
    { cwd: resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  let partial = '';
  const port = await new Promise<number>((done, fail) => {
    child.once('exit', (code) => fail(new Error(`server ${arg} exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        const port = /^port (\d+)$/.exec(line);
        if (port) done(Number(port[1]));
        else lines.push(line);
      }
    });
  });
  return { child, port, lines };
}

async function measureVariant(variant: (typeof VARIANTS)[number]): Promise<Row> {
  const { child, port, lines } = await startChild(variant.arg);
  try {
    const url = `http://127.0.0.1:${port}/health`;
    await runLoad({ name: 'warm-up', url, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
    lines.length = 0;
    const load = await runLoad({ name: variant.name, url, connections: CONNECTIONS, seconds: RUN_SECONDS });
    const gc = scavengeTotals(lines);
    if (load.non2xx > 0 || load.errors > 0)
      throw new Error(`${variant.name}: ${load.non2xx} non-2xx, ${load.errors} errors`);
    return {
      variant: variant.name,
      reqPerSec: load.reqPerSec,
      p99Ms: load.p99Ms,
      promotedShare: gc.allocated === 0 ? 0 : gc.promoted / gc.allocated,
      meanPauseMs: gc.scavenges === 0 ? 0 : gc.pauseMs / gc.scavenges,
      scavenges: gc.scavenges,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  console.log(
    `Express 5 GET /health (res.json), ${CONNECTIONS} connections, ${RUN_SECONDS} s per row after ${WARMUP_SECONDS} s ` +
      `warm-up, ${ROUNDS} interleaved rounds; the server runs in its own process under --trace-gc-nvp\n`,
  );
  const rows: Row[] = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const variant of VARIANTS) rows.push(await measureVariant(variant));
  const header = [
    'request/response classes',
    'req/s',
    'p99 ms',
    'scavenges',
    'promoted share',
    'mean scavenge pause ms',
  ];
  console.log(header.join(' | '));
  for (const r of rows)
    console.log(
      [
        r.variant,
        r.reqPerSec.toFixed(0),
        r.p99Ms.toFixed(2),
        r.scavenges,
        `${(100 * r.promotedShare).toFixed(1)}%`,
        r.meanPauseMs.toFixed(2),
      ].join(' | '),
    );
  const of = (name: string, pick: (r: Row) => number) =>
    median(rows.filter((r) => r.variant === name).map(pick));
  const [node, ours] = VARIANTS.map((v) => v.name);
  console.log(
    `\nmedian req/s expressMessageClasses ÷ node's classes: ${(of(ours, (r) => r.reqPerSec) / of(node, (r) => r.reqPerSec)).toFixed(2)}; ` +
      `promoted share ${(100 * of(node, (r) => r.promotedShare)).toFixed(1)}% → ${(100 * of(ours, (r) => r.promotedShare)).toFixed(1)}%; ` +
      `mean scavenge pause ${of(node, (r) => r.meanPauseMs).toFixed(2)} → ${of(ours, (r) => r.meanPauseMs).toFixed(2)} ms`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
