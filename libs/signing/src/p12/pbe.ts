/**
 * Password-based encryption schemes found inside PKCS#12 files: PBES2 (RFC 8018 §6.2, what OpenSSL 3
 * writes by default) and the PKCS#12 v1 pbeWithSHAAnd* schemes (RFC 7292 App. C, "-legacy" and
 * Windows exports). Parsing is separated from decryption so every iteration count in the file can be
 * checked before any key-derivation work starts.
 */
import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
import { AlgorithmId, AsnNode, AsnShapeError, algorithmId, octets, seq, smallUint } from './der';
import { KDF_ID, Pkcs12Hash, hashOutputLength, pkcs12Kdf } from './pkcs12-kdf';
import { rc2CbcDecrypt, Rc2PaddingError } from './rc2';

const pbkdf2 = promisify(crypto.pbkdf2);

/** An algorithm or option this reader deliberately does not implement. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedError';
  }
}

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbmac1: '1.2.840.113549.1.5.14',
} as const;

/** Digest OIDs accepted in MacData (RFC 7292 §4; SHA-2 per RFC 8018 App. B.1 / NIST). */
export const DIGEST_OIDS: Record<string, Pkcs12Hash> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** PBKDF2 PRFs, RFC 8018 App. B.1. */
const PRF_OIDS: Record<string, Pkcs12Hash> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

type NodeCipher = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';

