import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SignedXml as XmlCryptoSignedXml } from 'xml-crypto';
import { p12Dir } from '../fixtures/fixture-dirs';

/** The key and certificate of a `SigningIdentity` (libs/signing), structural so the oracles need no signing code. */
export interface TestIdentity {
  privateKey: webcrypto.CryptoKey;
  certificate: X509Certificate;
}

export interface OracleResult {
  ok: boolean;
  output: string;
}

function withTempFile<T>(name: string, content: string, run: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-xml-'));
  const path = join(dir, name);
  try {
    writeFileSync(path, content, 'utf8');
    return run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** xmlsec1 (libxml2 + OpenSSL) verification with the KeyInfo certificate (PROTOCOL §3.6). */
export function xmlsecVerify(xml: string): OracleResult {
  return withTempFile('signed.xml', xml, (path) => xmlsecVerifyFile(path));
}

export function xmlsecVerifyFile(path: string): OracleResult {
  const r = spawnSync('xmlsec1', ['verify', '--insecure', '--enabled-key-data', 'x509', path], {
    encoding: 'utf8',
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** xmllint (system libxml2) XSD validation. */
export function xmllintValidate(xml: string, xsdPath: string): OracleResult {
  return withTempFile('doc.xml', xml, (path) => {
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdPath, path], { encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
  });
}

// xml-crypto ships its own @xmldom 0.8 and xpath; use those so this oracle shares no parser with
// the xmldsigjs-based verifier under test.
const xmlCryptoDir = dirname(require.resolve('xml-crypto/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xcDom = require(
  require.resolve('@xmldom/xmldom', { paths: [xmlCryptoDir] }),
) as typeof import('@xmldom/xmldom');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xcXpath = require(require.resolve('xpath', { paths: [xmlCryptoDir] })) as typeof import('xpath');

/** xml-crypto 6 verification with the KeyInfo certificate; independent of xmlsec1 and xmldsigjs. */
export function xmlCryptoVerify(xml: string): OracleResult {
  try {
    const doc = new xcDom.DOMParser().parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml');
    const found = xcXpath.select(
      "/*/*[local-name(.)='Signature' and namespace-uri(.)='http://www.w3.org/2000/09/xmldsig#']",
      doc as unknown as Node,
    ) as unknown[];
    if (found.length !== 1) return { ok: false, output: `${found.length} Signature elements under the root` };
    const sig = new XmlCryptoSignedXml({ getCertFromKeyInfo: XmlCryptoSignedXml.getCertFromKeyInfo });
    sig.loadSignature(found[0] as Node);
    const ok = sig.checkSignature(xml);
    return { ok, output: ok ? 'valid' : 'invalid' };
  } catch (error) {
    return { ok: false, output: (error as Error).message };
  }
}

async function identityFromPem(
  name: string,
  algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams,
): Promise<TestIdentity> {
  const keyPem = readFileSync(join(p12Dir, `${name}.key`), 'utf8');
  const certificate = new X509Certificate(readFileSync(join(p12Dir, `${name}.pem`)));
  return { privateKey: await importPkcs8Pem(keyPem, algorithm), certificate };
}

async function importPkcs8Pem(
  pem: string,
  algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams,
): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  // Non-extractable, like the session key the p12 reader produces.
  return webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
}

/** RSA-2048 identity from the fixtures made by test/support/global-setup.ts (ensureTestP12) (r2048.key/.pem). */
export function testIdentity(): Promise<TestIdentity> {
  return identityFromPem('r2048', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
}

/** A second RSA-2048 identity (r2048b), e.g. for a certificate that does not match the key. */
export function otherTestIdentity(): Promise<TestIdentity> {
  return identityFromPem('r2048b', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
}

/** EC P-256 identity (ec256.key/.pem): must be refused by the signer (crypto-lab §2.5.1). */
export function ecIdentity(): Promise<TestIdentity> {
  return identityFromPem('ec256', { name: 'ECDSA', namedCurve: 'P-256' });
}

/** An RSA-1024 key generated at test time with r2048's certificate (too short to sign with). */
export async function rsa1024Identity(): Promise<TestIdentity> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = new X509Certificate(readFileSync(join(p12Dir, 'r2048.pem')));
  return {
    privateKey: await importPkcs8Pem(pem, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }),
    certificate,
  };
}

/** An empty DGII-profile Signature for xmlsec1 to fill in (PROTOCOL §3.1). */
export const XMLSEC_SIGNATURE_TEMPLATE =
  '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>' +
  '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>' +
  '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
  '<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>' +
  '</Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference>' +
  '</SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>';

/**
 * Signs a template (a document holding an empty Signature, e.g. XMLSEC_SIGNATURE_TEMPLATE) with
 * xmlsec1 and the r2048 fixture key: an independent signer for documents our signer would not
 * produce (indented, with namespaces, with characters it refuses).
 */
export function xmlsecSign(template: string): string {
  return withTempFile('template.xml', template, (path) => {
    const out = `${path}.signed`;
    const keyAndCert = `${join(p12Dir, 'r2048.key')},${join(p12Dir, 'r2048.pem')}`;
    const r = spawnSync('xmlsec1', ['--sign', '--privkey-pem', keyAndCert, '--output', out, path], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`xmlsec1 --sign failed: ${r.stderr}`);
    return readFileSync(out, 'utf8');
  });
}
