import { X509Certificate, webcrypto } from 'node:crypto';
import { DOMParser, Document, Element, Node, XMLSerializer } from '@xmldom/xmldom';
import { setNodeDependencies } from 'xadesjs';
import * as xpath from 'xpath';
import * as xmldsig from 'xmldsigjs';
import { C14N_10, ENVELOPED_SIGNATURE, EXC_C14N_10, RSA_SHA256, SHA256, XMLDSIG_NS } from './dgii-profile';
import {
  DEFAULT_MAX_XML_BYTES,
  DEFAULT_MAX_XML_DEPTH,
  parseXmlStrict,
  stripBom,
  xmlShapeProblem,
} from './xml-guards';

export interface VerifyOptions {
  /** Refuse larger documents (UTF-8 bytes). Default 5 MB. */
  maxBytes?: number;
  /** Refuse deeper element nesting. Default 64 (an e-CF is about 6 deep). */
  maxDepth?: number;
}

export type VerificationResult =
  { valid: true; certificate: X509Certificate; signatureValue: string } | { valid: false; reason: string };

/** Canonicalisations accepted in SignedInfo and as the optional extra Transform (PROTOCOL §3.1 alternatives). */
const C14N_ALGORITHMS = new Set([C14N_10, EXC_C14N_10]);

let xmldsigReady = false;
function initXmldsig(): void {
  if (xmldsigReady) return;
  // Native WebCrypto: @peculiar/webcrypto is 3.7× slower (crypto-lab §2.5.5, §2.5.6).
  xmldsig.Application.setEngine('NodeJS', webcrypto as unknown as Crypto);
  setNodeDependencies({ DOMParser, XMLSerializer, xpath });
  xmldsigReady = true;
}

class Refused extends Error {}

function elementChildren(parent: Node): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === n.ELEMENT_NODE) out.push(n as Element);
    else if (n.nodeType !== n.TEXT_NODE || (n.nodeValue ?? '').trim() !== '') {
      // Comments, PIs or text between signature parts have no place in this profile.
      if (parent.namespaceURI === XMLDSIG_NS)
        throw new Refused(`unexpected content inside ${parent.nodeName}`);
    }
  }
  return out;
}

function dsigChild(parent: Element, localName: string): Element {
  const found = elementChildren(parent).filter(
    (e) => e.namespaceURI === XMLDSIG_NS && e.localName === localName,
  );
  if (found.length !== 1) throw new Refused(`expected exactly one ${localName} in ${parent.localName}`);
  return found[0];
}

function algorithmOf(element: Element): string {
  return element.getAttribute('Algorithm') ?? '';
}

/**
 * Checks the signature's shape before any cryptography: exactly one Signature, the last element
 * child of the root (so nothing can wrap or shadow the signed content), children SignedInfo,
 * SignatureValue, KeyInfo only, one Reference to the whole document (`URI=""`) with the
 * enveloped transform (+ at most one C14N), rsa-sha256 and sha256 (PROTOCOL §3.1).
 */
function checkProfile(doc: Document): Element {
  const root = doc.documentElement;
  if (!root) throw new Refused('no root element');
  const all = doc.getElementsByTagNameNS(XMLDSIG_NS, 'Signature');
  if (all.length !== 1) throw new Refused(`expected exactly one Signature element, found ${all.length}`);
  const signature = all.item(0) as Element;
  const rootChildren = elementChildren(root);
  if (signature.parentNode !== root || rootChildren[rootChildren.length - 1] !== signature) {
    throw new Refused('the Signature must be the last child of the root element');
  }
  const parts = elementChildren(signature);
  const names = parts.map((e) => (e.namespaceURI === XMLDSIG_NS ? e.localName : e.nodeName)).join(',');
  if (names !== 'SignedInfo,SignatureValue,KeyInfo') {
    throw new Refused(`Signature children must be SignedInfo, SignatureValue, KeyInfo; found ${names}`);
  }
  const signedInfo = parts[0];
  const c14n = algorithmOf(dsigChild(signedInfo, 'CanonicalizationMethod'));
  if (!C14N_ALGORITHMS.has(c14n)) throw new Refused(`unsupported CanonicalizationMethod ${c14n}`);
  const method = algorithmOf(dsigChild(signedInfo, 'SignatureMethod'));
  if (method !== RSA_SHA256) throw new Refused(`unsupported SignatureMethod ${method}`);
  const reference = dsigChild(signedInfo, 'Reference');
  if (reference.getAttribute('URI') !== '' || !reference.hasAttribute('URI')) {
    throw new Refused('the Reference must have URI="" (the whole document)');
  }
  const transforms = elementChildren(dsigChild(reference, 'Transforms')).map(algorithmOf);
  const [first, ...rest] = transforms;
  if (
    first !== ENVELOPED_SIGNATURE ||
    rest.length > 1 ||
    (rest.length === 1 && !C14N_ALGORITHMS.has(rest[0]))
  ) {
    throw new Refused(`unsupported Transforms ${transforms.join(' ')}`);
  }
  const digest = algorithmOf(dsigChild(reference, 'DigestMethod'));
  if (digest !== SHA256) throw new Refused(`unsupported DigestMethod ${digest}`);
  return signature;
}

