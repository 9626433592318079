import request from 'supertest';
import type { EcfType } from '@app/xml-builder';
import { decodeQr, describeWithRiTools, makeEcf, pdfText, renderPage, xsdCheckEnv } from '@app/testing';
import { startCountingServer, CountingServer } from './support/counting-server';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';
import { logCapture } from './support/log-capture';

const TYPES: readonly EcfType[] = ['31', '32', '33', '34', '41', '43', '44', '45', '46', '47'];

describe('printed representation routes (e2e)', () => {
  const { stream: stream, lines: lines } = logCapture();
  let t: TestApp;
  let dgii: CountingServer;
  let token: string;
  const http = () => request(t.app.getHttpServer());
  const issue = (body: object) =>
    http()
      .post('/api/v1/ecf/issue-stateless')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .send(body);
  const generate = (body: object) =>
    http()
      .post('/api/v1/ri/generate')
      .set('X-Api-Key', API_KEY)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .send(body);
  const json = (res: { body: Buffer }) => JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;

  beforeAll(async () => {
    // Dry runs only: every DGII base points at a listener that counts connections.
    dgii = await startCountingServer();
    const env: Record<string, string> = { DGII_TARGET: 'dgii', ...xsdCheckEnv() };
    for (const e of ['TEST', 'CERTIFICATION', 'PRODUCTION']) {
      env[`DGII_BASE_URL_${e}`] = `${dgii.url}/ecf`;
      env[`DGII_FC_BASE_URL_${e}`] = `${dgii.url}/fc`;
    }
    t = await createTestApp({ env, logStream: stream });
    token = await openSession(t.app);
  });
  afterAll(async () => {
    await t.close();
    await dgii.close();
  });
  afterEach(() => expect(dgii.connections()).toBe(0));

  it('POST /api/v1/ri/generate needs the API key and no session, and answers a PDF', async () => {
    const issued = await issue({ ecf: makeEcf('31'), dryRun: true }).expect(200);
    await http().post('/api/v1/ri/generate').send({ signedXml: issued.body.signedXml }).expect(401);
    const res = await generate({ signedXml: issued.body.signedXml }).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="131793916${issued.body.ecfNumber}.pdf"`,
    );
    expect(res.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('a tampered or unsigned document is a 422 RI_DOCUMENT_INVALID naming why', async () => {
    const issued = await issue({ ecf: makeEcf('31'), dryRun: true }).expect(200);
    const signed = issued.body.signedXml as string;
    const tampered = signed.replace(/<MontoTotal>[^<]+<\/MontoTotal>/, '<MontoTotal>1.00</MontoTotal>');
    const bad = await generate({ signedXml: tampered }).expect(422);
    expect(json(bad)).toMatchObject({
      code: 'RI_DOCUMENT_INVALID',
      message: expect.stringMatching(/^the signedXml is refused: signature does not verify/),
    });
    const unsigned = signed.replace(/<Signature[\s\S]*<\/Signature>/, '');
    const refused = json(await generate({ signedXml: unsigned }).expect(422));
    expect(refused.message).toBe('the signedXml is refused: expected exactly one Signature element, found 0');
    // The envelope never echoes the document back.
    expect(JSON.stringify(refused)).not.toContain('<ECF>');
  });

  it('refuses a malformed body with VALIDATION_FAILED, on the RI route and on the issue routes', async () => {
    const res = await generate({ signedXml: '<ECF/>', format: 'A5' }).expect(400);
    expect(json(res)).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'format' }] });
    const missing = await generate({}).expect(400);
    expect(json(missing)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((json(missing).details as { path: string }[]).map((d) => d.path)).toContain('signedXml');
    const onIssue = await issue({ ecf: makeEcf('31'), dryRun: true, ri: { format: 'A5' } }).expect(400);
    expect(onIssue.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'ri.format' }] });
  });

  it('issue routes without ri return no riPdfBase64', async () => {
    const res = await issue({ ecf: makeEcf('31'), dryRun: true }).expect(200);
    expect(res.body).not.toHaveProperty('riPdfBase64');
  });

  it('logs neither the API key nor the session bearer', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(API_KEY);
      expect(line).not.toContain(token);
    }
  });

  describeWithRiTools('the RI of every type, read back with poppler and zbar', () => {
    it.each(TYPES)('e-CF %s: ri on a dry run gives the PDF whose QR is exactly qrUrl', async (type) => {
      const res = await issue({ ecf: makeEcf(type), dryRun: true, ri: { format: 'letter' } }).expect(200);
      const body = res.body as Record<string, string>;
      expect(typeof body.riPdfBase64).toBe('string');
      const pdf = Buffer.from(body.riPdfBase64, 'base64');
      expect(decodeQr(renderPage(pdf, 1, 150).png)).toEqual([body.qrUrl]);
      const text = pdfText(pdf).replace(/[ \t]+/g, ' ');
      expect(text).toContain(`e-NCF: ${body.ecfNumber}`);
      expect(text).toContain(`Código de Seguridad: ${body.securityCode}`);
      // The RI route gives the same bytes from the same signed XML.
      const again = await generate({ signedXml: body.signedXml }).expect(200);
      expect(again.body.equals(pdf)).toBe(true);
    });

    it('a type 32 under RD$250,000 (sent as RFCE) prints the ConsultaTimbreFC QR of the issue response', async () => {
      const res = await issue({
        ecf: makeEcf('32', { scenario: 'anonymous' }),
        dryRun: true,
        environment: 'TEST',
        ri: { format: '80mm' },
      }).expect(200);
      expect(res.body.rfceSignedXml).toBeDefined();
      expect(res.body.qrUrl).toContain('https://fc.dgii.gov.do/testecf/ConsultaTimbreFC?');
      const pdf = Buffer.from(res.body.riPdfBase64 as string, 'base64');
      expect(decodeQr(renderPage(pdf, 1, 150).png)).toEqual([res.body.qrUrl]);
    });
  });
});
