/**
 * `npm run bench:ri`: RI PDFs per second for a 10-line and a 1,000-line e-CF 31 (verify + read +
 * draw), beside the sign rate of the same documents measured in the same run (bench:sign's
 * build + sign path), so the cost of an RI is known relative to signing (issue 12 §3). Also the
 * longest the event loop is blocked while a 1,000-line RI renders (it yields between pages).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { signCanonicalXml } from '@app/signing';
import { buildDocument } from '@app/xml-builder';
import { FIXTURE_SIGNED_AT, makeEcf, testIdentity } from '@app/testing';
import { RiService } from '../libs/ri/src';
import globalSetup from '../test/support/global-setup';
import { Measurement, measure } from './support/measure';

async function measureAsync(name: string, fn: () => Promise<unknown>, minRuns: number): Promise<Measurement> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < 1500) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const wall = performance.now() - start;
  times.sort((a, b) => a - b);
  const medianMs = times[times.length >> 1];
  return {
    name,
    runs: times.length,
    medianMs,
    opsPerSec: 1000 / medianMs,
    opsPerSecWall: (times.length * 1000) / wall,
  };
}

/** Longest gap between 1 ms ticks while `fn` runs: how long the loop was blocked at a stretch. */
async function longestBlockMs(fn: () => Promise<unknown>): Promise<{ maxGapMs: number; p99Ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGapMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 1);
  h.enable();
  await fn();
  h.disable();
  clearInterval(tick);
  return { maxGapMs, p99Ms: h.percentile(99) / 1e6 };
}

async function main(): Promise<void> {
  await globalSetup();
  const identity = await testIdentity();
  const ri = new RiService();
  const build = (lines: number) =>
    buildDocument('31', makeEcf('31', { lines }), { fechaHoraFirma: FIXTURE_SIGNED_AT });
  const small = build(10);
  const large = build(1000);
  const smallSigned = signCanonicalXml(small, identity).xml;
  const largeSigned = signCanonicalXml(large, identity).xml;
  const largeRi = await ri.generate({ signedXml: largeSigned });
  console.log(
    `Node ${process.version}; 1,000-line RI: ${largeRi.pages} letter pages, ${largeRi.pdf.length} B; 10-line RI ${(await ri.generate({ signedXml: smallSigned })).pdf.length} B\n`,
  );

  const rows: [Measurement, Measurement][] = [
    [
      measure('build + sign, 10 lines', () => signCanonicalXml(build(10), identity)),
      await measureAsync('RI letter, 10 lines', () => ri.generate({ signedXml: smallSigned }), 50),
    ],
    [
      measure('build + sign, 10 lines', () => signCanonicalXml(build(10), identity)),
      await measureAsync(
        'RI 80mm, 10 lines',
        () => ri.generate({ signedXml: smallSigned, format: '80mm' }),
        50,
      ),
    ],
    [
      measure('build + sign, 1,000 lines', () => signCanonicalXml(build(1000), identity), {
        minRuns: 50,
        warmup: 5,
      }),
      await measureAsync('RI letter, 1,000 lines', () => ri.generate({ signedXml: largeSigned }), 10),
    ],
  ];
  const table = [
    ['RI path', 'runs', 'median ms', 'PDFs/s', 'sign path (same run)', 'signs/s', 'RI cost ÷ sign cost'],
  ];
  for (const [sign, pdf] of rows) {
    table.push([
      pdf.name,
      String(pdf.runs),
      pdf.medianMs.toFixed(2),
      pdf.opsPerSec.toFixed(1),
      sign.name,
      sign.opsPerSec.toFixed(1),
      `${(pdf.medianMs / sign.medianMs).toFixed(1)}×`,
    ]);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const r of table)
    console.log(
      r.map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
    );

  const block = await longestBlockMs(() => ri.generate({ signedXml: largeSigned }));
  const whole = await measureAsync('one 1,000-line RI', () => ri.generate({ signedXml: largeSigned }), 3);
  console.log(
    `\nevent loop while a 1,000-line RI renders: longest block ${block.maxGapMs.toFixed(1)} ms (p99 delay ${block.p99Ms.toFixed(1)} ms) of ${whole.medianMs.toFixed(0)} ms total`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
