import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { signingIdentityOf, SigningIdentity } from '@app/signing';

/** The simulated issuer: DGII's own simulator signs as a test taxpayer (PROTOCOL §8.4). */
export const SIMULATOR_RNC = '131880738';
export const SIMULATOR_CEDULA = '00100000001';

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/**
 * The simulator's own test certificate, generated once per process: RSA-2048, self-signed,
 * subject serialNumber `IDCDO-{cédula}` like a DGII-accepted certificate (PROTOCOL §2.4). The key
 * is non-extractable and never leaves memory; a receptor trusts it only through its signature.
 */
export async function generateSimulatorIdentity(now = Date.now()): Promise<SigningIdentity> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey(RSA, false, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: now.toString(16),
    name: `CN=SIMULADOR EMISOR RECEPTOR, 2.5.4.5=IDCDO-${SIMULATOR_CEDULA}, O=DGII SANDBOX, C=DO`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 365 * 86_400_000),
    keys: keys as unknown as CryptoKeyPair,
    signingAlgorithm: RSA,
  });
  return signingIdentityOf({
    privateKey: keys.privateKey,
    certificate: new X509Certificate(Buffer.from(certificate.rawData)),
    keyType: 'rsa',
  });
}
