/**
 * The one XMLDSig profile DGII uses (PROTOCOL §3.1): default-namespace `Signature`, inclusive
 * C14N 1.0, rsa-sha256, one `Reference URI=""` with only the enveloped-signature transform,
 * sha256 digest, leaf certificate in KeyInfo.
 */
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const C14N_10 = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const EXC_C14N_10 = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** Minimum RSA modulus accepted for signing (crypto-lab §2.5). */
export const MIN_RSA_BITS = 2048;

// SignedInfo content in canonical form (C14N 1.0 writes empty elements as start+end pairs).
// It is the same bytes in the document and in the canonical form; only the SignedInfo start
// tag differs (the canonical one carries the in-scope namespace declarations).
const SIGNED_INFO_HEAD =
  `<CanonicalizationMethod Algorithm="${C14N_10}"></CanonicalizationMethod>` +
  `<SignatureMethod Algorithm="${RSA_SHA256}"></SignatureMethod>` +
  `<Reference URI=""><Transforms><Transform Algorithm="${ENVELOPED_SIGNATURE}"></Transform></Transforms>` +
  `<DigestMethod Algorithm="${SHA256}"></DigestMethod><DigestValue>`;
const SIGNED_INFO_TAIL = '</DigestValue></Reference></SignedInfo>';

/** Canonical start tag of SignedInfo when the document root declares no namespaces. */
export const CANONICAL_SIGNED_INFO_START = `<SignedInfo xmlns="${XMLDSIG_NS}">`;

export function signedInfoBody(digestValue: string): string {
  return SIGNED_INFO_HEAD + digestValue + SIGNED_INFO_TAIL;
}

/** The Signature element as written into the document (PROTOCOL §3.1 child order). */
export function signatureElement(
  signedInfoBodyText: string,
  signatureValue: string,
  certificate: string,
): string {
  return (
    `<Signature xmlns="${XMLDSIG_NS}"><SignedInfo>${signedInfoBodyText}` +
    `<SignatureValue>${signatureValue}</SignatureValue>` +
    `<KeyInfo><X509Data><X509Certificate>${certificate}</X509Certificate></X509Data></KeyInfo></Signature>`
  );
}
