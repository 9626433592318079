import { join } from 'node:path';
import { ManualClock } from '@app/common';
import { loadConfig } from '@app/config';
import { signingIdentityOf, SigningIdentity, verifyXmlSignature } from '@app/signing';
import { XsdCheck } from '@app/xml-builder';
import {
  describeWithOfficialFiles,
  FIXTURE_RNC_EMISOR,
  makeEcf,
  officialDir,
  testIdentity,
  xmllintValidate,
  xmlsecVerify,
} from '@app/testing';
import { DocumentSigner } from './document-signer.service';

/** 2026-04-01 10:15:00 in Santo Domingo (UTC−4). */
const NOW = Date.parse('2026-04-01T14:15:00Z');

describeWithOfficialFiles('DocumentSigner with a bare SigningIdentity (no session)', () => {
  let xsd: XsdCheck;
  let signer: DocumentSigner;
  let identity: SigningIdentity;

  beforeAll(async () => {
    xsd = new XsdCheck(loadConfig({ DGII_XSD_DIR: officialDir('xsd') }));
    await xsd.onModuleInit();
    signer = new DocumentSigner(new ManualClock(NOW), xsd);
    // Only a key and its certificate: nothing here is, or comes from, a session.
    identity = signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' });
  });
  afterAll(() => xsd.onModuleDestroy());

  it('reads the certificate facts into the identity', () => {
    expect(identity.signerCedula).toMatch(/^\d{11}$/);
    expect(identity.subjectDn).toContain('CN=');
    expect(identity.notAfter).toBeGreaterThan(identity.notBefore);
  });

  it('signs an e-CF that is XSD-valid and verifies with xmlsec1 and xadesjs', async () => {
    const signed = await signer.sign('31', makeEcf('31'), identity);
    expect(xsd.enabled).toBe(true);
    // xmllint (system libxml2) needs the minimally patched copy of DGII's XSD (xsd/SOURCES.md).
    expect(
      xmllintValidate(signed.xml, join(officialDir('xsd'), 'libxml2-compat', 'e-CF-31-v1.0.xsd')),
    ).toMatchObject({
      ok: true,
    });
    expect(xmlsecVerify(signed.xml)).toMatchObject({ ok: true });
    expect(await verifyXmlSignature(signed.xml)).toMatchObject({ valid: true });
    expect(signed.xml).toContain(`<X509Certificate>${identity.certificate.raw.toString('base64')}`);
  });

  it('returns the facts the builder wrote, exactly as signed', async () => {
    const signed = await signer.sign('31', makeEcf('31'), identity);
    const text = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(signed.xml)?.[1];
    expect(signed.facts).toMatchObject({
      TipoeCF: '31',
      eNCF: text('eNCF'),
      RNCEmisor: FIXTURE_RNC_EMISOR,
      RNCComprador: text('RNCComprador'),
      FechaEmision: text('FechaEmision'),
      MontoTotal: text('MontoTotal'),
      FechaHoraFirma: '01-04-2026 10:15:00',
    });
    expect(signed.fechaHoraFirma).toBe('01-04-2026 10:15:00');
  });
});
