import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeWithOfficialFiles,
  hasOfficialFiles,
  officialDir,
  TestIdentity,
  testIdentity,
  xmlCryptoVerify,
  XMLSEC_SIGNATURE_TEMPLATE,
  xmlsecSign,
  xmlsecVerify,
  xmlsecVerifyFile,
} from '@app/testing';
import { makeCanonicalEcf } from './testing/ecf.fixture';
import { signCanonicalXml } from './xml-signer';
import { verifyXmlSignature } from './xml-verifier';

const samplesDir = officialDir('samples');
// Without the samples the suite is skipped; it.each still needs a non-empty table to declare it.
const signedSamples = hasOfficialFiles('samples')
  ? readdirSync(samplesDir)
      .filter((f) => f.endsWith('.xml'))
      .filter((f) => readFileSync(join(samplesDir, f), 'utf8').includes('<Signature'))
  : ['(no samples)'];

function sample(name: string): string {
  return readFileSync(join(samplesDir, name), 'utf8');
}

/** Changes one digit of the first text value that holds one (outside the Signature). */
function tamperOneValue(xml: string): string {
  const body = xml.slice(0, xml.indexOf('<Signature'));
  const match = /<([A-Za-z]+)>([^<]*?)(\d)([^<]*)<\/\1>/.exec(body);
  if (!match) throw new Error('nothing to tamper with');
  const digit = match[3] === '9' ? '8' : String(Number(match[3]) + 1);
  const edited = `<${match[1]}>${match[2]}${digit}${match[4]}</${match[1]}>`;
  return xml.slice(0, match.index) + edited + xml.slice(match.index + match[0].length);
}

describeWithOfficialFiles(
  'verifyXmlSignature on the DGII samples',
  () => {
    it('finds the signed samples', () => {
      expect(signedSamples.length).toBeGreaterThanOrEqual(11);
    });

    it.each(signedSamples)('agrees with xmlsec1 on %s', async (name) => {
      const xmlsec = xmlsecVerifyFile(join(samplesDir, name));
      const result = await verifyXmlSignature(sample(name));
      expect({ name, valid: result.valid }).toEqual({ name, valid: xmlsec.ok });
    });

    it.each(signedSamples.filter((n) => xmlsecVerifyFile(join(samplesDir, n)).ok))(
      'rejects %s with one text value edited',
      async (name) => {
        const tampered = tamperOneValue(sample(name));
        expect(xmlsecVerify(tampered).ok).toBe(false);
        expect(await verifyXmlSignature(tampered)).toMatchObject({
          valid: false,
          reason: expect.stringMatching(/digest/i),
        });
      },
    );

    it('returns the signer certificate and the SignatureValue (security code AI7Q2d, PROTOCOL §3.4)', async () => {
      const result = await verifyXmlSignature(
        sample('ecf31-signed-by-dgii-emisorreceptor-131880738E310000000002.xml'),
      );
      if (!result.valid) throw new Error(result.reason);
      expect(result.signatureValue.slice(0, 6)).toBe('AI7Q2d');
      expect(result.certificate.subject).toContain('00199999996');
    });

    it('verifies the re-indented samples once their inter-element whitespace is removed (PROTOCOL §3.2)', async () => {
      const indented = sample('arecf-signed-victors-customer_receipt.xml');
      expect(await verifyXmlSignature(indented)).toMatchObject({ valid: false });
      expect(await verifyXmlSignature(indented.replace(/>\s+</g, '><'))).toMatchObject({ valid: true });
    });
  },
  ['samples'],
);

