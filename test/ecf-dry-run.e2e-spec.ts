import { resolve } from 'node:path';
import request from 'supertest';
import { verifyXmlSignature } from '@app/signing';
import {
  allEcfFixtures,
  describeIfOfficialFiles,
  guideAcecfExample,
  guideEcfExample,
  makeEcf,
  officialDir,
  xmllintValidate,
  xmlsecVerify,
} from '@app/testing';
import { startCountingServer, CountingServer } from './support/counting-server';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

const xsdDir = officialDir('xsd');
const xsdFile = (name: string) => {
  const compat = resolve(xsdDir, 'libxml2-compat', name);
  return ['e-CF-31-v1.0.xsd', 'RFCE-32-v1.0.xsd', 'ACECF-v1.0.xsd'].includes(name)
    ? compat
    : resolve(xsdDir, name);
};

// Every suite here needs DGII's official files: without them it is skipped and counted in the summary.
const describe = describeIfOfficialFiles('xsd');

const GUIDE_EXAMPLE = { ...guideEcfExample(), environment: 'CERTIFICATION' };

function signatureValueOf(xml: string): string {
  return /<SignatureValue>([^<]+)<\/SignatureValue>/.exec(xml)?.[1] ?? '';
}

describe('document engine: dry runs for every e-CF type (e2e)', () => {
  let t: TestApp;
  let dgii: CountingServer;
  let token: string;
  const http = () => request(t.app.getHttpServer());
  const issue = (body: object, path = '/api/v1/ecf/issue-stateless', bearer = token) =>
    http().post(path).set('X-Api-Key', API_KEY).set('Authorization', `Bearer ${bearer}`).send(body);

  beforeAll(async () => {
    // Every DGII base points at a listener that counts connections: dry runs must make none.
    dgii = await startCountingServer();
    const env: Record<string, string> = { DGII_TARGET: 'dgii', DGII_XSD_DIR: xsdDir };
    for (const e of ['TEST', 'CERTIFICATION', 'PRODUCTION']) {
      env[`DGII_BASE_URL_${e}`] = `${dgii.url}/ecf`;
      env[`DGII_FC_BASE_URL_${e}`] = `${dgii.url}/fc`;
    }
    t = await createTestApp({ env });
    token = await openSession(t.app);
  });
  afterAll(async () => {
    await t.close();
    await dgii.close();
  });
  afterEach(() => expect(dgii.connections()).toBe(0));

  const fixtures = allEcfFixtures();

  it.each(fixtures.map((f) => [f.type, f.scenario, f.json] as const))(
    'e-CF %s (%s): XSD-valid (libxml2-wasm and xmllint), verified by xmlsec1 and xadesjs',
    async (type, _scenario, json) => {
      const res = await issue({ ecf: json, dryRun: true }).expect(200);
      const body = res.body;
      expect(body).toMatchObject({
        success: true,
        trackId: null,
        dgiiEstado: 'No enviado',
        submittedAt: null,
      });
      expect(body.ecfNumber).toMatch(new RegExp(`^E${type}\\d{10}$`));
      expect(body.securityCode).toBe(signatureValueOf(body.signedXml).slice(0, 6));
      expect(body.signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-04:00$/);
      const [, d, m, y, hms] =
        /<FechaHoraFirma>(\d\d)-(\d\d)-(\d{4}) ([\d:]{8})<\/FechaHoraFirma><Signature/.exec(
          body.signedXml,
        ) as RegExpExecArray;
      expect(body.signedAt).toBe(`${y}-${m}-${d}T${hms}-04:00`);

      expect(xmlsecVerify(body.signedXml)).toMatchObject({ ok: true });
      expect(await verifyXmlSignature(body.signedXml)).toMatchObject({ valid: true });
      expect(xmllintValidate(body.signedXml, xsdFile(`e-CF-${type}-v1.0.xsd`))).toMatchObject({ ok: true });

      const viaRfce = type === '32' && Number(/<MontoTotal>([^<]+)</.exec(body.signedXml)?.[1]) < 250_000;
      if (viaRfce) {
        expect(body.qrUrl).toContain('https://fc.dgii.gov.do/certecf/ConsultaTimbreFC?');
        expect(body.rfceSignedXml).toContain(`<CodigoSeguridadeCF>${body.securityCode}</CodigoSeguridadeCF>`);
        expect(xmlsecVerify(body.rfceSignedXml)).toMatchObject({ ok: true });
        expect(xmllintValidate(body.rfceSignedXml, xsdFile('RFCE-32-v1.0.xsd'))).toMatchObject({ ok: true });
      } else {
        expect(body.qrUrl).toContain('https://ecf.dgii.gov.do/certecf/ConsultaTimbre?');
        expect(body.qrUrl).toContain(`CodigoSeguridad=${encodeURIComponent(body.securityCode)}`);
        expect(body.rfceSignedXml).toBeUndefined();
      }
    },
  );

  it("the guide's flat example issues as written", async () => {
    const res = await issue({ ...GUIDE_EXAMPLE, dryRun: true }).expect(200);
    expect(res.body.ecfNumber).toBe('E310000000005');
    expect(res.body.signedXml).toContain('<MontoTotal>1180.00</MontoTotal>');
    expect(res.body.signedXml).toContain('<FechaEmision>24-04-2026</FechaEmision>');
    expect(xmlsecVerify(res.body.signedXml)).toMatchObject({ ok: true });
  });

  it('a flat field contradicting its ecf element is a 400 naming both', async () => {
    const res = await issue({
      ...GUIDE_EXAMPLE,
      dryRun: true,
      ecf: { Encabezado: { Comprador: { RNCComprador: '101010101' } } },
    }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.details)).toContain('RNCComprador');
  });

  it('business rules → 422 XML_BUILD_FAILED with one detail per broken rule and its JSON path', async () => {
    const bad = makeEcf('31', {
      patch: { Encabezado: { Totales: { MontoTotal: 999999.99 }, IdDoc: { eNCF: 'E320000000001' } } },
    });
    const res = await issue({ ecf: bad, dryRun: true }).expect(422);
    expect(res.body.code).toBe('XML_BUILD_FAILED');
    const rules = (res.body.details as { rule: string; path: string }[]).map((d) => d.rule);
    expect(rules).toEqual(expect.arrayContaining(['encf-prefix', 'monto-total']));
    expect(res.body.details.every((d: { path?: string }) => typeof d.path === 'string')).toBe(true);
  });

  it.each([
    ['a C0 control character', 'bad\u0001text'],
    ['U+2028', 'line\u2028separator'],
    ['U+0085', 'next\u0085line'],
  ])('%s in text → 400 VALIDATION_FAILED', async (_label, text) => {
    const json = makeEcf('31', {
      patch: { Encabezado: { Comprador: { RazonSocialComprador: text } } },
    });
    const res = await issue({ ecf: json, dryRun: true }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('is deterministic: the same input at the same (injected) instant gives byte-identical output', async () => {
    const json = makeEcf('31');
    const a = await issue({ ecf: json, dryRun: true }).expect(200);
    const b = await issue({ ecf: json, dryRun: true }).expect(200);
    expect(b.body.signedXml).toBe(a.body.signedXml);
    t.clock.advance(1_000);
    const c = await issue({ ecf: json, dryRun: true }).expect(200);
    expect(c.body.signedXml).not.toBe(a.body.signedXml);
  });

  describe('ACECF', () => {
    const acecf = guideAcecfExample();

    it('dry run: signed, XSD-valid, verified, no DGII call', async () => {
      const res = await issue({ ...acecf, dryRun: true }, '/api/v1/acecf/issue').expect(200);
      expect(res.body).toMatchObject({ success: true, dgiiEstado: 'No enviado', trackId: null });
      expect(res.body.signedXml).toContain('<MontoTotal>1180.00</MontoTotal>');
      expect(xmlsecVerify(res.body.signedXml)).toMatchObject({ ok: true });
      expect(xmllintValidate(res.body.signedXml, xsdFile('ACECF-v1.0.xsd'))).toMatchObject({ ok: true });
    });

    it('a rejection needs its reason only with estado 2', async () => {
      const res = await issue(
        { ...acecf, estado: 1, detalleMotivoRechazo: 'no aplica', dryRun: true },
        '/api/v1/acecf/issue',
      ).expect(422);
      expect(res.body.code).toBe('XML_BUILD_FAILED');
    });
  });

  describe('an EC-key session', () => {
    let ecToken: string;
    beforeAll(async () => {
      ecToken = await openSession(t.app, 'ec256-modern-chain');
    });

    it.each([
      ['/api/v1/ecf/issue-stateless', () => ({ ecf: makeEcf('31'), dryRun: true })],
      [
        '/api/v1/ecf/issue',
        () => ({ ecf: makeEcf('31'), dryRun: true, externalDocumentId: crypto.randomUUID() }),
      ],
      [
        '/api/v1/acecf/issue',
        () => ({
          rncEmisor: '131793916',
          rncComprador: '40209547971',
          eNCF: 'E310000000005',
          fechaEmisionOriginal: '2026-04-23',
          montoTotalOriginal: 1180,
          estado: 1,
          dryRun: true,
        }),
      ],
    ])('%s → 500 SIGNING_FAILED, never a signature', async (path, body) => {
      const res = await issue(body(), path, ecToken).expect(500);
      expect(res.body.code).toBe('SIGNING_FAILED');
      expect(JSON.stringify(res.body)).not.toContain('<Signature');
    });
  });
});
