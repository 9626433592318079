import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { berRewrapPfx } from './ber-rewrap';

const run = promisify(execFile);

/**
 * Bump whenever a variant, subject, password or algorithm changes: fixtures made by an older
 * generator are then remade instead of silently reused.
 */
export const TEST_P12_GENERATOR_VERSION = '1';
const STAMP_FILE = '.generator-version';

export const TEST_P12_PASSWORD = 'Clave-Secreta.2024';
export const TEST_P12_PASSWORD_ENYE = 'contraseña';
/** The cédula every test leaf carries in its subject serialNumber (with or without `IDCDO-`). */
export const TEST_SIGNER_CEDULA = '40209547971';

/**
 * Every .p12 the generator writes, with what POST /api/v1/sessions must answer for it:
 * - `accepted` → 201 with signerCedula 40209547971 (given the variant's password);
 * - `ec` → a session may open, but signing fails with SIGNING_FAILED;
 * - `malformed` → 401 MALFORMED_P12;
 * - `bitflip` → 401 MALFORMED_P12 or INVALID_PASSWORD, never 201/500;
 * - `expired` → a clear refusal, never a signed document.
 */
export const TEST_P12_VARIANTS = {
  'rsa2048-modern': 'accepted',
  'rsa2048-modern-chain': 'accepted',
  'rsa2048-legacy': 'accepted',
  'rsa2048-legacy-chain': 'accepted',
  'rsa2048-3des': 'accepted',
  'rsa2048-3des-chain': 'accepted',
  'rsa2048-certs-unencrypted': 'accepted',
  'rsa2048-iter100k': 'accepted',
  'rsa2048-utf8subject-chain': 'accepted',
  'rsa4096-modern': 'accepted',
  'rsa4096-legacy-chain': 'accepted',
  'rsa2048-ber': 'accepted',
  'rsa2048-modern-pw-enye': 'accepted',
  'rsa2048-legacy-pw-enye': 'accepted',
  'rsa2048-emptypw': 'accepted',
  'ec256-modern-chain': 'ec',
  expired: 'expired',
  certonly: 'malformed',
  truncated: 'malformed',
  'truncated-1byte': 'malformed',
  random: 'malformed',
  'pem-instead': 'malformed',
  empty: 'malformed',
  'bitflip-content': 'bitflip',
  'bitflip-mac': 'bitflip',
} as const;

export type TestP12Variant = keyof typeof TEST_P12_VARIANTS;

/** The password each variant was exported with. */
export function testP12PasswordFor(name: string): string {
  if (name.endsWith('-pw-enye')) return TEST_P12_PASSWORD_ENYE;
  if (name === 'rsa2048-emptypw') return '';
  return TEST_P12_PASSWORD;
}

type KeyAlgorithm = 'rsa2048' | 'rsa4096' | 'ec256';

interface Leaf {
  name: string;
  algorithm: KeyAlgorithm;
  days: number;
  subject: string;
}

// Dominican-looking subjects: serialNumber carries the cédula, with or without the IDCDO- prefix.
const LEAVES: readonly Leaf[] = [
  {
    name: 'r2048',
    algorithm: 'rsa2048',
    days: 730,
    subject: `/C=DO/O=EMPRESA DEMO SRL/OU=Facturacion Electronica/serialNumber=${TEST_SIGNER_CEDULA}/CN=ALEX RODRIGUEZ`,
  },
  {
    name: 'r2048b',
    algorithm: 'rsa2048',
    days: 730,
    subject:
      '/C=DO/L=Santo Domingo/O=DISTRIBUIDORA ÑAPA & CÍA SRL' +
      `/serialNumber=IDCDO-${TEST_SIGNER_CEDULA}/title=Gerente/GN=JOSÉ/SN=PÉREZ NÚÑEZ/CN=JOSÉ PÉREZ NÚÑEZ`,
  },
  {
    name: 'r4096',
    algorithm: 'rsa4096',
    days: 730,
    subject: `/C=DO/O=EMPRESA DEMO SRL/serialNumber=IDCDO-${TEST_SIGNER_CEDULA}/CN=ALEX RODRIGUEZ`,
  },
  {
    name: 'ec256',
    algorithm: 'ec256',
    days: 730,
    subject: `/C=DO/O=EMPRESA DEMO SRL/serialNumber=${TEST_SIGNER_CEDULA}/CN=ALEX RODRIGUEZ EC`,
  },
  // Valid for zero days: already expired by the time a test opens it.
  {
    name: 'old',
    algorithm: 'rsa2048',
    days: 0,
    subject: `/C=DO/O=EMPRESA DEMO SRL/serialNumber=${TEST_SIGNER_CEDULA}/CN=ALEX RODRIGUEZ VENCIDO`,
  },
];

