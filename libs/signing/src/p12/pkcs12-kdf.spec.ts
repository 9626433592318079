import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { KdfId, Pkcs12Hash, bmpPassword, bmpPasswordFromUtf8Bytes, pkcs12Kdf } from './pkcs12-kdf';

const bmpHex = (s: string): string => bmpPassword(s).toString('hex');

/**
 * Expected outputs computed with OpenSSL 3.0 (its PKCS12KDF takes the already-encoded password), e.g.
 *   openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexpass:<BMP hex> \
 *     -kdfopt hexsalt:e61dac671a1c6351 -kdfopt iter:2048 -kdfopt id:3 PKCS12KDF
 * The first row is also the long-standing "smeg" vector used by OpenSSL's and BouncyCastle's tests.
 */
const VECTORS: { hash: Pkcs12Hash; pass: string; salt: string; iter: number; id: KdfId; out: string }[] = [
  {
    hash: 'sha1',
    pass: bmpHex('smeg'),
    salt: '0a58cf64530d823f',
    iter: 1,
    id: 1,
    out: '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3',
  },
  {
    hash: 'sha256',
    pass: bmpHex('Clave-Secreta.2024'),
    salt: 'e61dac671a1c6351',
    iter: 2048,
    id: 3,
    out: 'c09edbd4a236e54735221f3d06601481eb08ef02eda89ecaa73270967fa54a1f',
  },
  {
    // 100 bytes from SHA-512 (v = 128): exercises the B.2 step 6C update of I between blocks
    hash: 'sha512',
    pass: bmpHex('contraseña'),
    salt: '00112233445566778899aabbccddeeff',
    iter: 1000,
    id: 1,
    out:
      '71076e13efdf5e4259f4943e2e20c3c58f0592556286025f94fa4d84108fe1f93168d8b8caa9ce78198edc83c807f7d7f23e3291d636' +
      '1e77aa521b88d9ec34091f50a4b522b384c5421b0599cd16316919b402db01cb255912f5e0f4ea2d897f249f1c9f',
  },
  {
    // more iterations than YIELD_EVERY and two output blocks: the yielding path
    hash: 'sha1',
    pass: bmpHex('contraseña'),
    salt: '0102030405060708',
    iter: 2500,
    id: 2,
    out: 'b64ceef584bbce6cc87c581cd407132e01e9e5f11cb2c44b',
  },
  // the zero-length ("NULL") password form and the empty BMPString (just the terminator)
  {
    hash: 'sha1',
    pass: '',
    salt: '0102030405060708',
    iter: 2048,
    id: 3,
    out: '02a96a93d81846d839232c0a09e94b1102a70d9e',
  },
  {
    hash: 'sha384',
    pass: '0000',
    salt: '0102030405060708',
    iter: 3,
    id: 3,
    out: '074e895c6634093a2fd80ffcc13722cdbedcb8d21f3f0af93d267961839208f612ee0d08529700a86ec2fa9744de8d0f',
  },
  {
    hash: 'sha224',
    pass: bmpHex('x'),
    salt: '01',
    iter: 7,
    id: 1,
    out: '64b1ed16aa14bc69e419c49f41a37eae9768d7790c53b1dde4cd6387',
  },
];

function opensslKdf(
  hash: Pkcs12Hash,
  pass: Buffer,
  salt: Buffer,
  iter: number,
  id: number,
  len: number,
): string | null {
  try {
    const out = execFileSync(
      'openssl',
      [
        'kdf',
        '-keylen',
        String(len),
        '-kdfopt',
        `digest:${hash.toUpperCase()}`,
        '-kdfopt',
        `hexpass:${pass.toString('hex')}`,
        '-kdfopt',
        `hexsalt:${salt.toString('hex')}`,
        '-kdfopt',
        `iter:${iter}`,
        '-kdfopt',
        `id:${id}`,
        'PKCS12KDF',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return out.toString().replace(/[:\s]/g, '').toLowerCase();
  } catch {
    return null;
  }
}

describe('PKCS#12 KDF (RFC 7292 App. B.2)', () => {
  it.each(VECTORS)(
    'matches OpenSSL: $hash, iter $iter, id $id',
    async ({ hash, pass, salt, iter, id, out }) => {
      const expected = out.replace(/\s/g, '');
      const got = await pkcs12Kdf(
        hash,
        Buffer.from(pass, 'hex'),
        Buffer.from(salt, 'hex'),
        id,
        iter,
        expected.length / 2,
      );
      expect(got.toString('hex')).toBe(expected);
    },
  );

  it('rejects nonsense iteration counts and lengths', async () => {
    await expect(pkcs12Kdf('sha1', Buffer.alloc(2), Buffer.alloc(8), 1, 0, 20)).rejects.toThrow(RangeError);
    await expect(pkcs12Kdf('sha1', Buffer.alloc(2), Buffer.alloc(8), 1, 1, 0)).rejects.toThrow(RangeError);
  });

  it('encodes passwords as BMPString + terminator, and in the OpenSSL pre-1.1 byte-widened form', () => {
    expect(bmpPassword('').toString('hex')).toBe('0000');
    expect(bmpPassword('ñ').toString('hex')).toBe('00f10000');
    expect(bmpPassword('😀').toString('hex')).toBe('d83dde000000'); // UTF-16 surrogate pair
    expect(bmpPasswordFromUtf8Bytes(Buffer.from('ñ', 'utf8')).toString('hex')).toBe('00c300b10000');
  });

  const haveOpensslKdf = opensslKdf('sha1', Buffer.alloc(2), Buffer.alloc(8), 1, 1, 8) !== null;
  (haveOpensslKdf ? it : it.skip)('agrees with `openssl kdf PKCS12KDF` on random inputs', async () => {
    const hashes: Pkcs12Hash[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
    for (let i = 0; i < 10; i++) {
      const hash = hashes[i % hashes.length];
      const pass = randomBytes((i * 7) % 150);
      const salt = randomBytes(1 + ((i * 13) % 140));
      const id = ((i % 3) + 1) as KdfId;
      const len = 1 + ((i * 29) % 130);
      const iter = 1 + ((i * 97) % 300);
      const got = await pkcs12Kdf(hash, pass, salt, id, iter, len);
      expect(got.toString('hex')).toBe(opensslKdf(hash, pass, salt, iter, id, len));
    }
  });
});
