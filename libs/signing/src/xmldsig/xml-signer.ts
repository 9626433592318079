import { KeyObject, X509Certificate, hash, sign, webcrypto } from 'node:crypto';
import { BadRequestError, SigningFailedError, XmlBuildFailedError } from '@app/common';
import { canonicalizeElement } from './c14n-writer';
import {
  CANONICAL_SIGNED_INFO_START,
  MIN_RSA_BITS,
  XMLDSIG_NS,
  signatureElement,
  signedInfoBody,
} from './dgii-profile';
import { parseXmlStrict, stripBom, xmlShapeProblem } from './xml-guards';
import { signerThreadsOfProcess } from './signer-threads';

/** The two things an XMLDSig signature needs; a `SigningIdentity` is one, with its facts. */
export interface SigningKeyPair {
  /** Usually non-extractable (the p12 reader imports it so); only used through KeyObject.from. */
  privateKey: webcrypto.CryptoKey;
  /** The leaf certificate matching privateKey; it goes into KeyInfo (PROTOCOL §3.1). */
  certificate: X509Certificate;
}

export interface SignedXml {
  /** The signed document. Send and store these exact bytes (PROTOCOL §3.2, §3.5.1). */
  xml: string;
  /** SignatureValue, base64 on one line. */
  signatureValue: string;
  /** Código de seguridad: first 6 characters of signatureValue (PROTOCOL §3.4). */
  securityCode: string;
}

/** Código de seguridad of a signed document (PROTOCOL §3.4): first 6 chars of SignatureValue base64. */
export function securityCodeOf(signatureValue: string): string {
  return signatureValue.slice(0, 6);
}

// Things a document written by our C14N builder never contains: self-closing tags, comments,
// CDATA, DOCTYPE, PIs or an XML declaration, a raw CR (C14N writes &#xD;), characters XML 1.0
// forbids, and U+0085/U+2028/U+2029, which @xmldom-based verifiers silently turn into LF
// (crypto-lab §2.5.2), so the receiver could not verify what we sign.
const NOT_CANONICAL = /\/>|<[!?]|[\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u0085\u2028\u2029\ufffe\uffff]/;
const ROOT_NAME = /^<([A-Za-z_][\w.-]*)>/;

const certificateBase64 = new WeakMap<X509Certificate, string>();
const checkedPairs = new WeakMap<webcrypto.CryptoKey, WeakSet<X509Certificate>>();

function certificateText(certificate: X509Certificate): string {
  let b64 = certificateBase64.get(certificate);
  if (b64 === undefined) {
    b64 = certificate.raw.toString('base64');
    certificateBase64.set(certificate, b64);
  }
  return b64;
}

/**
 * Converts the session key for node:crypto (free for a non-extractable CryptoKey) and checks,
 * once per key/certificate pair, that it is an RSA ≥ 2048 private key matching the certificate.
 * crypto.sign with an EC key would otherwise succeed and put an ECDSA value under the rsa-sha256
 * label (crypto-lab §2.5.1).
 */
function signingKey(identity: SigningKeyPair): KeyObject {
  let key: KeyObject;
  try {
    key = KeyObject.from(identity.privateKey);
  } catch {
    throw new SigningFailedError('the signing key cannot be used with node:crypto');
  }
  const checked = checkedPairs.get(identity.privateKey);
  if (checked?.has(identity.certificate)) return key;

  if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') {
    throw new SigningFailedError(
      `DGII signatures are rsa-sha256; the key is ${key.asymmetricKeyType ?? key.type}, not an RSA private key`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new SigningFailedError(`RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required`);
  }
  if (!identity.certificate.checkPrivateKey(key)) {
    throw new SigningFailedError('the certificate does not belong to the signing key');
  }
  if (checked) checked.add(identity.certificate);
  else checkedPairs.set(identity.privateKey, new WeakSet([identity.certificate]));
  return key;
}

interface PreparedSignature {
  key: KeyObject;
  /** The bytes RSA signs: canonical SignedInfo (PROTOCOL §3.1). */
  signedInfo: Buffer;
  /** Places the Signature, with this SignatureValue, as the root's last child. */
  finish(signatureValue: string): SignedXml;
}

/**
 * Everything but the RSA operation, for a document body that is already canonical.
 * `documentC14n` is the inclusive C14N of the document (the input of the enveloped transform,
 * PROTOCOL §3.1), `insertAt` the index of the root's closing tag, and `signedInfoNs` the namespace
 * declarations SignedInfo inherits from the root in its canonical form.
 */
function prepareSignature(
  documentC14n: string,
  insertAt: number,
  signedInfoNs: string,
  identity: SigningKeyPair,
): PreparedSignature {
  const key = signingKey(identity);
  const digestValue = hash('sha256', documentC14n, 'base64');
  const body = signedInfoBody(digestValue);
  const canonicalSignedInfo =
    signedInfoNs === ''
      ? CANONICAL_SIGNED_INFO_START + body
      : `<SignedInfo xmlns="${XMLDSIG_NS}"${signedInfoNs}>${body}`;
  return {
    key,
    signedInfo: Buffer.from(canonicalSignedInfo, 'utf8'),
    finish: (signatureValue) => ({
      xml:
        documentC14n.slice(0, insertAt) +
        signatureElement(body, signatureValue, certificateText(identity.certificate)) +
        documentC14n.slice(insertAt),
      signatureValue,
      securityCode: securityCodeOf(signatureValue),
    }),
  };
}