/** PBES2 encryption schemes, RFC 8018 App. B.2 (AES per RFC 3565 / NIST OIDs). */
const PBES2_CIPHERS: Record<string, { cipher: NodeCipher; keyLength: number; ivLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { cipher: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  '2.16.840.1.101.3.4.1.22': { cipher: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  '2.16.840.1.101.3.4.1.42': { cipher: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  '1.2.840.113549.3.7': { cipher: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
};

type Pkcs12Cipher = 'rc2-40' | 'rc2-128' | '3des' | '2des';

/** Every pkcs-12PbeId block cipher here (RC2, DES) has an 8-byte IV (RFC 7292 App. C). */
const PKCS12_PBE_IV_LENGTH = 8;

/**
 * One native PBKDF2 iteration block costs about a quarter of one JS-driven PKCS#12 KDF hash
 * (measured on Node 20: 200k × SHA-256 PBKDF2 ≈ 40 ms, 200k × SHA-1 KDF loop ≈ 170–300 ms).
 */
const PBKDF2_WEIGHT = 0.25;
const SHA1_BYTES = hashOutputLength('sha1');

/**
 * Upper bound of the KDF work (in PKCS#12-KDF hash units) that decrypting with one password form
 * costs: every output block is a full run of `iterations` hashes (RFC 7292 B.2 step 6, RFC 8018 §5.2).
 */
export function pbeWork(scheme: PbeScheme): number {
  if (scheme.kind === 'pbes2') {
    return Math.ceil(scheme.keyLength / hashOutputLength(scheme.prf)) * scheme.iterations * PBKDF2_WEIGHT;
  }
  const blocks = Math.ceil(scheme.keyLength / SHA1_BYTES) + Math.ceil(PKCS12_PBE_IV_LENGTH / SHA1_BYTES);
  return blocks * scheme.iterations;
}

/** RFC 7292 App. C: pkcs-12PbeIds that use a block cipher (the RC4 ones are not supported). */
const PKCS12_PBE: Record<string, { cipher: Pkcs12Cipher; keyLength: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: '3des', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: '2des', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2-128', keyLength: 16 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2-40', keyLength: 5 },
};

export type PbeScheme =
  | { kind: 'pkcs12'; cipher: Pkcs12Cipher; keyLength: number; salt: Buffer; iterations: number }
  | {
      kind: 'pbes2';
      prf: Pkcs12Hash;
      salt: Buffer;
      iterations: number;
      cipher: NodeCipher;
      keyLength: number;
      iv: Buffer;
    };

/** Password encodings to try, in order (see unlock-p12.ts `passwordForms`). */
export interface PasswordForm {
  /** For the PKCS#12 KDF: BMPString + 00 00, or empty for the "absent password" form. */
  bmp: Buffer;
  /** For PBKDF2: the password's UTF-8 bytes (RFC 8018 leaves the encoding open; OpenSSL uses these). */
  utf8: Buffer;
}

export function parsePbe(alg: AlgorithmId, what: string): PbeScheme {
  const legacy = PKCS12_PBE[alg.oid];
  if (legacy) {
    // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 App. C)
    const [salt, iter] = seq(alg.params, `${what} pkcs-12PbeParams`, 2, 2);
    return {
      kind: 'pkcs12',
      ...legacy,
      salt: octets(salt, `${what} salt`),
      iterations: smallUint(iter, what),
    };
  }
  if (alg.oid === OID.pbes2) return parsePbes2(alg.params, what);
  throw new UnsupportedError(`${what}: encryption algorithm ${alg.oid} is not supported`);
}

/** PBES2-params (RFC 8018 App. A.4) with PBKDF2-params (App. A.2). */
function parsePbes2(params: AsnNode | undefined, what: string): PbeScheme {
  const [kdfNode, encNode] = seq(params, `${what} PBES2-params`, 2, 2);
  const kdf = algorithmId(kdfNode, `${what} keyDerivationFunc`);
  if (kdf.oid !== OID.pbkdf2) {
    throw new UnsupportedError(`${what}: key derivation ${kdf.oid} is not supported`);
  }
  const [saltNode, iterNode, ...rest] = seq(kdf.params, `${what} PBKDF2-params`, 2, 4);
  if (saltNode?.idBlock.tagNumber === 16) throw new UnsupportedError(`${what}: PBKDF2 otherSource salt`);
  const salt = octets(saltNode, `${what} PBKDF2 salt`);
  const iterations = smallUint(iterNode, `${what} PBKDF2 iterationCount`);
  let keyLength: number | undefined;
  let prf: Pkcs12Hash = 'sha1'; // DEFAULT algid-hmacWithSHA1
  for (const item of rest) {
    if (item.idBlock.tagNumber === 2 && keyLength === undefined) {
      keyLength = smallUint(item, `${what} PBKDF2 keyLength`);
    } else {
      const prfAlg = algorithmId(item, `${what} PBKDF2 prf`);
      const hash = PRF_OIDS[prfAlg.oid];
      if (!hash) throw new UnsupportedError(`${what}: PBKDF2 PRF ${prfAlg.oid} is not supported`);
      prf = hash;
    }
  }
  const enc = algorithmId(encNode, `${what} encryptionScheme`);
  const cipher = PBES2_CIPHERS[enc.oid];
  if (!cipher) throw new UnsupportedError(`${what}: PBES2 cipher ${enc.oid} is not supported`);
  const iv = octets(enc.params, `${what} IV`);
  if (iv.length !== cipher.ivLength) throw new AsnShapeError(`${what}: IV has the wrong length`);
  if (keyLength !== undefined && keyLength !== cipher.keyLength) {
    throw new AsnShapeError(`${what}: PBKDF2 keyLength does not match the cipher`);
  }
  return { kind: 'pbes2', prf, salt, iterations, cipher: cipher.cipher, keyLength: cipher.keyLength, iv };
}

function nodeDecrypt(cipher: NodeCipher, key: Buffer, iv: Buffer, data: Uint8Array): Buffer | null {
  const decipher = crypto.createDecipheriv(cipher, key, iv);
  const head = decipher.update(data);
  try {
    const tail = decipher.final();
    const out = Buffer.concat([head, tail]);
    tail.fill(0);
    return out;
  } catch {
    return null; // bad padding: wrong password or damaged ciphertext
  } finally {
    head.fill(0);
  }
}

/** 2-key triple DES is EDE with K3 = K1 (RFC 7292 App. C, pbeWithSHAAnd2-KeyTripleDES-CBC). */
function expand2KeyDes(key: Buffer): Buffer {
  return Buffer.concat([key, key.subarray(0, 8)]);
}

/**
 * Decrypts `data` with one password form. Returns null when the padding check fails (the usual sign
 * of a wrong password); the caller owns and must wipe the returned plaintext.
 */
export async function pbeDecrypt(
  scheme: PbeScheme,
  form: PasswordForm,
  data: Uint8Array,
  signal?: AbortSignal,
): Promise<Buffer | null> {
  if (data.length === 0) return null;
  signal?.throwIfAborted();
  if (scheme.kind === 'pbes2') {
    // PBKDF2 runs on the libuv pool and cannot be interrupted; the signal is checked around it.
    const key = await pbkdf2(form.utf8, scheme.salt, scheme.iterations, scheme.keyLength, scheme.prf);
    try {
      signal?.throwIfAborted();
      return nodeDecrypt(scheme.cipher, key, scheme.iv, data);
    } finally {
      key.fill(0);
    }
  }
  // RFC 7292 B.2 with SHA-1: ID 1 gives the key, ID 2 the IV (App. C)
  const { salt, iterations, keyLength } = scheme;
  const key = await pkcs12Kdf('sha1', form.bmp, salt, KDF_ID.key, iterations, keyLength, signal);
  let iv: Buffer;
  try {
    iv = await pkcs12Kdf('sha1', form.bmp, salt, KDF_ID.iv, iterations, PKCS12_PBE_IV_LENGTH, signal);
  } catch (e) {
    key.fill(0);
    throw e;
  }
  try {
    switch (scheme.cipher) {
      case 'rc2-40':
      case 'rc2-128':
        try {
          return rc2CbcDecrypt(key, scheme.keyLength * 8, iv, data);
        } catch (e) {
          if (e instanceof Rc2PaddingError) return null;
          throw e;
        }
      case '3des':
        return nodeDecrypt('des-ede3-cbc', key, iv, data);
      case '2des': {
        const k3 = expand2KeyDes(key);
        try {
          return nodeDecrypt('des-ede3-cbc', k3, iv, data);
        } finally {
          k3.fill(0);
        }
      }
    }
  } finally {
    key.fill(0);
    iv.fill(0);
  }
}
