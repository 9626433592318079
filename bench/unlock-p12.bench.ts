/**
 * Median unlockP12 time per test-p12 variant (key import included).
 *   npx ts-node -T -r tsconfig-paths/register bench/unlock-p12.bench.ts [runs]
 * Generates the fixtures first if they are missing (needs openssl 3), like the jest globalSetup.
 */
import globalSetup from '../test/support/global-setup';
import { P12_PASSWORD, p12, passwordFor } from '../test/support/p12-fixtures';
import { P12Error, unlockP12 } from '../libs/signing/src/p12';

const RUNS = Number(process.argv[2] ?? 30);
const WARMUP = 3;

const VARIANTS: { name: string; password?: string; label?: string }[] = [
  { name: 'rsa2048-modern' },
  { name: 'rsa2048-modern-chain' },
  { name: 'rsa2048-legacy' },
  { name: 'rsa2048-legacy-chain' },
  { name: 'rsa2048-3des' },
  { name: 'rsa2048-3des-chain' },
  { name: 'rsa2048-certs-unencrypted' },
  { name: 'rsa2048-iter100k' },
  { name: 'rsa2048-utf8subject-chain' },
  { name: 'rsa2048-ber' },
  { name: 'rsa2048-modern-pw-enye' },
  { name: 'rsa2048-legacy-pw-enye' },
  { name: 'rsa2048-emptypw' },
  { name: 'rsa4096-modern' },
  { name: 'rsa4096-legacy-chain' },
  { name: 'ec256-modern-chain' },
  { name: 'rsa2048-modern', password: 'wrong-password', label: 'rsa2048-modern (wrong password)' },
  { name: 'rsa2048-legacy', password: 'wrong-password', label: 'rsa2048-legacy (wrong password)' },
  { name: 'bitflip-content', password: P12_PASSWORD, label: 'bitflip-content (→ CORRUPTED)' },
  { name: 'truncated', label: 'truncated (→ MALFORMED)' },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timeOnce(file: Buffer, password: string): Promise<{ ms: number; outcome: string }> {
  const t0 = performance.now();
  let outcome = 'ok';
  try {
    const u = await unlockP12(file, password);
    outcome = `ok ${u.keyType}${u.modulusLength ? `-${u.modulusLength}` : ''}`;
  } catch (e) {
    if (!(e instanceof P12Error)) throw e;
    outcome = e.reason;
  }
  return { ms: performance.now() - t0, outcome };
}

async function main(): Promise<void> {
  globalSetup();
  console.log(`Node ${process.version}, ${RUNS} runs per variant after ${WARMUP} warm-up runs\n`);
  const rows: string[][] = [['variant', 'outcome', 'median ms', 'min ms', 'max ms']];
  for (const v of VARIANTS) {
    const file = p12(v.name);
    const password = v.password ?? passwordFor(v.name);
    for (let i = 0; i < WARMUP; i++) await timeOnce(file, password);
    const times: number[] = [];
    let outcome = '';
    for (let i = 0; i < RUNS; i++) {
      const r = await timeOnce(file, password);
      times.push(r.ms);
      outcome = r.outcome;
    }
    rows.push([
      v.label ?? v.name,
      outcome,
      median(times).toFixed(1),
      Math.min(...times).toFixed(1),
      Math.max(...times).toFixed(1),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
