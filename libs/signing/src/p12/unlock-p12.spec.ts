import * as asn1js from 'asn1js';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import { X509Certificate, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { p12, P12_PASSWORD, p12Dir, passwordFor } from '@app/testing';
import * as kdf from './pkcs12-kdf';
import {
  MAX_KDF_WORK,
  MAX_PBKDF2_ITERATIONS,
  MAX_PKCS12_PBE_ITERATIONS,
  P12Error,
  P12FailureReason,
  UnlockedP12,
  unlockP12,
} from './unlock-p12';

jest.setTimeout(60_000);

const CEDULA = '40209547971';

/** Resolves to the failure reason, or 'OK' when the file unlocked. */
async function outcome(
  pfx: Uint8Array,
  password: string,
  maxIterations?: number,
): Promise<P12FailureReason | 'OK'> {
  try {
    await unlockP12(pfx, password, maxIterations === undefined ? undefined : { maxIterations });
    return 'OK';
  } catch (e) {
    if (!(e instanceof P12Error)) throw e;
    expect(e.message).not.toContain(password || '\u0000never');
    return e.reason;
  }
}

const fixtureCert = (file: string): X509Certificate => new X509Certificate(readFileSync(join(p12Dir, file)));

async function expectSigns(u: UnlockedP12): Promise<void> {
  const data = Buffer.from('<ECF><Encabezado>prueba ñ</Encabezado></ECF>');
  if (u.keyType === 'rsa') {
    const sig = Buffer.from(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', u.privateKey, data));
    expect(crypto.verify('sha256', data, u.certificate.publicKey, sig)).toBe(true);
  } else {
    const sig = Buffer.from(
      await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, u.privateKey, data),
    );
    expect(
      crypto.verify('sha256', data, { key: u.certificate.publicKey, dsaEncoding: 'ieee-p1363' }, sig),
    ).toBe(true);
  }
}

function openssl(args: string[], input?: string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

// --- a small PFX builder (RFC 7292 §4), for shapes OpenSSL's CLI cannot write -------------------------

const A = asn1js;
const seqOf = (...value: asn1js.AsnType[]): asn1js.Sequence => new A.Sequence({ value });
const oidOf = (value: string): asn1js.ObjectIdentifier => new A.ObjectIdentifier({ value });
const octet = (b: Uint8Array): asn1js.OctetString => new A.OctetString({ valueHex: b });
const ctx0 = (inner: asn1js.AsnType): asn1js.Constructed =>
  new A.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [inner] });
const raw = (der: Uint8Array | ArrayBuffer): asn1js.AsnType =>
  A.fromBER(der, { parseEmbedded: false }).result;
const der = (node: asn1js.AsnType): Buffer => Buffer.from(node.toBER());
const uint = (n: number): asn1js.Integer => {
  const hex = n.toString(16).padStart(2, '0');
  const bytes = Buffer.from((hex.length % 2 ? '0' : '') + hex, 'hex');
  return new A.Integer({ valueHex: bytes[0] & 0x80 ? Buffer.concat([Buffer.alloc(1), bytes]) : bytes });
};

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shrouded: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509: '1.2.840.113549.1.9.22.1',
  sha256: '2.16.840.1.101.3.4.2.1',
};

type BagSpec = { keyBag: Buffer } | { shrouded: Buffer } | { cert: Buffer };

function bag(spec: BagSpec): asn1js.Sequence {
  if ('keyBag' in spec) return seqOf(oidOf(OIDS.keyBag), ctx0(raw(spec.keyBag)));
  if ('shrouded' in spec) return seqOf(oidOf(OIDS.shrouded), ctx0(raw(spec.shrouded)));
  return seqOf(oidOf(OIDS.certBag), ctx0(seqOf(oidOf(OIDS.x509), ctx0(octet(spec.cert)))));
}

