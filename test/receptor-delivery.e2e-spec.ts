import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import {
  guideAcecfExample,
  hasOfficialFiles,
  makeEcf,
  officialDir,
  xmllintValidate,
  xmlsecVerify,
  xsdCheckEnv,
} from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';
import { logCapture } from './support/log-capture';

/** makeEcf's buyer (RNCComprador) for the types that carry one. */
const BUYER = '130000001';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('delivery to the buyer’s electronic receptor (issue 11 §4, e2e over loopback)', () => {
  const { stream: logStream, lines: lines } = logCapture();
  let t: TestApp;
  let token: string;
  let sequence = 500;
  const http = () => request(t.app.getHttpServer());
  const post = (path: string, body: object) =>
    http().post(path).set('X-Api-Key', API_KEY).set('Authorization', `Bearer ${token}`).send(body);
  const admin = (path: string, body: object) =>
    http().post(`/dgii-sandbox/_admin/${path}`).set('X-Api-Key', API_KEY).send(body);
  beforeAll(async () => {
    t = await createTestApp({
      logStream,
      env: {
        ...xsdCheckEnv(),
        DGII_TIMEOUT_MS: '2000',
        DGII_RESULT_WAIT_MS: '3000',
        // The sandbox's receptor listens on loopback; the SSRF block below runs with this off.
        RECEPTOR_ALLOW_PRIVATE_ADDRESSES: 'true',
        RECEPTOR_TIMEOUT_MS: '1500',
      },
    });
    token = await openSession(t.app);
    // "RNC 130000001 receives at the sandbox's built-in receptor".
    await admin('directory', { rnc: BUYER }).expect(201);
  });
  afterAll(() => t.close());
  afterEach(() => http().delete('/dgii-sandbox/_admin/faults').set('X-Api-Key', API_KEY).expect(204));

  it('deliverToReceptor: DGII accepts, then the buyer’s receptor answers a signed ARECF', async () => {
    const res = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
      deliverToReceptor: true,
    }).expect(200);
    expect(res.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado' });
    const { receptor } = res.body as {
      receptor: { url: string; arecf: { estado: string; codigoMotivoNoRecibido: null; signedXml: string } };
    };
    expect(receptor.url).toMatch(new RegExp(`/dgii-sandbox/receptor/${BUYER}/fe/recepcion/api/ecf$`));
    expect(receptor.arecf).toMatchObject({ estado: '0', codigoMotivoNoRecibido: null });
    expect(res.body.receptor.deliveredAt).toMatch(/Z$/);
    const arecf = receptor.arecf.signedXml;
    expect(arecf).toContain(`<eNCF>${res.body.ecfNumber}</eNCF>`);
    expect(arecf).toContain(`<RNCComprador>${BUYER}</RNCComprador>`);
    expect(xmlsecVerify(arecf)).toMatchObject({ ok: true });
    if (hasOfficialFiles('xsd')) {
      expect(xmllintValidate(arecf, join(officialDir('xsd'), 'ARECF-v1.0.xsd'))).toMatchObject({ ok: true });
    }
    // Signed by the sandbox's own generated certificate, not by the issuer's session.
    expect(arecf).toContain('<X509Certificate>');
    expect(arecf).not.toContain(res.body.signedXml.match(/<X509Certificate>([^<]{40})/)[1]);
  });

  it('/ecf/issue with deliverToReceptor: a replay returns the stored ARECF without delivering again', async () => {
    const stats = async (): Promise<number> =>
      (await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY).expect(200)).body.receptor;
    const body = {
      externalDocumentId: '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b',
      ecf: makeEcf('31', { sequence: ++sequence }),
      deliverToReceptor: true,
    };
    const first = await post('/api/v1/ecf/issue', body).expect(200);
    expect(first.body.receptor.arecf).toMatchObject({ estado: '0' });
    const calls = await stats();
    const replay = await post('/api/v1/ecf/issue', body).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(await stats()).toBe(calls);
  });

  it('POST /ecf/deliver: the same e-CF again is an ARECF "no recibido", motive 3 (envío duplicado)', async () => {
    const issued = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
      dryRun: true,
    }).expect(200);
    const first = await post('/api/v1/ecf/deliver', { signedXml: issued.body.signedXml }).expect(200);
    expect(first.body.receptor.arecf).toMatchObject({ estado: '0' });
    const again = await post('/api/v1/ecf/deliver', { signedXml: issued.body.signedXml }).expect(200);
    expect(again.body).toMatchObject({
      ecfNumber: issued.body.ecfNumber,
      receptor: { arecf: { estado: '1', codigoMotivoNoRecibido: '3' } },
    });
    expect(xmlsecVerify(again.body.receptor.arecf.signedXml)).toMatchObject({ ok: true });
  });

  it('a receptor that is down gives receptor.error while the issue stays a success', async () => {
    const rnc = '130000002';
    await admin('directory', { rnc, urlRecepcion: `http://127.0.0.1:${await closedPort()}` }).expect(201);
    const res = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', {
        sequence: ++sequence,
        patch: { Encabezado: { Comprador: { RNCComprador: rnc } } },
      }),
      deliverToReceptor: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado' });
    expect(res.body.receptor).toEqual({
      url: expect.stringMatching(/\/fe\/recepcion\/api\/ecf$/),
      error: expect.stringMatching(/could not reach the receptor/),
    });
  });

  it('a receptor that answers 500 or hangs is an error, never a failed issue', async () => {
    await admin('faults', { kind: '500', next: 1, path: `receptor/${BUYER}/fe/recepcion` }).expect(201);
    const failed = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
      deliverToReceptor: true,
    }).expect(200);
    expect(failed.body.receptor.error).toMatch(/HTTP 500/);
    await admin('faults', { kind: 'timeout', next: 1, path: `receptor/${BUYER}/fe/recepcion` }).expect(201);
    const hung = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
      deliverToReceptor: true,
    }).expect(200);
    expect(hung.body).toMatchObject({
      success: true,
      receptor: { error: expect.stringMatching(/within 1500 ms/) },
    });
  });

  it('names why nothing was delivered: no directory entry, a type that is not sent between taxpayers', async () => {
    const unknownBuyer = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', {
        sequence: ++sequence,
        patch: { Encabezado: { Comprador: { RNCComprador: '130000099' } } },
      }),
      deliverToReceptor: true,
    }).expect(200);
    expect(unknownBuyer.body.receptor).toEqual({
      error: "DGII's directory has no receptor for RNC 130000099",
    });
    const consumo = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('43', { sequence: ++sequence }),
      dryRun: true,
    }).expect(200);
    const refused = await post('/api/v1/ecf/deliver', { signedXml: consumo.body.signedXml }).expect(200);
    expect(refused.body.receptor.error).toMatch(/not sent to a receptor/);
  });

  it('ACECF with deliverToReceptor: DGII takes its copy, then the issuer’s urlAceptacion answers 200', async () => {
    const acecf = guideAcecfExample();
    await admin('directory', { rnc: acecf.rncEmisor }).expect(201);
    const res = await post('/api/v1/acecf/issue', { ...acecf, deliverToReceptor: true }).expect(200);
    expect(res.body).toMatchObject({
      success: true,
      receptor: {
        url: expect.stringMatching(/\/fe\/aprobacioncomercial\/api\/ecf$/),
        aprobacion: { accepted: true, httpStatus: 200 },
      },
    });
  });

  it('never logs a receptor or DGII token', () => {
    const text = lines.join('\n');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    expect(text).not.toContain(token);
  });
});

