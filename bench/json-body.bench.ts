/**
 * `npm run bench:json`: the strict JSON body reader (UTF-8 check, depth limit, duplicate keys,
 * position-only errors) against what it replaced, express.json, side by side in one run: the
 * parse step alone (bytes → value) and the whole middleware over a request stream, for the
 * 10-line e-CF of bench:http and a 1,000-line one. The reader must not slow the request path
 * noticeably (issue 7 §2); the printed ratio is strict ÷ express.json (1.00 = as fast).
 */
import { Readable } from 'node:stream';
import express from 'express';
import { decodeJsonBody, isJsonRequest, jsonBodyMiddleware } from '@app/common';
import { makeEcf } from '@app/testing';
import { Measurement, measure } from './support/measure';

const LIMIT = 2 * 1024 * 1024;

type Handler = (req: never, res: never, next: (error?: unknown) => void) => void;

function fakeRequest(body: Buffer): Readable & { headers: Record<string, string>; body?: unknown } {
  const req = Readable.from([body], { objectMode: false }) as Readable & {
    headers: Record<string, string>;
    body?: unknown;
  };
  req.headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  return req;
}

/** Runs the middleware chain `runs` times over fresh request streams; ops/s over the whole loop. */
async function measureChain(
  name: string,
  chain: Handler[],
  body: Buffer,
  runs: number,
): Promise<Measurement> {
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = fakeRequest(body);
      let i = 0;
      const next = (error?: unknown) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const handler = chain[i++];
        if (!handler) {
          if (typeof req.body !== 'object') return reject(new Error(`${name}: body not parsed`));
          return resolve();
        }
        handler(req as never, {} as never, next);
      };
      next();
    });
  for (let i = 0; i < Math.min(200, runs); i++) await once();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  const wall = performance.now() - start;
  times.sort((a, b) => a - b);
  const medianMs = times[times.length >> 1];
  return { name, runs, medianMs, opsPerSec: 1000 / medianMs, opsPerSecWall: (runs * 1000) / wall };
}

function row(m: Measurement, baseline?: Measurement): string[] {
  return [
    m.name,
    String(m.runs),
    m.medianMs.toFixed(4),
    m.opsPerSec.toFixed(0),
    m.opsPerSecWall.toFixed(0),
    baseline ? (m.opsPerSec / baseline.opsPerSec).toFixed(2) : '1.00',
  ];
}

async function main(): Promise<void> {
  const bodies = [
    ['10-line e-CF 31', Buffer.from(JSON.stringify({ ecf: makeEcf('31', { lines: 10 }), dryRun: true }))],
    [
      '1,000-line e-CF 31',
      Buffer.from(JSON.stringify({ ecf: makeEcf('31', { lines: 1000 }), dryRun: true })),
    ],
  ] as const;
  console.log(`Node ${process.version}; ratio = strict ÷ express.json ops/s (median)\n`);
  const table = [['path', 'runs', 'median ms', 'ops/s (median)', 'ops/s (wall)', 'ratio']];
  const expressJson = express.json({ limit: LIMIT }) as unknown as Handler;
  const strict = [
    express.raw({ limit: LIMIT, type: isJsonRequest, inflate: false }) as unknown as Handler,
    jsonBodyMiddleware() as unknown as Handler,
  ];
  for (const [label, body] of bodies) {
    const kb = `${label}, ${(body.length / 1024).toFixed(1)} KiB`;
    const parse = measure(`parse: JSON.parse(utf8), ${kb}`, () => JSON.parse(body.toString('utf8')));
    const ours = measure(`parse: decodeJsonBody (strict), ${kb}`, () => decodeJsonBody(body));
    const runs = body.length > 100_000 ? 500 : 5000;
    const mwJson = await measureChain(`middleware: express.json, ${kb}`, [expressJson], body, runs);
    const mwOurs = await measureChain(`middleware: raw + strict reader, ${kb}`, strict, body, runs);
    table.push(row(parse), row(ours, parse), row(mwJson), row(mwOurs, mwJson));
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const r of table)
    console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