/** MacData with SHA-256; `macPassword` is the already-encoded KDF password (BMP or empty). */
async function macData(authSafe: Buffer, macPassword: Buffer, iterations = 2048): Promise<asn1js.Sequence> {
  const salt = crypto.randomBytes(8);
  const key = await kdf.pkcs12Kdf('sha256', macPassword, salt, 3, iterations, 32);
  const digest = crypto.createHmac('sha256', key).update(authSafe).digest();
  return seqOf(seqOf(seqOf(oidOf(OIDS.sha256), new A.Null()), octet(digest)), octet(salt), uint(iterations));
}

/** One unencrypted SafeContents holding `bags`, MACed with the given password encoding. */
async function buildPfx(bags: BagSpec[], macPassword: Buffer): Promise<Buffer> {
  const safeContents = der(seqOf(...bags.map(bag)));
  const authSafe = der(seqOf(seqOf(oidOf(OIDS.data), ctx0(octet(safeContents)))));
  const mac = await macData(authSafe, macPassword);
  return der(seqOf(uint(3), seqOf(oidOf(OIDS.data), ctx0(octet(authSafe))), mac));
}

/** Re-encodes `pfx` with its MacData iteration INTEGER replaced (the MAC itself is left stale). */
function withMacIterations(pfx: Buffer, iterationsHex: string): Buffer {
  const [version, authSafe, mac] = (A.fromBER(pfx, { parseEmbedded: false }).result as asn1js.Sequence)
    .valueBlock.value;
  const [digestInfo, salt] = (mac as asn1js.Sequence).valueBlock.value;
  const iterations = new A.Integer({ valueHex: Buffer.from(iterationsHex, 'hex') });
  return der(
    seqOf(
      raw(version.toBER()),
      raw(authSafe.toBER()),
      seqOf(raw(digestInfo.toBER()), raw(salt.toBER()), iterations),
    ),
  );
}

const pkcs8Of = (keyFile: string): Buffer =>
  crypto.createPrivateKey(readFileSync(join(p12Dir, keyFile))).export({ type: 'pkcs8', format: 'der' });
const certDer = (file: string): Buffer => fixtureCert(file).raw;

// ---------------------------------------------------------------------------------------------------

