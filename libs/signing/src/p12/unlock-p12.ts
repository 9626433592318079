/**
 * Native PKCS#12 (.p12/.pfx) reader: asn1js for BER/DER, node:crypto for everything else.
 *
 * Why not a library: pkijs cannot open the legacy RC2/3DES files most CAs and Windows still produce,
 * node-forge mishandles non-ASCII passwords on PBES2 files and keeps keys in the JS heap, and Node's
 * own crypto cannot read a PFX key at all (crypto-lab §1).
 *
 * Order of work, chosen so hostile input is cheap to reject:
 *   1. envelope checks (size, PEM, empty) and a full structural parse  → MALFORMED / UNSUPPORTED
 *   2. every visible iteration count within its cap, and the whole file's KDF work within
 *      MAX_KDF_WORK (about a second of CPU)                            → UNSUPPORTED, before any KDF
 *   3. MAC check (RFC 7292 §5.1 / App. B)                              → on failure, tell a wrong
 *      password from a damaged file by test-decrypting, never returning a key
 *   4. decrypt, pick the leaf by public key, import into WebCrypto as non-extractable.
 */
import * as crypto from 'node:crypto';
import { X509Certificate, webcrypto } from 'node:crypto';
import {
  AsnNode,
  AsnShapeError,
  algorithmId,
  encodingOf,
  explicit,
  implicitOctets,
  isSet,
  octets,
  oid,
  parseAsn1,
  seq,
  smallUint,
} from './der';
import {
  DIGEST_OIDS,
  OID,
  PasswordForm,
  PbeScheme,
  UnsupportedError,
  parsePbe,
  pbeDecrypt,
  pbeWork,
} from './pbe';
import {
  KDF_ID,
  Pkcs12Hash,
  bmpPassword,
  bmpPasswordFromUtf8Bytes,
  hashOutputLength,
  pkcs12Kdf,
} from './pkcs12-kdf';

export interface UnlockedP12 {
  /** Non-extractable WebCrypto key, usages ['sign']. */
  privateKey: webcrypto.CryptoKey;
  keyType: 'rsa' | 'ec';
  /** RSA modulus size in bits (RSA keys only). */
  modulusLength?: number;
  /** The certificate whose public key matches the private key (compared as SPKI DER). */
  certificate: X509Certificate;
  /** Every other certificate in the file, in file order. */
  chain: X509Certificate[];
  /** Always true: files without a MAC are refused. */
  macChecked: boolean;
  /**
   * A copy of the private key as PKCS#8 DER, only when `keepPkcs8` was asked for (a shared session
   * store encrypts it under the bearer token, issue 13 §1). The caller must `fill(0)` it when done.
   */
  pkcs8?: Buffer;
}

export type P12FailureReason =
  | 'MALFORMED'
  | 'WRONG_PASSWORD'
  | 'CORRUPTED'
  | 'UNSUPPORTED'
  | 'NO_PRIVATE_KEY'
  | 'MULTIPLE_KEYS'
  | 'NO_MATCHING_CERT'
  /** The caller's AbortSignal fired (the client went away); the KDF work stopped. */
  | 'ABORTED';

/** Why a file could not be unlocked. Messages never contain password or key bytes. */
export class P12Error extends Error {
  constructor(
    readonly reason: P12FailureReason,
    message: string,
    /** A sentence safe to show the file's owner (no key or password material), when there is one. */
    readonly clientDetail?: string,
  ) {
    super(message);
    this.name = 'P12Error';
  }
}

export interface UnlockP12Options {
  /** When set, the largest accepted iteration count for every KDF in the file, instead of the per-KDF caps. */
  maxIterations?: number;
  /** Aborting stops the KDF loops at their next yield; the unlock then fails with reason ABORTED. */
  signal?: AbortSignal;
  /** Also return a copy of the PKCS#8 DER (`UnlockedP12.pkcs8`), for a store that persists it encrypted. */
  keepPkcs8?: boolean;
}

