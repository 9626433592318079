import type { webcrypto, X509Certificate } from 'node:crypto';
import { certificateFacts, CertificateFacts } from '../certificate/certificate-facts';
import type { SigningKeyPair } from '../xmldsig/xml-signer';

/**
 * Who signs: the non-exportable key, its leaf certificate and the facts read from that
 * certificate once. It is all that signing needs (documents, DGII seeds), so anything holding
 * one can sign: an open session today, the receptor's acknowledgements next, a test directly.
 */
export interface SigningIdentity extends SigningKeyPair, Readonly<CertificateFacts> {
  readonly privateKey: webcrypto.CryptoKey;
  readonly certificate: X509Certificate;
  /** `rsa` or `ec`, as the key was read; only RSA ≥ 2048 signs for DGII (PROTOCOL §3.1). */
  readonly keyType: string;
}

/** Builds an identity from an unlocked key and its certificate, reading the facts once. */
export function signingIdentityOf(key: SigningKeyPair & { keyType: string }): SigningIdentity {
  return {
    privateKey: key.privateKey,
    certificate: key.certificate,
    keyType: key.keyType,
    ...certificateFacts(key.certificate),
  };
}
