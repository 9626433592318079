import { signCanonicalXml } from '@app/signing';
import {
  allEcfFixtures,
  describeIfOfficialFiles,
  FIXTURE_SIGNED_AT,
  makeEcf,
  officialDir,
  testIdentity,
  type TestIdentity,
  xmlsecVerify,
} from '@app/testing';
import { buildDocument } from '../builder';
import { acecfFromRequest, arecfFromRequest, anecfFromRequest } from '../receptor';
import { rfceFromEcf32 } from '../rfce';
import { XsdValidator } from '../xsd';

// Every suite here needs DGII's official files: without them it is skipped and counted in the summary.
const describe = describeIfOfficialFiles('xsd');

/**
 * End of the pipeline: every fixture, built and signed with the canonical signer, is valid against
 * the official XSD (libxml2-wasm) — the oracle that the builder's own checks agree with DGII's schema.
 */
describe('fixtures built, signed and XSD-validated', () => {
  let xsd: XsdValidator;
  let identity: TestIdentity;

  beforeAll(async () => {
    xsd = await XsdValidator.load(officialDir('xsd'));
    identity = await testIdentity();
  });

  afterAll(() => xsd?.dispose());

  it.each(allEcfFixtures().map((f) => [f.type, f.scenario, f.json] as const))(
    'e-CF %s %s',
    (type, _scenario, json) => {
      const signed = signCanonicalXml(
        buildDocument(type, json, { fechaHoraFirma: FIXTURE_SIGNED_AT }),
        identity,
      );
      expect(xsd.validate(type, signed.xml)).toEqual({ valid: true });
    },
  );

  it('signs the RFCE of a consumo invoice with the security code of the full invoice', () => {
    const ecf = makeEcf('32', { scenario: 'anonymous' });
    const full = signCanonicalXml(buildDocument('32', ecf, { fechaHoraFirma: FIXTURE_SIGNED_AT }), identity);
    const rfce = signCanonicalXml(buildDocument('RFCE', rfceFromEcf32(ecf, full.securityCode)), identity);
    expect(xsd.validate('RFCE', rfce.xml)).toEqual({ valid: true });
    expect(rfce.xml).toContain(`<CodigoSeguridadeCF>${full.securityCode}</CodigoSeguridadeCF>`);
  });

  it('builds XSD-valid ACECF, ARECF and ANECF documents', () => {
    const at = '24-04-2026 14:05:09';
    const docs = [
      [
        'ACECF',
        acecfFromRequest(
          {
            rncEmisor: '131793916',
            rncComprador: '40209547971',
            eNCF: 'E310000000005',
            fechaEmisionOriginal: '2026-04-24',
            montoTotalOriginal: 1180,
            estado: 2,
            detalleMotivoRechazo: 'Precio & cantidad',
          },
          at,
        ),
      ],
      [
        'ARECF',
        arecfFromRequest(
          {
            rncEmisor: '131793916',
            rncComprador: '40209547971',
            eNCF: 'E310000000005',
            estado: 1,
            codigoMotivoNoRecibido: 4,
          },
          at,
        ),
      ],
      [
        'ANECF',
        anecfFromRequest(
          {
            rncEmisor: '131793916',
            anulaciones: [{ tipoeCF: 31, rangos: [{ desde: 'E310000000010', hasta: 'E310000000019' }] }],
          },
          at,
        ),
      ],
    ] as const;
    for (const [kind, json] of docs) {
      expect(xsd.validate(kind, signCanonicalXml(buildDocument(kind, json), identity).xml)).toEqual({
        valid: true,
      });
    }
  });

  it('produces signatures an independent verifier accepts (xmlsec1), also with hostile text and the empty Comprador', () => {
    for (const [type, scenario] of [
      ['31', 'rich-text'],
      ['32', 'anonymous'],
    ] as const) {
      const signed = signCanonicalXml(
        buildDocument(type, makeEcf(type, { scenario }), { fechaHoraFirma: FIXTURE_SIGNED_AT }),
        identity,
      );
      const result = xmlsecVerify(signed.xml);
      expect(result.output).toMatch(/OK|^$/);
      expect(result.ok).toBe(true);
    }
  });
});