export const MAX_P12_BYTES = 1024 * 1024;
/**
 * Iteration caps, far above what real files use yet low enough that no open costs more than about a
 * second of CPU (bench:unlock). Real files: OpenSSL 2048 (`-iter` sets MAC and PBKDF2 alike),
 * Windows 2000, Java keytool 10,000 (older JDKs: 50,000 legacy PBE, 100,000 MAC).
 * Measured on the shared 2-core machine under load: 1 unit of MAX_KDF_WORK ≈ 2 µs of CPU, so the
 * costliest accepted file (500,000 units) ≈ 1 s of CPU.
 */
export const MAX_PBKDF2_ITERATIONS = 200_000;
/** The MAC runs the PKCS#12 KDF once per password form, one block: as cheap per count as PBKDF2 here. */
export const MAX_MAC_ITERATIONS = 200_000;
/** Legacy pbeWithSHAAnd* runs the JS-driven PKCS#12 KDF 2–3 times per part (key + IV blocks). */
export const MAX_PKCS12_PBE_ITERATIONS = 50_000;
/**
 * Total KDF work a file may demand, in PKCS#12-KDF hash units (0.7–2 µs each on Node 20), counting every
 * password form the reader may try. Bounds files with many parts or costly combinations of counts.
 */
export const MAX_KDF_WORK = 500_000;
/** Real files have two (certs + key); the cap bounds KDF work a hostile file can demand. */
const MAX_ENCRYPTED_PARTS = 8;
/** safeContentsBag may nest SafeContents (RFC 7292 §4.2.6); nobody nests deeply. */
const MAX_BAG_NESTING = 3;

/** WebCrypto names for the curves OpenSSL reports. */
const EC_CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

interface MacData {
  hash: Pkcs12Hash;
  digest: Buffer;
  salt: Buffer;
  iterations: number;
}

interface EncryptedPart {
  what: string;
  scheme: PbeScheme;
  data: Buffer;
}

type Bag =
  { kind: 'key'; der: Buffer } | { kind: 'shroudedKey'; part: EncryptedPart } | { kind: 'cert'; der: Buffer };

interface ParsedPfx {
  /** The AuthenticatedSafe encoding: what the MAC covers (RFC 7292 §4). */
  authSafe: Buffer;
  mac: MacData;
  plainBags: Bag[];
  encryptedContents: EncryptedPart[];
}

// ---------------------------------------------------------------------------------------------------
// Structure (RFC 7292 §4, RFC 5652 §3 and §8)
// ---------------------------------------------------------------------------------------------------

function checkEnvelope(pfx: Uint8Array): void {
  if (pfx.length === 0) throw new P12Error('MALFORMED', 'empty input');
  if (pfx.length > MAX_P12_BYTES) throw new P12Error('MALFORMED', `input larger than ${MAX_P12_BYTES} bytes`);
  const head = Buffer.from(pfx.subarray(0, 64))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  if (/^\s*-----BEGIN /.test(head)) throw new P12Error('MALFORMED', 'PEM text, not a PKCS#12 (DER) file');
  if (pfx[0] !== 0x30) throw new P12Error('MALFORMED', 'not an ASN.1 SEQUENCE');
}

/** ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL } */
function contentInfo(node: AsnNode | undefined, what: string): { type: string; content?: AsnNode } {
  const [typeNode, contentNode] = seq(node, what, 1, 2);
  const type = oid(typeNode, `${what}.contentType`);
  return { type, content: contentNode ? explicit(contentNode, 0, `${what}.content`) : undefined };
}