describe('verifyXmlSignature on documents we sign', () => {
  let identity: TestIdentity;
  beforeAll(async () => {
    identity = await testIdentity();
  });

  it('accepts our output and reports our certificate', async () => {
    const signed = signCanonicalXml(makeCanonicalEcf(), identity);
    const result = await verifyXmlSignature(signed.xml);
    expect(result).toMatchObject({ valid: true, signatureValue: signed.signatureValue });
    if (result.valid) expect(result.certificate.fingerprint256).toBe(identity.certificate.fingerprint256);
  });

  it('rejects a document re-indented after signing', async () => {
    const signed = signCanonicalXml(makeCanonicalEcf(), identity).xml;
    expect(await verifyXmlSignature(signed.replace(/<Encabezado>/, '\n  <Encabezado>'))).toMatchObject({
      valid: false,
    });
  });

  it('accepts a document that was signed indented, with a declaration and a BOM (signed by xmlsec1)', async () => {
    const template = `<?xml version="1.0" encoding="UTF-8"?>\n<ARECF>\n\t<DetalleAcusedeRecibo>\n\t\t<Version>1.0</Version>\n\t</DetalleAcusedeRecibo>\n\t${XMLSEC_SIGNATURE_TEMPLATE}\n</ARECF>\n`;
    const signed = xmlsecSign(template);
    expect(signed).toMatch(/\n\t\t<Version>/);
    expect(await verifyXmlSignature(signed)).toMatchObject({ valid: true });
    expect(await verifyXmlSignature(`\ufeff${signed}`)).toMatchObject({ valid: true });
  });

  it('verifies a signed U+FFFD: the parser warns about it, but it is a legal XML character', async () => {
    const template = `<ECF><A>caf\ufffd</A>${XMLSEC_SIGNATURE_TEMPLATE}</ECF>`;
    const signed = xmlsecSign(template).replace('&#xFFFD;', '\ufffd');
    expect(signed).toContain('caf\ufffd</A>');
    expect(xmlsecVerify(signed).ok).toBe(true);
    expect(await verifyXmlSignature(signed)).toMatchObject({ valid: true });
    const ours = signCanonicalXml(makeCanonicalEcf().replace('</Version>', '\ufffd</Version>'), identity);
    expect(await verifyXmlSignature(ours.xml)).toMatchObject({ valid: true });
  });

  it('still rejects a tampered document that carries a U+FFFD', async () => {
    const signed = xmlsecSign(`<ECF><A>caf\ufffd 1</A>${XMLSEC_SIGNATURE_TEMPLATE}</ECF>`).replace(
      '&#xFFFD;',
      '\ufffd',
    );
    const tampered = signed.replace('\ufffd 1', '\ufffd 2');
    expect(xmlsecVerify(tampered).ok).toBe(false);
    expect(await verifyXmlSignature(tampered)).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/digest/i),
    });
  });

  it('verifies U+2028/U+0085 in content as XML 1.0 does (xmlsec1), where default @xmldom folds them to LF', async () => {
    const template = `<ECF><A>x\u2028y\u0085z</A>${XMLSEC_SIGNATURE_TEMPLATE}</ECF>`;
    // xmlsec1 writes them as character references; put the literal characters back.
    const signed = xmlsecSign(template).replace('&#x2028;', '\u2028').replace('&#x85;', '\u0085');
    expect(signed).toContain('x\u2028y\u0085z');
    expect(xmlsecVerify(signed).ok).toBe(true);
    expect(xmlCryptoVerify(signed).ok).toBe(false); // crypto-lab §2.5.2
    expect(await verifyXmlSignature(signed)).toMatchObject({ valid: true });
  });

  describe('signature wrapping and profile violations', () => {
    let signed: string;
    beforeAll(() => {
      signed = signCanonicalXml(makeCanonicalEcf(), identity).xml;
    });

    it('rejects the signed document wrapped under a forged root', async () => {
      const forged = `<ECF><Encabezado><Totales><MontoTotal>1.00</MontoTotal></Totales></Encabezado>${signed}</ECF>`;
      expect(await verifyXmlSignature(forged)).toMatchObject({
        valid: false,
        reason: expect.stringMatching(/last child/),
      });
    });

    it('rejects forged content after the Signature', async () => {
      const forged = signed.replace('</Signature></ECF>', '</Signature><MontoTotal>1.00</MontoTotal></ECF>');
      expect(await verifyXmlSignature(forged)).toMatchObject({
        valid: false,
        reason: expect.stringMatching(/last child/),
      });
    });

    it('rejects the original content hidden in a Signature Object next to edited content', async () => {
      const original = signed.slice('<ECF>'.length, signed.indexOf('<Signature'));
      const forged = signed
        .replace('<MontoTotal>118.00</MontoTotal>', '<MontoTotal>1.00</MontoTotal>')
        .replace('</KeyInfo></Signature>', `</KeyInfo><Object><ECF>${original}</ECF></Object></Signature>`);
      expect(await verifyXmlSignature(forged)).toMatchObject({
        valid: false,
        reason: expect.stringMatching(/children/),
      });
    });

    it('rejects a second Signature', async () => {
      const sig = signed.slice(signed.indexOf('<Signature'), -'</ECF>'.length);
      const forged = signed.replace('<DetallesItems>', `<DetallesItems>${sig}`);
      expect(await verifyXmlSignature(forged)).toMatchObject({
        valid: false,
        reason: expect.stringMatching(/exactly one Signature/),
      });
    });

    it.each([
      [
        'a Reference to an Id',
        (x: string) => x.replace('<Reference URI="">', '<Reference URI="#x">'),
        /URI=""/,
      ],
      ['a Reference without URI', (x: string) => x.replace('<Reference URI="">', '<Reference>'), /URI=""/],
      [
        'an XPath transform',
        (x: string) =>
          x.replace(
            '</Transforms>',
            '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><XPath>1</XPath></Transform></Transforms>',
          ),
        /Transforms/,
      ],
      [
        'rsa-sha1',
        (x: string) => x.replace('xmldsig-more#rsa-sha256', 'xmldsig#rsa-sha1'),
        /SignatureMethod/,
      ],
      [
        'hmac',
        (x: string) => x.replace('xmldsig-more#rsa-sha256', 'xmldsig-more#hmac-sha256'),
        /SignatureMethod/,
      ],
      ['no KeyInfo', (x: string) => x.replace(/<KeyInfo>.*<\/KeyInfo>/, ''), /KeyInfo/],
    ])('rejects %s', async (_label, edit, reason) => {
      expect(await verifyXmlSignature(edit(signed))).toMatchObject({
        valid: false,
        reason: expect.stringMatching(reason),
      });
    });

    it('rejects an unsigned document', async () => {
      expect(await verifyXmlSignature(makeCanonicalEcf())).toMatchObject({ valid: false });
    });
  });
});

