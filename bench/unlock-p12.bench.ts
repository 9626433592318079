/**
 * Median unlockP12 time per test-p12 variant (key import included), plus files exported at bench
 * time at the iteration caps: the costliest .p12 the service accepts (issue 7 §2: about a second).
 *   npx ts-node -T -r tsconfig-paths/register bench/unlock-p12.bench.ts [runs]
 * Generates the fixtures first if they are missing (needs openssl 3), like the jest globalSetup.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import globalSetup from '../test/support/global-setup';
import { P12_PASSWORD, p12, passwordFor } from '@app/testing';
import { p12Dir } from '../test/support/shared-dir';
import {
  MAX_KDF_WORK,
  MAX_PBKDF2_ITERATIONS,
  MAX_PKCS12_PBE_ITERATIONS,
  P12Error,
  unlockP12,
} from '../libs/signing/src/p12';

const RUNS = Number(process.argv[2] ?? 30);
/** Optional substring: only the variants whose label contains it (e.g. `cap`). */
const ONLY = process.argv[3];
const WARMUP = 3;

const ENYE = 'contraseña';

/** Exported now, never committed: name → openssl options and the password they were written with. */
const AT_CAP: Record<string, { args: string[]; password: string }> = {
  [`cap-pbkdf2-${MAX_PBKDF2_ITERATIONS}`]: {
    args: ['-iter', String(MAX_PBKDF2_ITERATIONS)],
    password: P12_PASSWORD,
  },
  [`cap-legacy-${MAX_PKCS12_PBE_ITERATIONS}`]: {
    args: ['-legacy', '-iter', String(MAX_PKCS12_PBE_ITERATIONS)],
    password: P12_PASSWORD,
  },
  // Two password forms (non-ASCII): 12 KDF runs × 40,000 = 480,000 units, just under MAX_KDF_WORK.
  'cap-legacy-40000-pw-enye': { args: ['-legacy', '-iter', '40000'], password: ENYE },
};

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
  ...Object.keys(AT_CAP).map((name) => ({ name })),
  {
    name: 'cap-legacy-40000-pw-enye',
    password: 'wrong-contraseña',
    label: 'cap-legacy-40000-pw-enye (wrong pw)',
  },
  { name: 'over-cap-legacy-1000000', label: 'legacy -iter 1000000 (→ refused)' },
];

let capDir: string | undefined;
const generated = new Map<string, { file: Buffer; password: string }>();

function exportAtCaps(): void {
  capDir = mkdtempSync(join(tmpdir(), 'bench-unlock-'));
  const files = {
    ...AT_CAP,
    'over-cap-legacy-1000000': { args: ['-legacy', '-iter', '1000000'], password: P12_PASSWORD },
  };
  for (const [name, { args, password }] of Object.entries(files)) {
    const out = join(capDir, `${name}.p12`);
    const key = ['-inkey', join(p12Dir, 'r2048.key'), '-in', join(p12Dir, 'r2048.pem')];
    execFileSync('openssl', [
      'pkcs12',
      '-export',
      ...key,
      '-passout',
      `pass:${password}`,
      '-out',
      out,
      ...args,
    ]);
    generated.set(name, { file: readFileSync(out), password });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Wall time and process CPU time (main thread plus the libuv pool PBKDF2 runs on): on a shared,
 * loaded machine the CPU time is the figure that says what one open costs.
 */
async function timeOnce(
  file: Buffer,
  password: string,
): Promise<{ ms: number; cpuMs: number; outcome: string }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let outcome = 'ok';
  try {
    const u = await unlockP12(file, password);
    outcome = `ok ${u.keyType}${u.modulusLength ? `-${u.modulusLength}` : ''}`;
  } catch (e) {
    if (!(e instanceof P12Error)) throw e;
    outcome = e.reason;
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, outcome };
}

async function main(): Promise<void> {
  await globalSetup();
  exportAtCaps();
  console.log(`Node ${process.version}, ${RUNS} runs per variant after ${WARMUP} warm-up runs`);
  console.log(
    `caps: PBKDF2 ${MAX_PBKDF2_ITERATIONS}, legacy PBE ${MAX_PKCS12_PBE_ITERATIONS}, total KDF work ${MAX_KDF_WORK}\n`,
  );
  const rows: string[][] = [['variant', 'outcome', 'median ms', 'min ms', 'max ms', 'median CPU ms']];
  for (const v of VARIANTS.filter((x) => !ONLY || (x.label ?? x.name).includes(ONLY))) {
    const made = generated.get(v.name);
    const file = made?.file ?? p12(v.name);
    const password = v.password ?? made?.password ?? passwordFor(v.name);
    for (let i = 0; i < WARMUP; i++) await timeOnce(file, password);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let outcome = '';
    for (let i = 0; i < RUNS; i++) {
      const r = await timeOnce(file, password);
      times.push(r.ms);
      cpuTimes.push(r.cpuMs);
      outcome = r.outcome;
    }
    rows.push([
      v.label ?? v.name,
      outcome,
      median(times).toFixed(1),
      Math.min(...times).toFixed(1),
      Math.max(...times).toFixed(1),
      median(cpuTimes).toFixed(1),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    if (capDir) rmSync(capDir, { recursive: true, force: true });
  });