function parsePfx(pfx: Uint8Array): ParsedPfx {
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
  const [versionNode, authSafeNode, macNode] = seq(parseAsn1(pfx, 'PFX'), 'PFX', 2, 3);
  if (smallUint(versionNode, 'PFX.version') !== 3) throw new AsnShapeError('PFX.version is not 3');
  const authSafeInfo = contentInfo(authSafeNode, 'PFX.authSafe');
  if (authSafeInfo.type === OID.signedData) {
    throw new UnsupportedError('public-key integrity mode (signedData) is not supported');
  }
  if (authSafeInfo.type !== OID.data) throw new AsnShapeError('PFX.authSafe is not id-data');
  const authSafe = octets(authSafeInfo.content, 'PFX.authSafe.content');
  if (!macNode) throw new UnsupportedError('the file has no MAC (password integrity); refusing to trust it');
  const mac = parseMacData(macNode);

  const plainBags: Bag[] = [];
  const encryptedContents: EncryptedPart[] = [];
  // AuthenticatedSafe ::= SEQUENCE OF ContentInfo
  seq(parseAsn1(authSafe, 'AuthenticatedSafe'), 'AuthenticatedSafe').forEach((node, i) => {
    const what = `AuthenticatedSafe[${i}]`;
    const info = contentInfo(node, what);
    if (info.type === OID.data) {
      plainBags.push(...parseSafeContents(octets(info.content, what), what, 0, true));
    } else if (info.type === OID.encryptedData) {
      encryptedContents.push(parseEncryptedData(info.content, what));
    } else if (info.type === OID.envelopedData) {
      throw new UnsupportedError('public-key privacy mode (envelopedData) is not supported');
    } else {
      throw new UnsupportedError(`${what}: content type ${info.type} is not supported`);
    }
  });
  return { authSafe, mac, plainBags, encryptedContents };
}

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 } */
function parseMacData(node: AsnNode): MacData {
  const [digestInfo, saltNode, iterNode] = seq(node, 'MacData', 2, 3);
  const [algNode, digestNode] = seq(digestInfo, 'MacData.mac', 2, 2);
  const alg = algorithmId(algNode, 'MacData.mac.digestAlgorithm');
  if (alg.oid === OID.pbmac1) throw new UnsupportedError('PBMAC1 (RFC 9579) integrity is not supported');
  const hash = DIGEST_OIDS[alg.oid];
  if (!hash) throw new UnsupportedError(`MAC digest ${alg.oid} is not supported`);
  const digest = octets(digestNode, 'MacData.mac.digest');
  if (digest.length !== hashOutputLength(hash)) {
    throw new AsnShapeError('MacData: digest has the wrong length');
  }
  const salt = octets(saltNode, 'MacData.macSalt');
  const iterations = iterNode ? smallUint(iterNode, 'MacData.iterations') : 1;
  return { hash, digest, salt, iterations };
}

/**
 * EncryptedData ::= SEQUENCE { version, EncryptedContentInfo, unprotectedAttrs [1] OPTIONAL }
 * EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm,
 *                                     encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }
 */
function parseEncryptedData(node: AsnNode | undefined, what: string): EncryptedPart {
  const [, eciNode] = seq(node, `${what} EncryptedData`, 2, 3);
  const [typeNode, algNode, contentNode] = seq(eciNode, `${what} EncryptedContentInfo`, 2, 3);
  if (oid(typeNode, `${what} contentType`) !== OID.data) {
    throw new AsnShapeError(`${what}: inner type is not data`);
  }
  if (!contentNode) throw new UnsupportedError(`${what}: detached encrypted content is not supported`);
  return {
    what,
    scheme: parsePbe(algorithmId(algNode, `${what} algorithm`), what),
    data: implicitOctets(contentNode, 0, `${what} encryptedContent`),
  };
}

/** SafeContents ::= SEQUENCE OF SafeBag. `copyInput: false` keeps decrypted bytes in a buffer we wipe. */
function parseSafeContents(bytes: Uint8Array, what: string, depth: number, copyInput: boolean): Bag[] {
  return parseSafeBags(parseAsn1(bytes, `${what} SafeContents`, copyInput), what, depth);
}

function parseSafeBags(node: AsnNode, what: string, depth: number): Bag[] {
  return seq(node, `${what} SafeContents`).flatMap((bag, i) => parseSafeBag(bag, `${what}.bag[${i}]`, depth));
}

/** SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT, bagAttributes SET OPTIONAL } (§4.2) */
function parseSafeBag(node: AsnNode, what: string, depth: number): Bag[] {
  const [idNode, valueNode, attrs] = seq(node, what, 2, 3);
  if (attrs && !isSet(attrs)) throw new AsnShapeError(`${what}: bagAttributes is not a SET`);
  const bagId = oid(idNode, `${what}.bagId`);
  const value = explicit(valueNode, 0, `${what}.bagValue`);
  switch (bagId) {
    case OID.keyBag:
      seq(value, `${what} PrivateKeyInfo`, 3);
      return [{ kind: 'key', der: Buffer.from(encodingOf(value)) }];
    case OID.pkcs8ShroudedKeyBag: {
      // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
      const [algNode, dataNode] = seq(value, `${what} EncryptedPrivateKeyInfo`, 2, 2);
      const part = {
        what,
        scheme: parsePbe(algorithmId(algNode, `${what} algorithm`), what),
        data: octets(dataNode, `${what} encryptedData`),
      };
      return [{ kind: 'shroudedKey', part }];
    }
    case OID.certBag: {
      // CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT OCTET STRING }; skip SDSI certs
      const [certIdNode, certValueNode] = seq(value, `${what} CertBag`, 2, 2);
      if (oid(certIdNode, `${what}.certId`) !== OID.x509Certificate) return [];
      return [
        { kind: 'cert', der: octets(explicit(certValueNode, 0, `${what}.certValue`), `${what}.certValue`) },
      ];
    }
    case OID.safeContentsBag:
      if (depth >= MAX_BAG_NESTING) throw new UnsupportedError(`${what}: SafeContents nested too deeply`);
      return parseSafeBags(value, what, depth + 1);
    default:
      return []; // CRL and secret bags carry nothing we need
  }
}

function toP12Error(e: unknown): P12Error {
  if (e instanceof P12Error) return e;
  if (e instanceof UnsupportedError) return new P12Error('UNSUPPORTED', e.message);
  if (e instanceof AsnShapeError) return new P12Error('MALFORMED', e.message);
  // Anything else from the parser: keep its text out, it could quote input bytes.
  return new P12Error('MALFORMED', 'not a valid PKCS#12 file');
}

function structural<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toP12Error(e);
  }
}

interface IterationCaps {
  mac: number;
  pbkdf2: number;
  pkcs12Pbe: number;
}

function capsOf(maxIterations: number | undefined): IterationCaps {
  if (maxIterations === undefined) {
    return { mac: MAX_MAC_ITERATIONS, pbkdf2: MAX_PBKDF2_ITERATIONS, pkcs12Pbe: MAX_PKCS12_PBE_ITERATIONS };
  }
  return { mac: maxIterations, pbkdf2: maxIterations, pkcs12Pbe: maxIterations };
}

const REEXPORT_HINT = 're-export it with a standard iteration count (e.g. openssl pkcs12 -export -iter 2048)';

function checkIterations(count: number, what: string, max: number, kdf: string): void {
  if (!(count >= 1 && count <= max)) {
    throw new P12Error(
      'UNSUPPORTED',
      `${what}: iteration count outside 1..${max}`,
      `its ${kdf} asks for ${count} key-derivation iterations, outside the accepted 1..${max}; ${REEXPORT_HINT}`,
    );
  }
}

function checkPartIterations(part: EncryptedPart, caps: IterationCaps): void {
  const { kind, iterations } = part.scheme;
  if (kind === 'pbes2') checkIterations(iterations, part.what, caps.pbkdf2, 'PBKDF2 encryption');
  else checkIterations(iterations, part.what, caps.pkcs12Pbe, 'legacy PKCS#12 encryption');
}

/** Running total of the KDF work a file demands; refuses it before the work is done. */
class WorkBudget {
  private spent = 0;

  constructor(private readonly forms: number) {}

  add(units: number, formsTried: number = this.forms): void {
    this.spent += units * formsTried;
    if (this.spent > MAX_KDF_WORK) {
      throw new P12Error(
        'UNSUPPORTED',
        `KDF work ${Math.round(this.spent)} exceeds ${MAX_KDF_WORK}`,
        `its key-derivation settings would cost more CPU than one unlock may take; ${REEXPORT_HINT}`,
      );
    }
  }