const CA_EXTENSIONS = 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n';
const LEAF_EXTENSIONS =
  'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' +
  'extendedKeyUsage=emailProtection,clientAuth\n';

const KEY_OPTIONS: Record<KeyAlgorithm, string[]> = {
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa4096: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  ec256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
};

/** One pkcs12 export: file name, password and the openssl options that make the variant. */
interface Export {
  file: string;
  leaf: string;
  password?: string;
  chain?: boolean;
  options?: string[];
}

const EXPORTS: readonly Export[] = [
  { file: 'rsa2048-modern', leaf: 'r2048' }, // PBES2 AES-256-CBC, PBKDF2, SHA-256 MAC (openssl 3 default)
  { file: 'rsa2048-modern-chain', leaf: 'r2048', chain: true },
  { file: 'rsa2048-legacy', leaf: 'r2048', options: ['-legacy'] }, // RC2-40 certs, 3DES key, SHA-1 MAC
  { file: 'rsa2048-legacy-chain', leaf: 'r2048', chain: true, options: ['-legacy'] },
  // Windows' export shape.
  { file: 'rsa2048-3des', leaf: 'r2048', options: threeDes() },
  { file: 'rsa2048-3des-chain', leaf: 'r2048', chain: true, options: threeDes() },
  { file: 'rsa2048-certs-unencrypted', leaf: 'r2048', options: ['-certpbe', 'NONE'] },
  { file: 'rsa2048-iter100k', leaf: 'r2048', options: ['-iter', '100000'] },
  { file: 'rsa2048-utf8subject-chain', leaf: 'r2048b', chain: true, options: ['-name', 'José Pérez'] },
  { file: 'rsa4096-modern', leaf: 'r4096' },
  { file: 'rsa4096-legacy-chain', leaf: 'r4096', chain: true, options: ['-legacy'] },
  { file: 'ec256-modern-chain', leaf: 'ec256', chain: true },
  { file: 'expired', leaf: 'old' },
  { file: 'rsa2048-modern-pw-enye', leaf: 'r2048', password: TEST_P12_PASSWORD_ENYE },
  { file: 'rsa2048-legacy-pw-enye', leaf: 'r2048', password: TEST_P12_PASSWORD_ENYE, options: ['-legacy'] },
  { file: 'rsa2048-emptypw', leaf: 'r2048', password: '' },
];

