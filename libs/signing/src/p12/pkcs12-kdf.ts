/**
 * The PKCS#12 password-based key derivation (RFC 7292 Appendix B.2), used for the integrity MAC and for
 * the pbeWithSHAAnd* ciphers (Appendix C). It is a plain iterated hash, so unlike PBKDF2 there is no
 * libuv-pool version in Node; the loop yields to the event loop every {@link YIELD_EVERY} hashes so a
 * file with a large iteration count cannot stall other requests, and checks an optional AbortSignal at
 * each yield so abandoned work stops.
 */
import * as crypto from 'node:crypto';

export type Pkcs12Hash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** u = output bytes, v = block bytes of the hash (RFC 7292 B.2). */
const HASH_SIZES: Record<Pkcs12Hash, { u: number; v: number }> = {
  sha1: { u: 20, v: 64 },
  sha224: { u: 28, v: 64 },
  sha256: { u: 32, v: 64 },
  sha384: { u: 48, v: 128 },
  sha512: { u: 64, v: 128 },
};

export function hashOutputLength(hash: Pkcs12Hash): number {
  return HASH_SIZES[hash].u;
}

/** Diversifier ID byte (RFC 7292 B.3): what the derived bytes are for. */
export const KDF_ID = { key: 1, iv: 2, mac: 3 } as const;
export type KdfId = (typeof KDF_ID)[keyof typeof KDF_ID];

/** ~2,000 hashes take ~1.5 ms; yielding that often keeps event-loop gaps far below 50 ms. */
export const YIELD_EVERY = 2000;

// crypto.hash (Node ≥ 20.12) skips the Hash object per call: ~0.7 µs vs ~1.25 µs per iteration.
const oneShot: (alg: string, data: Buffer) => Buffer =
  typeof crypto.hash === 'function'
    ? (alg, data) => crypto.hash(alg, data, 'buffer')
    : (alg, data) => crypto.createHash(alg).update(data).digest();

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `src` repeated to fill exactly `length` bytes (empty when src is empty). */
function repeatTo(src: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += src.length) out.set(src.subarray(0, Math.min(src.length, length - i)), i);
  return out;
}

/**
 * RFC 7292 B.2. `password` is the already-encoded password: BMPString (UTF-16BE) with its two-byte
 * NUL terminator, or zero bytes for the "absent password" form OpenSSL also accepts.
 */
export async function pkcs12Kdf(
  hash: Pkcs12Hash,
  password: Uint8Array,
  salt: Uint8Array,
  id: KdfId,
  iterations: number,
  length: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw new RangeError('PKCS#12 KDF: bad iteration count');
  }
  if (!Number.isSafeInteger(length) || length < 1) throw new RangeError('PKCS#12 KDF: bad output length');
  const { u, v } = HASH_SIZES[hash];
  const d = Buffer.alloc(v, id);
  const s = repeatTo(salt, v * Math.ceil(salt.length / v));
  const p = repeatTo(password, v * Math.ceil(password.length / v));
  const dI = Buffer.concat([d, s, p]); // D || I, with I = S || P updated in place below
  s.fill(0);
  p.fill(0);
  const blocks = Math.ceil(length / u);
  const out = Buffer.alloc(blocks * u);
  let sinceYield = 0;
  try {
    for (let i = 0; i < blocks; i++) {
      let a = oneShot(hash, dI);
      for (let r = 1; r < iterations; r++) {
        const next = oneShot(hash, a);
        a.fill(0);
        a = next;
        if (++sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await nextTick();
          // The caller gave up (client disconnected): stop burning CPU for nobody.
          signal?.throwIfAborted();
        }
      }
      a.copy(out, i * u);
      if (i + 1 < blocks) {
        // B.2 step 6C: I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I, B = A repeated.
        const b = repeatTo(a, v);
        for (let j = v; j < dI.length; j += v) {
          let carry = 1;
          for (let k = v - 1; k >= 0; k--) {
            const sum = dI[j + k] + b[k] + carry;
            dI[j + k] = sum & 0xff;
            carry = sum >>> 8;
          }
        }
        b.fill(0);
      }
      a.fill(0);
    }
    return Buffer.from(out.subarray(0, length));
  } finally {
    dI.fill(0);
    out.fill(0);
  }
}

/** BMPString form of RFC 7292 B.1: UTF-16BE code units plus a 00 00 terminator. */
export function bmpPassword(password: string): Buffer {
  const le = Buffer.from(password, 'utf16le');
  const out = Buffer.alloc(le.length + 2);
  for (let i = 0; i < le.length; i += 2) {
    out[i] = le[i + 1];
    out[i + 1] = le[i];
  }
  le.fill(0);
  return out;
}

/**
 * OpenSSL 1.x "bytes as chars" form: each UTF-8 byte widened to one 16-bit unit, as
 * `PKCS12_key_gen_asc` did for non-ASCII passwords before OpenSSL 1.1.0 switched to real UTF-8.
 */
export function bmpPasswordFromUtf8Bytes(utf8: Uint8Array): Buffer {
  const out = Buffer.alloc(utf8.length * 2 + 2);
  for (let i = 0; i < utf8.length; i++) out[2 * i + 1] = utf8[i];
  return out;
}