  addPart(part: EncryptedPart): void {
    this.add(pbeWork(part.scheme), part.scheme.kind === 'pbes2' ? 1 : this.forms);
  }
}

function shroudedParts(bags: Bag[]): EncryptedPart[] {
  return bags.flatMap((bag) => (bag.kind === 'shroudedKey' ? [bag.part] : []));
}

// ---------------------------------------------------------------------------------------------------
// Passwords, MAC, decryption
// ---------------------------------------------------------------------------------------------------

/**
 * Encodings to try, like OpenSSL's `pkcs12` app: the RFC 7292 B.1 BMPString first; for an empty
 * password also the zero-length ("NULL") form; for non-ASCII also the pre-1.1.0 OpenSSL form that
 * widened each UTF-8 byte. PBES2 always uses the UTF-8 bytes (RFC 8018 §3 leaves it to the app).
 */
function passwordForms(password: string): PasswordForm[] {
  const utf8 = Buffer.from(password, 'utf8');
  const forms: PasswordForm[] = [{ bmp: bmpPassword(password), utf8 }];
  if (password.length === 0) forms.push({ bmp: Buffer.alloc(0), utf8 });
  else if (utf8.length !== password.length) forms.push({ bmp: bmpPasswordFromUtf8Bytes(utf8), utf8 });
  return forms;
}

function wipeForms(forms: PasswordForm[]): void {
  for (const f of forms) {
    f.bmp.fill(0);
    f.utf8.fill(0);
  }
}

/** RFC 7292 §5.1 / App. B.4: HMAC over the AuthenticatedSafe with a PKCS#12-KDF key (ID 3). */
async function verifyMac(
  pfx: ParsedPfx,
  forms: PasswordForm[],
  signal: AbortSignal | undefined,
): Promise<PasswordForm | null> {
  const { hash, salt, iterations, digest } = pfx.mac;
  for (const form of forms) {
    const length = hashOutputLength(hash);
    const key = await pkcs12Kdf(hash, form.bmp, salt, KDF_ID.mac, iterations, length, signal);
    const computed = crypto.createHmac(hash, key).update(pfx.authSafe).digest();
    key.fill(0);
    if (computed.length === digest.length && crypto.timingSafeEqual(computed, digest)) return form;
  }
  return null;
}

/** Forms worth trying for a scheme: PBES2 only sees the UTF-8 bytes, which all forms share. */
function formsFor(scheme: PbeScheme, forms: PasswordForm[]): PasswordForm[] {
  return scheme.kind === 'pbes2' ? forms.slice(0, 1) : forms;
}

async function decryptPart(
  part: EncryptedPart,
  forms: PasswordForm[],
  signal: AbortSignal | undefined,
): Promise<Buffer | null> {
  for (const form of formsFor(part.scheme, forms)) {
    const plain = await pbeDecrypt(part.scheme, form, part.data, signal);
    if (plain) return plain;
  }
  return null;
}