describe('verifyXmlSignature on hostile input (crypto-lab §5)', () => {
  async function refusedAtTheGuard(xml: string, reason: RegExp): Promise<void> {
    // The reason shows it was refused at the guard, before any expansion or digest work.
    const result = await verifyXmlSignature(xml);
    expect(result).toMatchObject({ valid: false, reason: expect.stringMatching(reason) });
  }

  it('refuses billion laughs', async () => {
    const entities = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY e0 "lol">' : `<!ENTITY e${i} "${`&e${i - 1};`.repeat(10)}">`,
    ).join('');
    await refusedAtTheGuard(`<?xml version="1.0"?><!DOCTYPE ECF [${entities}]><ECF>&e9;</ECF>`, /DOCTYPE/);
  });

  it('refuses XXE, also after a BOM', async () => {
    await refusedAtTheGuard(
      '\ufeff<!DOCTYPE ECF [<!ENTITY x SYSTEM "file:///etc/passwd">]><ECF>&x;</ECF>',
      /DOCTYPE/,
    );
  });

  it('refuses 100,000 nested elements before parsing', async () => {
    await refusedAtTheGuard(`${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`, /deeper than 64/);
  });

  it('refuses documents over the size cap', async () => {
    const result = await verifyXmlSignature(makeCanonicalEcf(), { maxBytes: 1000 });
    expect(result).toMatchObject({ valid: false, reason: expect.stringMatching(/larger than 1000/) });
  });

  it('refuses malformed XML and undeclared entities instead of parsing leniently', async () => {
    await refusedAtTheGuard('<ECF><A>&nbsp;</A></ECF>', /well-formed/);
    await refusedAtTheGuard('<ECF><A></ECF>', /well-formed/);
  });
});