function signPrepared(prepared: PreparedSignature): SignedXml {
  let signatureValue: string;
  try {
    signatureValue = sign('sha256', prepared.signedInfo, prepared.key).toString('base64');
  } catch (error) {
    throw new SigningFailedError(`RSA signing failed: ${(error as Error).message}`);
  }
  return prepared.finish(signatureValue);
}

/** Checks that a builder document is canonical and returns where its root closes. */
function canonicalInsertPoint(unsignedXml: string): number {
  const root = ROOT_NAME.exec(unsignedXml);
  const closing = root ? `</${root[1]}>` : '';
  if (!root || !unsignedXml.endsWith(closing)) {
    throw new XmlBuildFailedError(
      'document to sign must be one root element without attributes or declaration',
    );
  }
  const bad = NOT_CANONICAL.exec(unsignedXml);
  if (bad) {
    throw new XmlBuildFailedError(
      `document to sign is not in canonical form: ${JSON.stringify(bad[0])} at offset ${bad.index}`,
    );
  }
  if (!(unsignedXml as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new XmlBuildFailedError('document to sign contains a lone UTF-16 surrogate');
  }
  return unsignedXml.length - closing.length;
}

/**
 * Signs a document written by our builder, which is canonical by construction: no declaration,
 * no attributes or namespaces, no self-closing tags, text escaped with escapeXmlText. Its
 * inclusive C14N is therefore its own bytes, so the digest is SHA-256 of the input and the
 * Signature goes right before the root's closing tag (PROTOCOL §3.1). Deterministic: the same
 * input and key give byte-identical output (RSA PKCS#1 v1.5).
 */
export function signCanonicalXml(unsignedXml: string, identity: SigningKeyPair): SignedXml {
  return signPrepared(prepareSignature(unsignedXml, canonicalInsertPoint(unsignedXml), '', identity));
}

/**
 * The same signature as signCanonicalXml, byte for byte, with the RSA operation on a signer
 * thread (signer-threads.ts): a server then signs on other cores instead of on its event loop.
 */
export function signCanonicalXmlAsync(unsignedXml: string, identity: SigningKeyPair): Promise<SignedXml> {
  let prepared: PreparedSignature;
  try {
    prepared = prepareSignature(unsignedXml, canonicalInsertPoint(unsignedXml), '', identity);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) =>
    signerThreadsOfProcess().submit({
      data: prepared.signedInfo,
      key: prepared.key,
      done: (error, signature) => {
        if (error || !signature)
          reject(new SigningFailedError(`RSA signing failed: ${error?.message ?? 'no signature'}`));
        else resolve(prepared.finish(signature.toString('base64')));
      },
    }),
  );
}

const MAX_SEED_BYTES = 64 * 1024;

/**
 * Signs the seed returned by DGII's `semilla` endpoint (PROTOCOL §2). DGII pretty-prints it and
 * declares xmlns:xsi/xmlns:xsd on the root, so it is re-written in C14N form first: declaration
 * and BOM dropped, whitespace-only text removed (PROTOCOL §2.2, §3.2), namespace declarations
 * sorted (`xmlns:xsd` before `xmlns:xsi`, §3.2), values untouched. Those root declarations are
 * also in scope for SignedInfo, so its canonical form carries them (checked with xmlsec1).
 * Returns the signed seed to POST to `validarsemilla`.
 */
export function signSemilla(seedXmlFromDgii: string, identity: SigningKeyPair): string {
  const xml = stripBom(seedXmlFromDgii);
  const problem = xmlShapeProblem(xml, { maxBytes: MAX_SEED_BYTES, maxDepth: 8 });
  if (problem) throw new BadRequestError(`DGII seed refused: ${problem}`);
  if (/[\u0085\u2028\u2029]/.test(xml)) {
    throw new BadRequestError('DGII seed refused: contains U+0085/U+2028/U+2029');
  }
  let root;
  try {
    root = parseXmlStrict(xml).documentElement;
  } catch (error) {
    throw new BadRequestError(`DGII seed is not well-formed XML: ${(error as Error).message}`);
  }
  if (!root || root.localName !== 'SemillaModel') {
    throw new BadRequestError(`DGII seed root must be SemillaModel, not ${root?.tagName ?? 'nothing'}`);
  }
  const canonical = canonicalizeElement(root, true);
  const insertAt = canonical.xml.length - `</${root.tagName}>`.length;
  return signPrepared(prepareSignature(canonical.xml, insertAt, canonical.inheritedBySignedInfo, identity))
    .xml;
}