function isPkcs8(der: Buffer): boolean {
  try {
    crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The MAC failed: wrong password, or damaged bytes? If any encrypted part decrypts with valid padding
 * AND parses (SafeContents / PKCS#8), the password must be right, so the file is damaged. A wrong
 * password passes a CBC padding check about 1 time in 256 and then essentially never parses.
 */
async function diagnoseMacFailure(
  pfx: ParsedPfx,
  forms: PasswordForm[],
  signal: AbortSignal | undefined,
): Promise<P12Error> {
  const parts = [
    ...pfx.encryptedContents.map((part) => ({ part, isKey: false })),
    ...shroudedParts(pfx.plainBags).map((part) => ({ part, isKey: true })),
  ];
  for (const { part, isKey } of parts) {
    const plain = await decryptPart(part, forms, signal);
    if (!plain) continue;
    try {
      const parses = isKey ? isPkcs8(plain) : parsesAsSafeContents(plain, part.what);
      if (parses) {
        return new P12Error(
          'CORRUPTED',
          'MAC check failed although the password decrypts the content: damaged file',
        );
      }
    } finally {
      plain.fill(0);
    }
  }
  return new P12Error('WRONG_PASSWORD', 'MAC check failed: wrong password');
}

function parsesAsSafeContents(plain: Buffer, what: string): boolean {
  try {
    parseSafeContents(plain, what, 0, false);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Public entry point
// ---------------------------------------------------------------------------------------------------

/**
 * Opens a PKCS#12 file and returns its private key as a non-extractable WebCrypto key plus the
 * matching certificate and the rest of the chain. Throws {@link P12Error} for every expected failure.
 */
export async function unlockP12(
  pfx: Uint8Array,
  password: string,
  options: UnlockP12Options = {},
): Promise<UnlockedP12> {
  if (!(pfx instanceof Uint8Array)) throw new TypeError('pfx must be a Uint8Array');
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  const { maxIterations, signal, keepPkcs8 = false } = options;
  if (maxIterations !== undefined && (!Number.isSafeInteger(maxIterations) || maxIterations < 1)) {
    throw new RangeError('maxIterations must be a positive integer');
  }
  const caps = capsOf(maxIterations);

  checkEnvelope(pfx);
  const parsed = structural(() => parsePfx(pfx));
  const visibleParts = [...parsed.encryptedContents, ...shroudedParts(parsed.plainBags)];
  if (visibleParts.length > MAX_ENCRYPTED_PARTS) {
    throw new P12Error('UNSUPPORTED', `more than ${MAX_ENCRYPTED_PARTS} encrypted parts`);
  }
  checkIterations(parsed.mac.iterations, 'MAC', caps.mac, 'integrity MAC');
  for (const part of visibleParts) checkPartIterations(part, caps);

  const forms = passwordForms(password);
  try {
    // Worst case: a wrong password tries every form on the MAC and on every part (diagnoseMacFailure).
    const budget = new WorkBudget(forms.length);
    budget.add(parsed.mac.iterations); // one output block (key length = hash length)
    for (const part of visibleParts) budget.addPart(part);
    const macForm = await verifyMac(parsed, forms, signal);
    if (!macForm) throw await diagnoseMacFailure(parsed, forms, signal);
    // Decrypt with the form that verified the MAC first, as OpenSSL does, then the others.
    const ordered = [macForm, ...forms.filter((f) => f !== macForm)];
    return await extract(parsed, ordered, {
      caps,
      budget,
      signal,
      partCount: visibleParts.length,
      keepPkcs8,
    });
  } catch (e) {
    if (signal?.aborted) throw new P12Error('ABORTED', 'the caller abandoned the unlock');
    throw e;
  } finally {
    wipeForms(forms);
  }
}

interface ExtractContext {
  caps: IterationCaps;
  budget: WorkBudget;
  signal: AbortSignal | undefined;
  partCount: number;
  keepPkcs8: boolean;
}

async function extract(parsed: ParsedPfx, forms: PasswordForm[], ctx: ExtractContext): Promise<UnlockedP12> {
  const { caps, budget, signal } = ctx;
  let partCount = ctx.partCount;
  const bags = [...parsed.plainBags];
  for (const part of parsed.encryptedContents) {
    const plain = await decryptPart(part, forms, signal);
    if (!plain) {
      throw new P12Error('WRONG_PASSWORD', `${part.what}: the MAC matches but the content does not decrypt`);
    }
    try {
      const found = structural(() => parseSafeContents(plain, part.what, 0, false));
      for (const hidden of shroudedParts(found)) {
        if (++partCount > MAX_ENCRYPTED_PARTS) {
          throw new P12Error('UNSUPPORTED', `more than ${MAX_ENCRYPTED_PARTS} encrypted parts`);
        }
        checkPartIterations(hidden, caps);
        budget.addPart(hidden);
      }
      bags.push(...found);
    } finally {
      plain.fill(0);
    }
  }

  const keys = bags.filter((b): b is Exclude<Bag, { kind: 'cert' }> => b.kind !== 'cert');
  if (keys.length === 0) throw new P12Error('NO_PRIVATE_KEY', 'the file contains no private key');
  if (keys.length > 1) throw new P12Error('MULTIPLE_KEYS', `the file contains ${keys.length} private keys`);
  const certs = bags.flatMap((b, i) => {
    if (b.kind !== 'cert') return [];
    try {
      return [new X509Certificate(b.der)];
    } catch {
      throw new P12Error('MALFORMED', `certificate bag ${i} is not a valid X.509 certificate`);
    }
  });

  const keyBag = keys[0];
  const pkcs8 = keyBag.kind === 'key' ? keyBag.der : await decryptPart(keyBag.part, forms, signal);
  if (!pkcs8) throw new P12Error('WRONG_PASSWORD', 'the MAC matches but the private key does not decrypt');
  try {
    const unlocked = await importKey(pkcs8, certs);
    return ctx.keepPkcs8 ? { ...unlocked, pkcs8: Buffer.from(pkcs8) } : unlocked;
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * Imports a PKCS#8 key stored by this service (a shared session record) back as a non-extractable
 * WebCrypto key, with its leaf picked from `certificates` by public key as at unlock. Throws
 * {@link P12Error} (MALFORMED, UNSUPPORTED, NO_MATCHING_CERT). The caller wipes `pkcs8`.
 */
export async function importPkcs8(
  pkcs8: Uint8Array,
  certificates: readonly Uint8Array[],
): Promise<UnlockedP12> {
  const certs = certificates.map((der, i) => {
    try {
      return new X509Certificate(der);
    } catch {
      throw new P12Error('MALFORMED', `stored certificate ${i} is not a valid X.509 certificate`);
    }
  });
  const copy = Buffer.from(pkcs8);
  try {
    return await importKey(copy, certs);
  } finally {
    copy.fill(0);
  }
}

function spkiOf(key: crypto.KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' });
}

async function importKey(pkcs8: Buffer, certs: X509Certificate[]): Promise<UnlockedP12> {
  let keyType: 'rsa' | 'ec';
  let algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  let modulusLength: number | undefined;
  let spki: Buffer;
  {
    // Scoped so the KeyObject (an exportable copy of the key) is unreachable as soon as we are done.
    let keyObject: crypto.KeyObject;
    try {
      keyObject = crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    } catch {
      throw new P12Error('MALFORMED', 'the decrypted private key is not a valid PKCS#8 structure');
    }
    const details = keyObject.asymmetricKeyDetails ?? {};
    if (keyObject.asymmetricKeyType === 'rsa') {
      keyType = 'rsa';
      modulusLength = details.modulusLength;
      algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    } else if (keyObject.asymmetricKeyType === 'ec' && details.namedCurve && EC_CURVES[details.namedCurve]) {
      keyType = 'ec';
      algorithm = { name: 'ECDSA', namedCurve: EC_CURVES[details.namedCurve] };
    } else {
      const type = `${keyObject.asymmetricKeyType ?? 'unknown'}${details.namedCurve ? ` (${details.namedCurve})` : ''}`;
      throw new P12Error('UNSUPPORTED', `private key type ${type} is not supported`);
    }
    spki = spkiOf(crypto.createPublicKey(keyObject));
  }

  const leafIndex = certs.findIndex((cert) => {
    try {
      return spkiOf(cert.publicKey).equals(spki);
    } catch {
      return false; // a cert with a key type Node cannot load is not our leaf
    }
  });
  if (leafIndex === -1) {
    throw new P12Error('NO_MATCHING_CERT', 'no certificate in the file matches the private key');
  }
  const certificate = certs[leafIndex];
  const chain = certs.filter((c, i) => i !== leafIndex && !c.raw.equals(certificate.raw));

  let privateKey: webcrypto.CryptoKey;
  try {
    privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  } catch {
    throw new P12Error('UNSUPPORTED', 'WebCrypto refused the private key');
  }
  return {
    privateKey,
    keyType,
    ...(modulusLength !== undefined && { modulusLength }),
    certificate,
    chain,
    macChecked: true,
  };
}
