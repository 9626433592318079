import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { p12Dir } from '../fixtures/fixture-dirs';
import { berRewrapPfx } from './ber-rewrap';
import {
  TEST_P12_PASSWORD,
  TEST_P12_VARIANTS,
  ensureTestP12,
  testP12Current,
  testP12PasswordFor,
} from './generate-test-p12';

/** What openssl itself makes of a file: the leaf certificate's subject, or undefined when it refuses. */
function opensslSubject(file: string, password: string): string | undefined {
  try {
    const pem = execFileSync(
      'openssl',
      ['pkcs12', '-legacy', '-in', file, '-nokeys', '-clcerts', '-passin', `pass:${password}`],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    return execFileSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'], {
      input: pem,
    }).toString();
  } catch {
    return undefined;
  }
}

describe('test .p12 generator (fixtures made by globalSetup)', () => {
  it.each(Object.entries(TEST_P12_VARIANTS).filter(([, outcome]) => outcome === 'accepted'))(
    '%s opens in openssl with its password and carries the test cédula',
    (name) => {
      expect(opensslSubject(join(p12Dir, `${name}.p12`), testP12PasswordFor(name))).toMatch(/40209547971/);
    },
  );

  it('writes the UTF-8 subject as UTF-8 (IDCDO- cédula, accented names)', () => {
    expect(opensslSubject(join(p12Dir, 'rsa2048-utf8subject-chain.p12'), TEST_P12_PASSWORD)).toMatch(
      /O=DISTRIBUIDORA ÑAPA & CÍA SRL.*serialNumber=IDCDO-40209547971.*CN=JOSÉ PÉREZ NÚÑEZ/,
    );
  });

  it.each(['truncated', 'random', 'empty', 'pem-instead', 'bitflip-mac', 'bitflip-content'])(
    '%s is refused by openssl',
    (name) => {
      expect(opensslSubject(join(p12Dir, `${name}.p12`), TEST_P12_PASSWORD)).toBeUndefined();
    },
  );

  it('flips exactly one bit in each bit-flip variant', () => {
    const modern = readFileSync(join(p12Dir, 'rsa2048-modern.p12'));
    for (const [name, at] of [
      ['bitflip-content', Math.floor(modern.length / 2)],
      ['bitflip-mac', modern.length - 10],
    ] as const) {
      const flipped = readFileSync(join(p12Dir, `${name}.p12`));
      expect(flipped.length).toBe(modern.length);
      const diff = [...flipped].flatMap((b, i) => (b === modern[i] ? [] : [[i, b ^ modern[i]]]));
      expect(diff).toEqual([[at, 1]]);
    }
  });

  it('re-wraps the PFX in BER: indefinite lengths, a chunked OCTET STRING, and the same MAC', () => {
    const modern = readFileSync(join(p12Dir, 'rsa2048-modern.p12'));
    const ber = berRewrapPfx(modern, 500);
    expect([...ber.subarray(0, 2)]).toEqual([0x30, 0x80]);
    expect(ber.subarray(-2)).toEqual(Buffer.from([0, 0]));
    expect(ber.includes(Buffer.from([0xa0, 0x80, 0x24, 0x80, 0x04, 0x82, 0x01, 0xf4]))).toBe(true);
    expect(ber.equals(readFileSync(join(p12Dir, 'rsa2048-ber.p12')))).toBe(true);
    expect(opensslSubject(join(p12Dir, 'rsa2048-ber.p12'), TEST_P12_PASSWORD)).toMatch(/CN=ALEX RODRIGUEZ/);
  });

  it('refuses to re-wrap bytes that are not a DER PFX', () => {
    expect(() => berRewrapPfx(Buffer.from('not a pfx'))).toThrow(/DER/);
  });

  it('counts fixtures from another generator version as stale, and remakes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-p12-'));
    try {
      for (const name of Object.keys(TEST_P12_VARIANTS))
        copyFileSync(join(p12Dir, `${name}.p12`), join(dir, `${name}.p12`));
      copyFileSync(join(p12Dir, '.generator-version'), join(dir, '.generator-version'));
      expect(testP12Current(dir)).toBe(true);
      expect(await ensureTestP12(dir)).toBe(false);
      writeFileSync(join(dir, '.generator-version'), '0');
      expect(testP12Current(dir)).toBe(false);
      expect(await ensureTestP12(dir)).toBe(true);
      expect(testP12Current(dir)).toBe(true);
      expect(opensslSubject(join(dir, 'rsa2048-modern.p12'), TEST_P12_PASSWORD)).toMatch(/40209547971/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
