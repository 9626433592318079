import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  rc2CbcDecrypt,
  rc2CbcEncrypt,
  rc2DecryptBlock,
  rc2EncryptBlock,
  rc2ExpandKey,
  Rc2PaddingError,
} from './rc2';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** RFC 2268 §5 test vectors: effective key bits, key, plaintext, ciphertext. */
const RFC2268_VECTORS: [number, string, string, string][] = [
  [63, '0000000000000000', '0000000000000000', 'ebb773f993278eff'],
  [64, 'ffffffffffffffff', 'ffffffffffffffff', '278b27e42e2f0d49'],
  [64, '3000000000000000', '1000000000000001', '30649edf9be7d2c2'],
  [64, '88', '0000000000000000', '61a8a244adacccf0'],
  [64, '88bca90e90875a', '0000000000000000', '6ccf4308974c267f'],
  [64, '88bca90e90875a7f0f79c384627bafb2', '0000000000000000', '1a807d272bbe5db1'],
  [128, '88bca90e90875a7f0f79c384627bafb2', '0000000000000000', '2269552ab0f85ca6'],
  [
    129,
    '88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e',
    '0000000000000000',
    '5b78d3a43dfff1f1',
  ],
];

/** `openssl enc` needs the legacy provider for RC2 under OpenSSL 3; skip the cross-check without it. */
function opensslRc2(cipher: 'rc2-40-cbc' | 'rc2-cbc', key: Buffer, iv: Buffer, data: Buffer): Buffer | null {
  try {
    return execFileSync(
      'openssl',
      [
        'enc',
        `-${cipher}`,
        '-K',
        key.toString('hex'),
        '-iv',
        iv.toString('hex'),
        '-provider',
        'legacy',
        '-provider',
        'default',
      ],
      { input: data, stdio: ['pipe', 'pipe', 'ignore'] },
    );
  } catch {
    return null;
  }
}

describe('RC2 (RFC 2268)', () => {
  it.each(RFC2268_VECTORS)('matches the RFC 2268 §5 vector (T1=%i, key %s)', (bits, key, pt, ct) => {
    const k = rc2ExpandKey(hex(key), bits);
    const block = hex(pt);
    rc2EncryptBlock(k, block, 0);
    expect(block.toString('hex')).toBe(ct);
    rc2DecryptBlock(k, block, 0);
    expect(block.toString('hex')).toBe(pt);
  });

  it('round-trips CBC with PKCS#7 padding for every length 0..40', () => {
    const key = randomBytes(5);
    const iv = randomBytes(8);
    for (let n = 0; n <= 40; n++) {
      const data = randomBytes(n);
      const ct = rc2CbcEncrypt(key, 40, iv, data);
      expect(ct.length).toBe((Math.floor(n / 8) + 1) * 8);
      expect(rc2CbcDecrypt(key, 40, iv, ct).equals(data)).toBe(true);
    }
  });

  it('rejects bad padding and bad lengths', () => {
    const key = randomBytes(5);
    const iv = randomBytes(8);
    const ct = rc2CbcEncrypt(key, 40, iv, Buffer.from('hello world'));
    expect(() => rc2CbcDecrypt(key, 40, iv, ct.subarray(0, 7))).toThrow(Rc2PaddingError);
    expect(() => rc2CbcDecrypt(key, 40, iv, Buffer.alloc(0))).toThrow(Rc2PaddingError);
    // A different key yields garbage; ensure the padding check is what catches it (almost always).
    let caught = 0;
    for (let i = 0; i < 50; i++) {
      try {
        rc2CbcDecrypt(randomBytes(5), 40, iv, ct);
      } catch (e) {
        if (e instanceof Rc2PaddingError) caught++;
      }
    }
    expect(caught).toBeGreaterThan(40);
  });

  it('rejects out-of-range keys and IVs', () => {
    expect(() => rc2ExpandKey(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => rc2ExpandKey(Buffer.alloc(129))).toThrow(RangeError);
    expect(() => rc2CbcDecrypt(Buffer.alloc(5), 40, Buffer.alloc(7), Buffer.alloc(8))).toThrow(RangeError);
  });

  const haveOpenssl = opensslRc2('rc2-40-cbc', Buffer.alloc(5), Buffer.alloc(8), Buffer.alloc(1)) !== null;
  (haveOpenssl ? it : it.skip)(
    'agrees with `openssl enc -rc2-40-cbc` and `-rc2-cbc` on random vectors',
    () => {
      for (let i = 0; i < 40; i++) {
        const iv = randomBytes(8);
        const data = randomBytes(1 + ((i * 37) % 200));
        const key40 = randomBytes(5);
        const ref40 = opensslRc2('rc2-40-cbc', key40, iv, data);
        expect(rc2CbcEncrypt(key40, 40, iv, data).equals(ref40 as Buffer)).toBe(true);
        expect(rc2CbcDecrypt(key40, 40, iv, ref40 as Buffer).equals(data)).toBe(true);
        const key128 = randomBytes(16);
        const ref128 = opensslRc2('rc2-cbc', key128, iv, data);
        expect(rc2CbcEncrypt(key128, 128, iv, data).equals(ref128 as Buffer)).toBe(true);
        expect(rc2CbcDecrypt(key128, 128, iv, ref128 as Buffer).equals(data)).toBe(true);
      }
    },
  );
});
