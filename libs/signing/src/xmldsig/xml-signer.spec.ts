import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningFailedError, XmlBuildFailedError } from '@app/common';
import {
  ecIdentity,
  itWithOfficialFiles,
  officialDir,
  otherTestIdentity,
  rsa1024Identity,
  TestIdentity,
  testIdentity,
  xmlCryptoVerify,
  xmllintValidate,
  xmlsecVerify,
} from '@app/testing';
import { makeCanonicalEcf } from './testing/ecf.fixture';
import { escapeXmlText } from './xml-text';
import { securityCodeOf, signCanonicalXml, signCanonicalXmlAsync, signSemilla } from './xml-signer';
import { verifyXmlSignature } from './xml-verifier';

const samples = officialDir('samples');

async function expectVerifiedByAllThree(xml: string): Promise<void> {
  expect(xmlsecVerify(xml)).toMatchObject({ ok: true });
  expect(xmlCryptoVerify(xml)).toMatchObject({ ok: true });
  expect(await verifyXmlSignature(xml)).toMatchObject({ valid: true });
}

/** xmlsec1's view of what was digested and signed (PROTOCOL §3.6 --store-references). */
function xmlsecPreData(xml: string): { preDigest: string; preSigned: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fiscaliacore-xmlsec-'));
  try {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const r = spawnSync(
      'xmlsec1',
      [
        'verify',
        '--insecure',
        '--enabled-key-data',
        'x509',
        '--store-references',
        '--store-signatures',
        file,
      ],
      { encoding: 'utf8' },
    );
    const out = `${r.stdout}${r.stderr}`;
    const between = (label: string): string =>
      out.split(`== ${label} data - start buffer:\n`)[1]?.split(`\n== ${label} data - end buffer`)[0] ?? '';
    return { preDigest: between('PreDigest'), preSigned: between('PreSigned') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('signCanonicalXml', () => {
  let identity: TestIdentity;
  beforeAll(async () => {
    identity = await testIdentity();
  });

  it('writes the DGII signature profile as the last child of the root, with zero whitespace (PROTOCOL §3.1)', () => {
    const unsigned = makeCanonicalEcf();
    const { xml, signatureValue, securityCode } = signCanonicalXml(unsigned, identity);
    const cert = identity.certificate.raw.toString('base64');

    expect(xml.startsWith(unsigned.slice(0, -'</ECF>'.length))).toBe(true);
    expect(xml).toMatch(
      new RegExp(
        '<FechaHoraFirma>01-04-2025 10:00:00</FechaHoraFirma>' +
          '<Signature xmlns="http://www\\.w3\\.org/2000/09/xmldsig#"><SignedInfo>' +
          '<CanonicalizationMethod Algorithm="http://www\\.w3\\.org/TR/2001/REC-xml-c14n-20010315"></CanonicalizationMethod>' +
          '<SignatureMethod Algorithm="http://www\\.w3\\.org/2001/04/xmldsig-more#rsa-sha256"></SignatureMethod>' +
          '<Reference URI=""><Transforms><Transform Algorithm="http://www\\.w3\\.org/2000/09/xmldsig#enveloped-signature"></Transform></Transforms>' +
          '<DigestMethod Algorithm="http://www\\.w3\\.org/2001/04/xmlenc#sha256"></DigestMethod>' +
          '<DigestValue>[A-Za-z0-9+/]{43}=</DigestValue></Reference></SignedInfo>' +
          '<SignatureValue>[A-Za-z0-9+/]{342}==</SignatureValue>' +
          `<KeyInfo><X509Data><X509Certificate>${cert.replace(/[+/]/g, '\\$&')}</X509Certificate></X509Data></KeyInfo>` +
          '</Signature></ECF>$',
      ),
    );
    expect(xml).not.toMatch(/\s</);
    expect(securityCode).toBe(signatureValue.slice(0, 6));
    expect(securityCodeOf(signatureValue)).toBe(securityCode);
    expect(xml).toContain(`<SignatureValue>${signatureValue}</SignatureValue>`);
  });

  it('is verified by xmlsec1, xml-crypto and xmldsigjs on the exact returned bytes', async () => {
    await expectVerifiedByAllThree(signCanonicalXml(makeCanonicalEcf(), identity).xml);
  });

  it('digests exactly the input bytes, which is what xmlsec1 canonicalises', () => {
    const unsigned = makeCanonicalEcf();
    const { preDigest, preSigned } = xmlsecPreData(signCanonicalXml(unsigned, identity).xml);
    expect(preDigest).toBe(unsigned);
    expect(preSigned.startsWith('<SignedInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><Canon')).toBe(true);
  });

  it('is byte-identical for the same input and key', () => {
    const unsigned = makeCanonicalEcf();
    expect(signCanonicalXml(unsigned, identity)).toEqual(signCanonicalXml(unsigned, identity));
  });

  it('signs text with characters that need escaping, CR, tabs, non-ASCII, emoji and ]]>', async () => {
    const nasty = 'A & B <c> "d" \'e\' \r\n\tñ € 😀 ]]> &amp; x\ry';
    const unsigned = makeCanonicalEcf({ razonSocialComprador: nasty });
    expect(unsigned).toContain('A &amp; B &lt;c&gt; "d" \'e\' &#xD;\n\tñ € 😀 ]]&gt; &amp;amp; x&#xD;y');
    await expectVerifiedByAllThree(signCanonicalXml(unsigned, identity).xml);
  });

  it('signs an empty element written as a start+end pair (the anonymous type-32 Comprador, PROTOCOL §3.5.9)', async () => {
    const unsigned = makeCanonicalEcf().replace(/<Comprador>.*<\/Comprador>/, '<Comprador></Comprador>');
    expect(unsigned).toContain('<Comprador></Comprador>');
    await expectVerifiedByAllThree(signCanonicalXml(unsigned, identity).xml);
  });

  it('refuses an EC key instead of writing an ECDSA value under rsa-sha256 (crypto-lab §2.5.1)', async () => {
    const ec = await ecIdentity();
    expect(() => signCanonicalXml(makeCanonicalEcf(), ec)).toThrow(SigningFailedError);
    expect(() => signCanonicalXml(makeCanonicalEcf(), ec)).toThrow(/not an RSA private key/);
  });

  it('refuses an RSA key shorter than 2048 bits', async () => {
    const weak = await rsa1024Identity();
    expect(() => signCanonicalXml(makeCanonicalEcf(), weak)).toThrow(SigningFailedError);
    expect(() => signCanonicalXml(makeCanonicalEcf(), weak)).toThrow(/1024 bits/);
  });

  it('refuses a certificate that does not belong to the key', async () => {
    const other = await otherTestIdentity();
    const mismatched = { privateKey: identity.privateKey, certificate: other.certificate };
    expect(() => signCanonicalXml(makeCanonicalEcf(), mismatched)).toThrow(SigningFailedError);
  });

  it.each([
    ['an XML declaration', `<?xml version="1.0"?>${makeCanonicalEcf()}`],
    ['a self-closing tag', makeCanonicalEcf({ extra: '<InformacionReferencia/>' })],
    ['a comment', makeCanonicalEcf({ extra: '<!-- x -->' })],
    ['a raw CR', makeCanonicalEcf({ extra: '<A>x\ry</A>' })],
    ['U+2028, which @xmldom verifiers fold into LF', makeCanonicalEcf({ extra: '<A>x\u2028y</A>' })],
    ['a NUL character', makeCanonicalEcf({ extra: '<A>x\u0000y</A>' })],
    ['a lone surrogate', makeCanonicalEcf({ extra: '<A>x\ud800y</A>' })],
    ['attributes on the root', makeCanonicalEcf().replace('<ECF>', '<ECF xmlns:xsi="urn:x">')],
    ['a mismatched root closing tag', makeCanonicalEcf().replace(/<\/ECF>$/, '</RFCE>')],
    ['a BOM', `\ufeff${makeCanonicalEcf()}`],
  ])('refuses input that is not canonical: %s', (_label, input) => {
    expect(() => signCanonicalXml(input, identity)).toThrow(XmlBuildFailedError);
  });
});

describe('signCanonicalXmlAsync', () => {
  it('gives byte-identical output to the synchronous signer (RSA off the event loop)', async () => {
    const identity = await testIdentity();
    const doc = makeCanonicalEcf();
    expect(await signCanonicalXmlAsync(doc, identity)).toEqual(signCanonicalXml(doc, identity));
  });

  it('refuses EC keys and non-canonical input by rejecting, like the synchronous signer', async () => {
    await expect(signCanonicalXmlAsync(makeCanonicalEcf(), await ecIdentity())).rejects.toThrow(
      SigningFailedError,
    );
    await expect(signCanonicalXmlAsync('<ECF/>', await testIdentity())).rejects.toThrow(XmlBuildFailedError);
  });
});

describe('signSemilla', () => {
  let identity: TestIdentity;
  beforeAll(async () => {
    identity = await testIdentity();
  });

  itWithOfficialFiles(
    'signs the pretty-printed DGII seed so that xmlsec1, xml-crypto and xmldsigjs verify it',
    async () => {
      const seed = readFileSync(join(samples, 'semilla-response-dgii.xml'), 'utf8');
      const signed = signSemilla(seed, identity);
      expect(signed).toMatch(
        /^<SemillaModel xmlns:xsd="http:\/\/www\.w3\.org\/2001\/XMLSchema" xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance"><valor>7G7KswaOGcLXBmLZ1BUAI7B2nb3Np8T\+AmxUh9E0KyIMkgjqIMqKJst3a4xoQaWxB9nny\+FLSfoEMK2fwNujBPWnKu56tse\/QoYFSbHL0xSAi1HPmza7imtBz34k1eQN\+WTfu\+oOLkR5qCWyWEG6FA==<\/valor><fecha>2022-12-06T10:50:14\.9682218-04:00<\/fecha><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">.*<\/Signature><\/SemillaModel>$/,
      );
      await expectVerifiedByAllThree(signed);
      // The Semilla XSD describes the signed seed (valor, fecha, then the Signature).
      expect(xmllintValidate(signed, join(officialDir('xsd'), 'Semilla-v1.0.xsd'))).toMatchObject({
        ok: true,
      });
    },
    ['samples', 'xsd'],
  );

  itWithOfficialFiles(
    'puts the root namespace declarations into the canonical SignedInfo, as xmlsec1 computes it',
    () => {
      const seed = readFileSync(join(samples, 'semilla-response-dgii.xml'), 'utf8');
      const { preSigned } = xmlsecPreData(signSemilla(seed, identity));
      expect(preSigned).toMatch(
        /^<SignedInfo xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#" xmlns:xsd="http:\/\/www\.w3\.org\/2001\/XMLSchema" xmlns:xsi="http:\/\/www\.w3\.org\/2001\/XMLSchema-instance"><CanonicalizationMethod /,
      );
    },
    ['samples'],
  );

  itWithOfficialFiles(
    "reproduces the DigestValue of victors' signed seed that DGII accepted (same seed content)",
    () => {
      // Rebuild that seed as DGII served it (BOM, declaration, indentation), without its signature.
      const victors = readFileSync(join(samples, 'semilla-signed-victors-compacted.xml'), 'utf8');
      const valor = /<valor>(.*?)<\/valor>/.exec(victors)?.[1] ?? '';
      const fecha = /<fecha>(.*?)<\/fecha>/.exec(victors)?.[1] ?? '';
      const served =
        '\ufeff<?xml version="1.0" encoding="utf-8"?>\r\n<SemillaModel xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
        `xmlns:xsd="http://www.w3.org/2001/XMLSchema">\r\n  <valor>${valor}</valor>\r\n  <fecha>${fecha}</fecha>\r\n</SemillaModel>`;
      const ours = signSemilla(served, identity);
      const digestOf = (xml: string): string | undefined =>
        /<DigestValue>(.*?)<\/DigestValue>/.exec(xml)?.[1];
      expect(digestOf(victors)).toBe('5RICt28W+fqc2Pcx0gCwIu9QkCq+lPCouP4fSECcoTo=');
      expect(digestOf(ours)).toBe(digestOf(victors));
      expect(xmlsecPreData(ours).preDigest).toBe(xmlsecPreData(victors).preDigest);
    },
    ['samples'],
  );

  it('keeps values untouched, including escaped characters', async () => {
    const seed =
      '<SemillaModel xmlns:xsd="urn:b" xmlns:xsi="urn:a"><valor>a&amp;b&lt;c&gt;</valor><fecha>x</fecha></SemillaModel>';
    const signed = signSemilla(seed, identity);
    expect(
      signed.startsWith('<SemillaModel xmlns:xsd="urn:b" xmlns:xsi="urn:a"><valor>a&amp;b&lt;c&gt;</valor>'),
    ).toBe(true);
    await expectVerifiedByAllThree(signed);
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE SemillaModel [<!ENTITY a "b">]><SemillaModel><valor>&a;</valor></SemillaModel>'],
    ['malformed XML', '<SemillaModel><valor></SemillaModel>'],
    ['another root', '<ECF><valor>x</valor></ECF>'],
  ])('refuses a seed with %s', (_label, seed) => {
    expect(() => signSemilla(seed, identity)).toThrow(/seed/);
  });
});

describe('escapeXmlText', () => {
  it('escapes exactly what C14N escapes in text', () => {
    expect(escapeXmlText('a&b<c>d"e\'f\rg\nh\ti')).toBe('a&amp;b&lt;c&gt;d"e\'f&#xD;g\nh\ti');
    const plain = 'ÑAPA & CÍA'.slice(0, 4);
    expect(escapeXmlText(plain)).toBe(plain);
  });
});