function base64Text(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, '');
}

/** The signer's certificate from KeyInfo/X509Data: the only one, or the single leaf of a chain. */
function signerCertificate(signature: Element): X509Certificate {
  const keyInfo = dsigChild(signature, 'KeyInfo');
  const certs: X509Certificate[] = [];
  for (const data of elementChildren(keyInfo)) {
    if (data.namespaceURI !== XMLDSIG_NS || data.localName !== 'X509Data') continue;
    for (const c of elementChildren(data)) {
      if (c.namespaceURI !== XMLDSIG_NS || c.localName !== 'X509Certificate') continue;
      try {
        certs.push(new X509Certificate(Buffer.from(base64Text(c), 'base64')));
      } catch {
        throw new Refused('KeyInfo holds an X509Certificate that does not parse');
      }
    }
  }
  if (certs.length === 0) throw new Refused('KeyInfo has no X509Certificate');
  const leaves = certs.filter((c) => !certs.some((other) => other !== c && other.checkIssued(c)));
  if (leaves.length !== 1) throw new Refused('cannot tell the signer certificate from the KeyInfo chain');
  const leaf = leaves[0];
  if (leaf.publicKey.asymmetricKeyType !== 'rsa') throw new Refused('the signer certificate key is not RSA');
  return leaf;
}

/**
 * Verifies an enveloped XMLDSig signature on a document we did not write (inbound ACECF/ARECF,
 * DGII-signed e-CF, anything a receptor sends), with the certificate in its KeyInfo. Uses the
 * xmldsigjs core of xadesjs, which canonicalises for itself, so indented documents verify when
 * they were signed indented: the bytes are never stripped or rewritten. This checks the
 * signature only: trust in the certificate (chain, validity, delegation) is the caller's.
 */
export async function verifyXmlSignature(
  xml: string,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const text = stripBom(xml);
  const limits = {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_XML_BYTES,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_XML_DEPTH,
  };
  const problem = xmlShapeProblem(text, limits);
  if (problem) return { valid: false, reason: problem };

  let doc: Document;
  try {
    doc = parseXmlStrict(text);
  } catch (error) {
    return { valid: false, reason: `not well-formed XML: ${(error as Error).message}` };
  }
  let signature: Element;
  let certificate: X509Certificate;
  let signatureValue: string;
  try {
    signature = checkProfile(doc);
    certificate = signerCertificate(signature);
    signatureValue = base64Text(dsigChild(signature, 'SignatureValue'));
  } catch (error) {
    if (error instanceof Refused) return { valid: false, reason: error.message };
    throw error;
  }

  initXmldsig();
  try {
    // Pass the key explicitly so a KeyValue or other KeyInfo content is never used instead.
    const publicKey = await webcrypto.subtle.importKey(
      'spki',
      certificate.publicKey.export({ type: 'spki', format: 'der' }),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      true,
      ['verify'],
    );
    const signed = new xmldsig.SignedXml(doc as unknown as globalThis.Document);
    signed.LoadXml(signature as unknown as globalThis.Element);
    const ok = await signed.Verify(publicKey as unknown as CryptoKey);
    return ok
      ? { valid: true, certificate, signatureValue }
      : { valid: false, reason: 'SignatureValue does not verify with the KeyInfo certificate' };
  } catch (error) {
    // xmldsigjs throws XMLJS0013 on a reference digest mismatch.
    return { valid: false, reason: `signature does not verify: ${(error as Error).message}` };
  }
}
