export { DEFAULT_MAX_XML_BYTES, DEFAULT_MAX_XML_DEPTH, xmlShapeProblem } from './xml-guards';
export { escapeXmlText } from './xml-text';
export { securityCodeOf, signCanonicalXml, signCanonicalXmlAsync, signSemilla } from './xml-signer';
export type { SignedXml, SigningKeyPair } from './xml-signer';
export { verifyXmlSignature } from './xml-verifier';
export type { VerificationResult, VerifyOptions } from './xml-verifier';
export {
  closeSignerThreads,
  configureSignerThreads,
  defaultSignerThreads,
  SignerThreads,
  warmSignerThreads,
} from './signer-threads';
export type { RsaSignJob } from './signer-threads';