const GOOD: { name: string; bits: number; leaf: string; chain: number }[] = [
  { name: 'rsa2048-modern', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-modern-chain', bits: 2048, leaf: 'r2048.pem', chain: 2 },
  { name: 'rsa2048-legacy', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-legacy-chain', bits: 2048, leaf: 'r2048.pem', chain: 2 },
  { name: 'rsa2048-3des', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-3des-chain', bits: 2048, leaf: 'r2048.pem', chain: 2 },
  { name: 'rsa2048-certs-unencrypted', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-iter100k', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-utf8subject-chain', bits: 2048, leaf: 'r2048b.pem', chain: 2 },
  { name: 'rsa4096-modern', bits: 4096, leaf: 'r4096.pem', chain: 0 },
  { name: 'rsa4096-legacy-chain', bits: 4096, leaf: 'r4096.pem', chain: 2 },
  { name: 'rsa2048-ber', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-modern-pw-enye', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-legacy-pw-enye', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'rsa2048-emptypw', bits: 2048, leaf: 'r2048.pem', chain: 0 },
  { name: 'expired', bits: 2048, leaf: 'old.pem', chain: 0 }, // expiry is the session layer's call
];

describe('unlockP12: generated fixture matrix (gen-test-p12.sh)', () => {
  it.each(GOOD)(
    '$name → RSA-$bits key that signs, leaf matched by public key',
    async ({ name, bits, leaf, chain }) => {
      const u = await unlockP12(p12(name), passwordFor(name));
      expect(u.keyType).toBe('rsa');
      expect(u.modulusLength).toBe(bits);
      expect(u.macChecked).toBe(true);
      expect(u.certificate.raw.equals(certDer(leaf))).toBe(true);
      if (name !== 'expired') expect(u.certificate.subject).toContain(CEDULA);
      expect(u.chain).toHaveLength(chain);
      if (chain) {
        const expected = [certDer('int.pem'), certDer('ca.pem')];
        expect(u.chain.map((c) => c.raw.toString('hex')).sort()).toEqual(
          expected.map((c) => c.toString('hex')).sort(),
        );
      }
      expect(u.privateKey.type).toBe('private');
      expect(u.privateKey.extractable).toBe(false);
      expect(u.privateKey.usages).toEqual(['sign']);
      expect(u.privateKey.algorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } });
      await expectSigns(u);
    },
  );

  it('keeps UTF-8 subjects intact', async () => {
    const u = await unlockP12(p12('rsa2048-utf8subject-chain'), P12_PASSWORD);
    expect(u.certificate.subject).toContain('CN=JOSÉ PÉREZ NÚÑEZ');
    expect(u.certificate.subject).toContain('O=DISTRIBUIDORA ÑAPA & CÍA SRL');
    expect(u.certificate.subject).toContain('serialNumber=IDCDO-40209547971');
  });

  it('ec256-modern-chain → keyType ec with an ECDSA P-256 key that signs', async () => {
    const u = await unlockP12(p12('ec256-modern-chain'), P12_PASSWORD);
    expect(u.keyType).toBe('ec');
    expect(u.modulusLength).toBeUndefined();
    expect(u.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(u.certificate.raw.equals(certDer('ec256.pem'))).toBe(true);
    expect(u.chain).toHaveLength(2);
    await expectSigns(u);
  });

  it('never lets the key out: exportKey is refused', async () => {
    const u = await unlockP12(p12('rsa2048-modern'), P12_PASSWORD);
    await expect(webcrypto.subtle.exportKey('pkcs8', u.privateKey)).rejects.toThrow();
    await expect(webcrypto.subtle.exportKey('jwk', u.privateKey)).rejects.toThrow();
  });

  it('zero-fills the decrypted PKCS#8 buffer after importing it', async () => {
    const spy = jest.spyOn(webcrypto.subtle, 'importKey');
    try {
      await unlockP12(p12('rsa2048-legacy'), P12_PASSWORD);
      expect(spy).toHaveBeenCalledTimes(1);
      const [format, keyData] = spy.mock.calls[0];
      expect(format).toBe('pkcs8');
      const bytes = Buffer.from(keyData as Uint8Array);
      expect(bytes.length).toBeGreaterThan(1000);
      expect(bytes.every((b) => b === 0)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it.each(GOOD.map((g) => g.name).concat('ec256-modern-chain', 'certonly'))(
    '%s with a wrong password → WRONG_PASSWORD',
    async (name) => {
      expect(await outcome(p12(name), 'Clave-Secreta.2025')).toBe('WRONG_PASSWORD');
    },
  );

  it.each([
    ['rsa2048-modern', ''],
    ['rsa2048-emptypw', P12_PASSWORD],
    ['rsa2048-modern-pw-enye', 'contrasena'],
    ['rsa2048-legacy-pw-enye', 'CONTRASEÑA'],
  ])('%s with password "%s" → WRONG_PASSWORD', async (name, password) => {
    expect(await outcome(p12(name), password)).toBe('WRONG_PASSWORD');
  });

  it.each(['truncated', 'truncated-1byte', 'random', 'pem-instead', 'empty'])(
    '%s → MALFORMED',
    async (name) => {
      expect(await outcome(p12(name), P12_PASSWORD)).toBe('MALFORMED');
    },
  );

  it('certonly → NO_PRIVATE_KEY', async () => {
    expect(await outcome(p12('certonly'), P12_PASSWORD)).toBe('NO_PRIVATE_KEY');
  });

  // The generator flips the middle byte of a freshly generated file, so where it lands (ciphertext,
  // an algorithm parameter, a length) varies per machine: any refusal is right, a key never is.
  it.each(['bitflip-content', 'bitflip-mac'])(
    '%s → refused with the right password, WRONG_PASSWORD with a wrong one',
    async (name) => {
      expect(['CORRUPTED', 'UNSUPPORTED', 'MALFORMED']).toContain(await outcome(p12(name), P12_PASSWORD));
      expect(['WRONG_PASSWORD', 'UNSUPPORTED', 'MALFORMED']).toContain(
        await outcome(p12(name), 'otra-clave'),
      );
    },
  );

  it('bitflip-mac (a flip inside the MAC value) → CORRUPTED with the right password', async () => {
    expect(await outcome(p12('bitflip-mac'), P12_PASSWORD)).toBe('CORRUPTED');
  });
});

describe('unlockP12: malformed and hostile input', () => {
  const modern = (): Buffer => Buffer.from(p12('rsa2048-modern'));

  it('rejects trailing bytes, oversize input and non-PKCS#12 ASN.1', async () => {
    expect(await outcome(Buffer.concat([modern(), Buffer.from([0])]), P12_PASSWORD)).toBe('MALFORMED');
    expect(await outcome(Buffer.concat([modern(), Buffer.alloc(1024 * 1024)]), P12_PASSWORD)).toBe(
      'MALFORMED',
    );
    expect(await outcome(certDer('r2048.pem'), P12_PASSWORD)).toBe('MALFORMED');
    expect(await outcome(Buffer.from('3000', 'hex'), P12_PASSWORD)).toBe('MALFORMED');
    expect(await outcome(Buffer.from('\uFEFF-----BEGIN PKCS12-----\n'), P12_PASSWORD)).toBe('MALFORMED');
    // a deeply nested indefinite-length bomb must fail cleanly, not overflow the stack
    expect(await outcome(Buffer.from('3080'.repeat(50_000)), P12_PASSWORD)).toBe('MALFORMED');
  });

  it('a bit flip in the certificate ciphertext → CORRUPTED', async () => {
    const b = modern();
    b[600] ^= 0x01; // inside the first EncryptedData (certificates) of a ~2.7 kB file
    expect(await outcome(b, P12_PASSWORD)).toBe('CORRUPTED');
  });

  it('never returns success for any single-bit flip in the authenticated part', async () => {
    const original = modern();
    for (let offset = 30; offset < original.length - 80; offset += 97) {
      const b = Buffer.from(original);
      b[offset] ^= 0x10;
      expect(['CORRUPTED', 'WRONG_PASSWORD', 'MALFORMED', 'UNSUPPORTED']).toContain(
        await outcome(b, P12_PASSWORD),
      );
    }
  });

  it('a file claiming 2^31 MAC iterations → UNSUPPORTED before any KDF work', async () => {
    const hostile = withMacIterations(modern(), '0080000000');
    const spy = jest.spyOn(kdf, 'pkcs12Kdf');
    try {
      expect(await outcome(hostile, P12_PASSWORD)).toBe('UNSUPPORTED');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await outcome(withMacIterations(modern(), '00'), P12_PASSWORD)).toBe('UNSUPPORTED');
    expect(await outcome(withMacIterations(modern(), 'ff'), P12_PASSWORD)).toBe('UNSUPPORTED');
    expect(await outcome(withMacIterations(modern(), '7fffffffffffffffffff'), P12_PASSWORD)).toBe(
      'UNSUPPORTED',
    );
  });

  it('checks the key-encryption iteration count before the MAC, and honours maxIterations', async () => {
    const b = modern();
    // PBKDF2-params of the shrouded key bag: "02 02 08 00" (2048) → "02 02 7f ff" (32767), same length
    const at = b.lastIndexOf(Buffer.from('0202080030', 'hex'), b.length - 80);
    expect(at).toBeGreaterThan(0);
    b.writeUInt16BE(0x7fff, at + 2);
    const spy = jest.spyOn(kdf, 'pkcs12Kdf');
    try {
      // Refused on the key bag's count, before the MAC's KDF runs.
      expect(await outcome(b, P12_PASSWORD, 10_000)).toBe('UNSUPPORTED');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(await outcome(modern(), P12_PASSWORD, 2047)).toBe('UNSUPPORTED');
    expect(await outcome(modern(), P12_PASSWORD, 2048)).toBe('OK');
  });

  it('rejects API misuse with TypeError/RangeError, not P12Error', async () => {
    await expect(unlockP12('abc' as unknown as Uint8Array, 'x')).rejects.toThrow(TypeError);
    await expect(unlockP12(modern(), 1 as unknown as string)).rejects.toThrow(TypeError);
    await expect(unlockP12(modern(), 'x', { maxIterations: 0 })).rejects.toThrow(RangeError);
  });
});

describe('unlockP12: shapes made at test time with openssl and a small builder', () => {
  let dir: string;
  const key = join(p12Dir, 'r2048.key');
  const cert = join(p12Dir, 'r2048.pem');
  const exportP12 = (out: string, pass: string, ...args: string[]): Buffer => {
    openssl([
      'pkcs12',
      '-export',
      '-inkey',
      key,
      '-in',
      cert,
      '-passout',
      `pass:${pass}`,
      '-out',
      join(dir, out),
      ...args,
    ]);
    return readFileSync(join(dir, out));
  };
  /** OpenSSL itself accepts the file with this password (an independent check of the builder). */
  const opensslAccepts = (file: Buffer, pass: string): boolean => {
    const path = join(dir, `check-${crypto.randomUUID()}.p12`);
    writeFileSync(path, file);
    try {
      openssl(['pkcs12', '-in', path, '-passin', `pass:${pass}`, '-noout', '-legacy']);
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'unlock-p12-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('cost caps (issue 7 §2): real counts open, over-cap counts are refused before any KDF work', () => {
    const refusal = async (file: Buffer, password = P12_PASSWORD): Promise<P12Error> => {
      const spy = jest.spyOn(kdf, 'pkcs12Kdf');
      try {
        const error = await unlockP12(file, password).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(P12Error);
        expect(spy).not.toHaveBeenCalled();
        return error as P12Error;
      } finally {
        spy.mockRestore();
      }
    };

    it(`PBKDF2 and MAC at ${MAX_PBKDF2_ITERATIONS} open; one more is UNSUPPORTED with a client-safe reason`, async () => {
      const atCap = exportP12('pbkdf2-cap.p12', P12_PASSWORD, '-iter', String(MAX_PBKDF2_ITERATIONS));
      expect(await outcome(atCap, P12_PASSWORD)).toBe('OK');
      const over = await refusal(
        exportP12('pbkdf2-over.p12', P12_PASSWORD, '-iter', String(MAX_PBKDF2_ITERATIONS + 1)),
      );
      expect(over.reason).toBe('UNSUPPORTED');
      expect(over.clientDetail).toContain(`${MAX_PBKDF2_ITERATIONS + 1} key-derivation iterations`);
    });

    it(`legacy PBE at ${MAX_PKCS12_PBE_ITERATIONS} opens; one more is UNSUPPORTED`, async () => {
      const n = MAX_PKCS12_PBE_ITERATIONS;
      expect(
        await outcome(exportP12('legacy-cap.p12', P12_PASSWORD, '-legacy', '-iter', String(n)), P12_PASSWORD),
      ).toBe('OK');
      const over = await refusal(
        exportP12('legacy-over.p12', P12_PASSWORD, '-legacy', '-iter', String(n + 1)),
      );
      expect(over.reason).toBe('UNSUPPORTED');
      expect(over.clientDetail).toContain('legacy PKCS#12 encryption');
    });

    it('a file whose counts are each under their cap but whose total work is not → UNSUPPORTED', async () => {
      // Non-ASCII password: two password forms, so a wrong password would run every KDF twice.
      const file = exportP12(
        'legacy-costly.p12',
        'contraseña',
        '-legacy',
        '-iter',
        String(MAX_PKCS12_PBE_ITERATIONS),
      );
      const error = await refusal(file, 'contraseña');
      expect(error.reason).toBe('UNSUPPORTED');
      expect(error.clientDetail).toContain('more CPU than one unlock may take');
      expect(MAX_KDF_WORK).toBeLessThan(2 * 6 * MAX_PKCS12_PBE_ITERATIONS);
    });
  });

  it('stops at the next yield once its AbortSignal fires, and says ABORTED', async () => {
    const file = exportP12('slow-legacy.p12', P12_PASSWORD, '-legacy', '-iter', '50000');
    const spy = jest.spyOn(kdf, 'pkcs12Kdf');
    try {
      // Unaborted, the file runs the KDF five times: MAC, RC2 key + IV, 3DES key + IV.
      expect(await outcome(file, P12_PASSWORD)).toBe('OK');
      expect(spy).toHaveBeenCalledTimes(5);
      spy.mockClear();
      const controller = new AbortController();
      const unlocking = unlockP12(file, P12_PASSWORD, { signal: controller.signal });
      setImmediate(() => controller.abort());
      await expect(unlocking).rejects.toMatchObject({ reason: 'ABORTED' });
      expect(spy).toHaveBeenCalledTimes(1); // the MAC's KDF, cut short
      spy.mockClear();
      await expect(unlockP12(file, P12_PASSWORD, { signal: AbortSignal.abort() })).rejects.toMatchObject({
        reason: 'ABORTED',
      });
    } finally {
      spy.mockRestore();
    }
  });

  it('-nomac → UNSUPPORTED', async () => {
    expect(await outcome(exportP12('nomac.p12', P12_PASSWORD, '-nomac'), P12_PASSWORD)).toBe('UNSUPPORTED');
  });

  it.each([
    ['AES-128-CBC', 'AES-192-CBC', 'sha1'],
    ['AES-192-CBC', 'AES-128-CBC', 'sha384'],
    ['AES-256-CBC', 'DES-EDE3-CBC', 'sha512'],
    ['PBE-SHA1-3DES', 'NONE', 'sha224'],
  ])('openssl -keypbe %s -certpbe %s -macalg %s → opens', async (keypbe, certpbe, macalg) => {
    const f = exportP12(
      `v-${keypbe}-${macalg}.p12`,
      P12_PASSWORD,
      '-keypbe',
      keypbe,
      '-certpbe',
      certpbe,
      '-macalg',
      macalg,
    );
    const u = await unlockP12(f, P12_PASSWORD);
    expect(u.certificate.subject).toContain(CEDULA);
    await expectSigns(u);
  });

  it.each([
    ['-v2', 'aes-128-cbc', 'hmacWithSHA1'],
    ['-v2', 'aes-192-cbc', 'hmacWithSHA256'],
    ['-v2', 'aes-256-cbc', 'hmacWithSHA384'],
    ['-v2', 'des3', 'hmacWithSHA512'],
    ['-v1', 'PBE-SHA1-RC2-128', ''],
    ['-v1', 'PBE-SHA1-RC2-40', ''],
    ['-v1', 'PBE-SHA1-2DES', ''],
    ['-v1', 'PBE-SHA1-3DES', ''],
  ])('shrouded key from `openssl pkcs8 %s %s %s` → opens', async (mode, cipher, prf) => {
    const args = [
      'pkcs8',
      '-topk8',
      '-in',
      key,
      mode,
      cipher,
      '-passout',
      `pass:${P12_PASSWORD}`,
      '-outform',
      'DER',
    ];
    if (prf) args.push('-v2prf', prf);
    args.push('-iter', '1000', '-provider', 'legacy', '-provider', 'default');
    const epki = openssl(args);
    const pfx = await buildPfx(
      [{ cert: certDer('r2048.pem') }, { shrouded: epki }],
      kdf.bmpPassword(P12_PASSWORD),
    );
    expect(opensslAccepts(pfx, P12_PASSWORD)).toBe(true);
    const u = await unlockP12(pfx, P12_PASSWORD);
    expect(u.certificate.subject).toContain(CEDULA);
    await expectSigns(u);
    expect(await outcome(pfx, 'Nope-123')).toBe('WRONG_PASSWORD');
  });

  it('opens a file whose MAC uses the zero-length ("NULL") empty-password form', async () => {
    const pfx = await buildPfx(
      [{ keyBag: pkcs8Of('r2048.key') }, { cert: certDer('r2048.pem') }],
      Buffer.alloc(0),
    );
    expect(opensslAccepts(pfx, '')).toBe(true);
    const u = await unlockP12(pfx, '');
    expect(u.keyType).toBe('rsa');
    await expectSigns(u);
  });

  it('opens a legacy file written by OpenSSL < 1.1 for a non-ASCII password (bytes widened to BMP)', async () => {
    // OpenSSL 3 encodes the password as real UTF-16; "contraseÃ±a" in UTF-16 is exactly the old
    // byte-widened form of "contraseña" (C3 B1 → 00 C3 00 B1).
    const f = exportP12('enye-old.p12', 'contrase\u00c3\u00b1a', '-legacy');
    const u = await unlockP12(f, 'contraseña');
    expect(u.certificate.subject).toContain(CEDULA);
    await expectSigns(u);
  });

  it('picks the leaf by public key, not by order; other certs become the chain', async () => {
    const pfx = await buildPfx(
      [
        { cert: certDer('ca.pem') },
        { cert: certDer('int.pem') },
        { keyBag: pkcs8Of('r2048.key') },
        { cert: certDer('r2048.pem') },
      ],
      kdf.bmpPassword(P12_PASSWORD),
    );
    const u = await unlockP12(pfx, P12_PASSWORD);
    expect(u.certificate.raw.equals(certDer('r2048.pem'))).toBe(true);
    expect(u.chain.map((c) => c.subject)).toEqual([
      fixtureCert('ca.pem').subject,
      fixtureCert('int.pem').subject,
    ]);
  });

  it('MULTIPLE_KEYS, NO_MATCHING_CERT and UNSUPPORTED key types', async () => {
    const pw = kdf.bmpPassword(P12_PASSWORD);
    const r2048 = pkcs8Of('r2048.key');
    const twoKeys = await buildPfx(
      [{ keyBag: r2048 }, { keyBag: pkcs8Of('r4096.key') }, { cert: certDer('r2048.pem') }],
      pw,
    );
    expect(await outcome(twoKeys, P12_PASSWORD)).toBe('MULTIPLE_KEYS');
    const mismatch = await buildPfx([{ keyBag: r2048 }, { cert: certDer('r4096.pem') }], pw);
    expect(await outcome(mismatch, P12_PASSWORD)).toBe('NO_MATCHING_CERT');
    const noCert = await buildPfx([{ keyBag: r2048 }], pw);
    expect(await outcome(noCert, P12_PASSWORD)).toBe('NO_MATCHING_CERT');
    const ed = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });
    const edFile = await buildPfx([{ keyBag: ed }, { cert: certDer('r2048.pem') }], pw);
    expect(await outcome(edFile, P12_PASSWORD)).toBe('UNSUPPORTED');
    const garbageKey = await buildPfx(
      [{ keyBag: der(seqOf(uint(0), seqOf(oidOf('1.2.3')), octet(Buffer.from('x')))) }],
      pw,
    );
    expect(await outcome(garbageKey, P12_PASSWORD)).toBe('MALFORMED');
  });
});

describe('unlockP12: event loop', () => {
  // Counted, not timed (no timed unit tests): an interleaved setImmediate chain gets one turn
  // per yield of the KDF, so a loop that stopped yielding shows as too few turns.
  it('gives the event loop a turn at least every YIELD_EVERY hashes of the PKCS#12 KDF', async () => {
    const iterations = 100_000;
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      if (!spinning) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    try {
      const key = await kdf.pkcs12Kdf(
        'sha256',
        Buffer.from([0, 0x61, 0, 0]),
        Buffer.alloc(8, 1),
        3,
        iterations,
        32,
      );
      expect(key).toHaveLength(32);
    } finally {
      spinning = false;
    }
    expect(turns).toBeGreaterThanOrEqual(Math.floor((iterations - 1) / kdf.YIELD_EVERY));
  });

  it('still unlocks rsa2048-iter100k (100,000 iterations) while yielding', async () => {
    expect((await unlockP12(p12('rsa2048-iter100k'), P12_PASSWORD)).keyType).toBe('rsa');
  });
});