function threeDes(): string[] {
  return ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'];
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd, maxBuffer: 1 << 20 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} ${args[1] ?? ''} failed: ${stderr.trim() || String(error)}`);
  }
}

/** A random positive serial: parallel signing cannot share one `-CAcreateserial` file. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return `0x${bytes.toString('hex')}`;
}

async function genKey(dir: string, name: string, algorithm: KeyAlgorithm): Promise<void> {
  await openssl(dir, ['genpkey', ...KEY_OPTIONS[algorithm], '-out', `${name}.key`]);
}

async function makeCa(dir: string): Promise<void> {
  await Promise.all([
    openssl(dir, [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
      '-days', '3650', '-sha256', '-subj', '/C=DO/O=Test Root CA SRL/CN=Test Root CA DO',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]), // prettier-ignore
    genKey(dir, 'int', 'rsa2048'),
  ]);
  await openssl(dir, [
    'req',
    '-new',
    '-key',
    'int.key',
    '-out',
    'int.csr',
    '-subj',
    '/C=DO/O=Test Sub CA SRL/CN=Test Sub CA DO',
  ]);
  await openssl(dir, [
    'x509', '-req', '-in', 'int.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', serial(),
    '-out', 'int.pem', '-days', '3650', '-sha256', '-extfile', 'ca.ext',
  ]); // prettier-ignore
  writeFileSync(
    join(dir, 'chain.pem'),
    Buffer.concat([readFileSync(join(dir, 'int.pem')), readFileSync(join(dir, 'ca.pem'))]),
  );
}

async function makeLeaf(dir: string, leaf: Leaf, ca: Promise<void>): Promise<void> {
  await genKey(dir, leaf.name, leaf.algorithm);
  await openssl(dir, [
    'req',
    '-new',
    '-key',
    `${leaf.name}.key`,
    '-out',
    `${leaf.name}.csr`,
    '-utf8',
    '-subj',
    leaf.subject,
  ]);
  await ca;
  await openssl(dir, [
    'x509', '-req', '-in', `${leaf.name}.csr`, '-CA', 'int.pem', '-CAkey', 'int.key', '-set_serial', serial(),
    '-out', `${leaf.name}.pem`, '-days', String(leaf.days), '-sha256', '-extfile', 'leaf.ext',
  ]); // prettier-ignore
}

async function exportP12(dir: string, e: Export): Promise<void> {
  await openssl(dir, [
    'pkcs12', '-export', '-inkey', `${e.leaf}.key`, '-in', `${e.leaf}.pem`,
    ...(e.chain ? ['-certfile', 'chain.pem'] : []), ...(e.options ?? []),
    '-passout', `pass:${e.password ?? TEST_P12_PASSWORD}`, '-out', `${e.file}.p12`,
  ]); // prettier-ignore
}

function flipBit(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] ^= 0x01;
  return copy;
}

/** The variants made from a valid file's bytes rather than by openssl. */
function writeDerived(dir: string): void {
  const modern = readFileSync(join(dir, 'rsa2048-modern.p12'));
  const write = (name: string, bytes: Buffer | string): void =>
    writeFileSync(join(dir, `${name}.p12`), bytes);
  write('truncated', modern.subarray(0, 1000));
  write('truncated-1byte', modern.subarray(0, modern.length - 1));
  write('random', randomBytes(2600));
  write('pem-instead', readFileSync(join(dir, 'r2048.pem')));
  write('empty', Buffer.alloc(0));
  write('bitflip-content', flipBit(modern, Math.floor(modern.length / 2)));
  // Near the end: inside the MacData digest.
  write('bitflip-mac', flipBit(modern, modern.length - 10));
  write('rsa2048-ber', berRewrapPfx(modern));
}

/**
 * Writes every test .p12 variant into `outDir` (plus the keys and certificates they were made from,
 * e.g. r2048.key/r2048.pem, which oracle helpers read). Needs only Node and the `openssl` 3 CLI.
 * Independent openssl calls run in parallel. Certificates are made at test time, never committed.
 */
export async function generateTestP12(outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  rmSync(join(outDir, STAMP_FILE), { force: true });
  writeFileSync(join(outDir, 'ca.ext'), CA_EXTENSIONS);
  writeFileSync(join(outDir, 'leaf.ext'), LEAF_EXTENSIONS);
  const ca = makeCa(outDir);
  await Promise.all([ca, ...LEAVES.map((leaf) => makeLeaf(outDir, leaf, ca))]);
  await Promise.all([
    ...EXPORTS.map((e) => exportP12(outDir, e)),
    openssl(outDir, [
      'pkcs12', '-export', '-nokeys', '-in', 'r2048.pem', '-passout', `pass:${TEST_P12_PASSWORD}`, '-out', 'certonly.p12',
    ]), // prettier-ignore
  ]);
  writeDerived(outDir);
  for (const leftover of ['ca.ext', 'leaf.ext', 'int.csr', ...LEAVES.map((l) => `${l.name}.csr`)]) {
    rmSync(join(outDir, leftover), { force: true });
  }
  const written = Object.keys(TEST_P12_VARIANTS).map((name) => `${name}.p12`);
  const missing = written.filter((file) => !existsSync(join(outDir, file)));
  if (missing.length > 0) throw new Error(`p12 generator did not write: ${missing.join(', ')}`);
  writeFileSync(join(outDir, STAMP_FILE), TEST_P12_GENERATOR_VERSION);
  return written;
}

/** True when `outDir` holds every variant made by this generator version. */
export function testP12Current(outDir: string): boolean {
  const stamp = join(outDir, STAMP_FILE);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== TEST_P12_GENERATOR_VERSION) return false;
  return Object.keys(TEST_P12_VARIANTS).every((name) => existsSync(join(outDir, `${name}.p12`)));
}

/** Generates the fixtures unless this generator version already made them all; true when it generated. */
export async function ensureTestP12(outDir: string): Promise<boolean> {
  if (testP12Current(outDir)) return false;
  await generateTestP12(outDir);
  return true;
}