describe('SSRF: receptor URLs into private networks are refused outside development (e2e)', () => {
  let t: TestApp;
  let token: string;
  const http = () => request(t.app.getHttpServer());
  const post = (path: string, body: object) =>
    http().post(path).set('X-Api-Key', API_KEY).set('Authorization', `Bearer ${token}`).send(body);

  beforeAll(async () => {
    t = await createTestApp({ env: { ...xsdCheckEnv(), RECEPTOR_ALLOW_PRIVATE_ADDRESSES: 'false' } });
    token = await openSession(t.app);
  });
  afterAll(() => t.close());

  it.each([
    ['loopback by name', 'http://localhost:9/fe'],
    ['loopback literal', 'http://127.0.0.1:9'],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data'],
    ['RFC 1918', 'http://10.0.0.5'],
    ['IPv6 loopback', 'http://[::1]:9'],
    ['IPv4-mapped IPv6', 'http://[::ffff:7f00:1]:9'],
  ])('%s', async (_name, url) => {
    await http()
      .post('/dgii-sandbox/_admin/directory')
      .set('X-Api-Key', API_KEY)
      .send({ rnc: BUYER, urlRecepcion: url })
      .expect(201);
    const before = (await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY)).body.receptor;
    const issued = await post('/api/v1/ecf/issue-stateless', { ecf: makeEcf('31'), dryRun: true }).expect(
      200,
    );
    const res = await post('/api/v1/ecf/deliver', { signedXml: issued.body.signedXml }).expect(200);
    expect(res.body.receptor.error).toMatch(/private, loopback or link-local; refused outside development/);
    const after = (await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY)).body.receptor;
    expect(after).toBe(before);
  });

  it('refuses the sandbox’s own built-in receptor too, since it is on loopback', async () => {
    await http()
      .post('/dgii-sandbox/_admin/directory')
      .set('X-Api-Key', API_KEY)
      .send({ rnc: BUYER })
      .expect(201);
    const issued = await post('/api/v1/ecf/issue-stateless', { ecf: makeEcf('31'), dryRun: true }).expect(
      200,
    );
    const res = await post('/api/v1/ecf/deliver', { signedXml: issued.body.signedXml }).expect(200);
    expect(res.body.receptor.error).toMatch(/127\.0\.0\.1 is private/);
  });
});
