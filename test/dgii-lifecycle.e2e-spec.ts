import { resolve } from 'node:path';
import request from 'supertest';
import { SandboxDirectory } from '@app/dgii-sandbox';
import { verifyXmlSignature } from '@app/signing';
import {
  FIXTURE_RNC_EMISOR,
  itWithOfficialFiles,
  makeEcf,
  officialDir,
  xmllintValidate,
  xmlsecVerify,
  xsdCheckEnv,
} from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';
import { logCapture } from './support/log-capture';

const RNC = FIXTURE_RNC_EMISOR;
const STATUS_KEY = 'dgii-status-key-e2e-5b1f9a';

/**
 * Issue 11 part A over loopback HTTP against the embedded sandbox: the lookups an integrator
 * needs after an unknown outcome, the directory, ANECF and DGII's own service status.
 */
describe('DGII lifecycle: lookups, directory, ANECF, DGII status (e2e)', () => {
  const { stream: logs, lines: lines } = logCapture();
  let t: TestApp;
  let token: string;
  let sequence = 3_000;
  const http = () => request(t.app.getHttpServer());
  const get = (path: string, bearer = token) =>
    http().get(path).set('X-Api-Key', API_KEY).set('Authorization', `Bearer ${bearer}`);
  const post = (path: string, body: object) =>
    http().post(path).set('X-Api-Key', API_KEY).set('Authorization', `Bearer ${token}`).send(body);
  const fault = (kind: string, next: number, path: string) =>
    http()
      .post('/dgii-sandbox/_admin/faults')
      .set('X-Api-Key', API_KEY)
      .send({ kind, next, path })
      .expect(201);
  const issue31 = async () => {
    const res = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
    }).expect(200);
    return res.body as { ecfNumber: string; securityCode: string; trackId: string; signedXml: string };
  };
  const expectEnvelope = (body: Record<string, unknown>, status: number, code: string) =>
    expect(body).toMatchObject({ status, code, requestId: expect.any(String) });

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...xsdCheckEnv(),
        DGII_TIMEOUT_MS: '1500',
        DGII_RESULT_WAIT_MS: '3000',
        DGII_STATUS_API_KEY: STATUS_KEY,
      },
      logStream: logs,
    });
    token = await openSession(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => http().delete('/dgii-sandbox/_admin/faults').set('X-Api-Key', API_KEY).expect(204));

  describe('GET /api/v1/ecf/{eNCF}/track-ids (consulta trackIds)', () => {
    it('lists what DGII holds for the e-NCF, and nothing for one it never got', async () => {
      const issued = await issue31();
      const res = await get(`/api/v1/ecf/${issued.ecfNumber}/track-ids?rncEmisor=${RNC}`).expect(200);
      expect(res.body).toEqual({
        eNCF: issued.ecfNumber,
        rncEmisor: RNC,
        environment: 'CERTIFICATION',
        trackIds: [
          {
            trackId: issued.trackId,
            estado: 'Aceptado',
            fechaRecepcion: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-04:00$/),
            final: true,
            accepted: true,
          },
        ],
      });
      const none = await get(`/api/v1/ecf/E310009999999/track-ids?rncEmisor=${RNC}`).expect(200);
      expect(none.body.trackIds).toEqual([]);
      const otherEnv = await get(
        `/api/v1/ecf/${issued.ecfNumber}/track-ids?rncEmisor=${RNC}&environment=TEST`,
      ).expect(200);
      expect(otherEnv.body).toMatchObject({ environment: 'TEST', trackIds: [] });
    });

    it('answers the error envelope for bad input, no session, DGII refusing and DGII failing', async () => {
      const bad = await get(`/api/v1/ecf/E31XYZ/track-ids?rncEmisor=${RNC}`).expect(400);
      expectEnvelope(bad.body, 400, 'VALIDATION_FAILED');
      expect(bad.body.details).toEqual([expect.objectContaining({ path: 'eNCF' })]);
      const noRnc = await get('/api/v1/ecf/E310000000001/track-ids').expect(400);
      expect(noRnc.body.details).toEqual([expect.objectContaining({ path: 'rncEmisor' })]);
      await get(`/api/v1/ecf/E310000000001/track-ids?rncEmisor=${RNC}&environment=PROD`).expect(400);
      await get(`/api/v1/ecf/E310000000001/track-ids?rncEmisor=${RNC}&extra=1`).expect(400);
      await get(`/api/v1/ecf/E310000000001/track-ids?rncEmisor=${RNC}`, 'not-a-session').expect(401);

      await fault('reject', 1, 'consultatrackids');
      const refused = await get(`/api/v1/ecf/E310000000001/track-ids?rncEmisor=${RNC}`).expect(422);
      expectEnvelope(refused.body, 422, 'DGII_REFUSED');
      expect(refused.body.message).toBe(
        'DGII refused consultaTrackIds: No fue posible procesar la consulta.',
      );

      await fault('500', 1, 'consultatrackids');
      const failed = await get(`/api/v1/ecf/E310000000001/track-ids?rncEmisor=${RNC}`).expect(502);
      expectEnvelope(failed.body, 502, 'INTERNAL_ERROR');
      expect(failed.body.details).toEqual([]);
    });
  });

  describe('GET /api/v1/ecf/{eNCF}/status (consulta estado)', () => {
    it('says an issued e-CF is valid, given its security code; No encontrado otherwise', async () => {
      const issued = await issue31();
      const ok = await get(
        `/api/v1/ecf/${issued.ecfNumber}/status?rncEmisor=${RNC}&rncComprador=130000001&securityCode=${encodeURIComponent(issued.securityCode)}`,
      ).expect(200);
      expect(ok.body).toMatchObject({
        codigo: '1',
        estado: 'Aceptado',
        found: true,
        accepted: true,
        environment: 'CERTIFICATION',
        rncEmisor: RNC,
        ncfElectronico: issued.ecfNumber,
        rncComprador: '130000001',
        codigoSeguridad: issued.securityCode,
      });
      expect(typeof ok.body.montoTotal).toBe('number');
      const other = issued.securityCode === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA';
      const wrong = await get(
        `/api/v1/ecf/${issued.ecfNumber}/status?rncEmisor=${RNC}&securityCode=${other}`,
      ).expect(200);
      expect(wrong.body).toMatchObject({
        codigo: '0',
        estado: 'No encontrado',
        found: false,
        accepted: false,
      });
    });

    it('refuses a malformed security code and passes DGII failures on as 502', async () => {
      const bad = await get(`/api/v1/ecf/E310000000001/status?rncEmisor=${RNC}&securityCode=abc`).expect(400);
      expect(bad.body.details).toEqual([expect.objectContaining({ path: 'securityCode' })]);
      await get(`/api/v1/ecf/E310000000001/status?rncEmisor=${RNC}`).expect(400);
      await fault('timeout', 1, 'consultaestado');
      const failed = await get(
        `/api/v1/ecf/E310000000001/status?rncEmisor=${RNC}&securityCode=AAAAAA`,
      ).expect(502);
      expect(failed.body.message).toMatch(/^DGII submission failed: no answer from DGII within 1500 ms/);
    });
  });

  it('a 502 with an unknown outcome names both routes, filled in, and they answer', async () => {
    await fault('500', 1, 'facturaselectronicas');
    const ecf = makeEcf('31', { sequence: ++sequence });
    const res = await post('/api/v1/ecf/issue-stateless', { ecf }).expect(502);
    const [unknown, signed] = res.body.details as Record<string, unknown>[];
    expect(unknown).toMatchObject({ outcome: 'unknown' });
    expect(unknown.message).toContain('GET /api/v1/ecf/{eNCF}/track-ids');
    const encf = String(signed.encf);
    const routes = unknown.queryRoutes as string[];
    expect(routes).toEqual([
      `GET /api/v1/ecf/${encf}/track-ids?rncEmisor=${RNC}`,
      `GET /api/v1/ecf/${encf}/status?rncEmisor=${RNC}&rncComprador=130000001&securityCode=${encodeURIComponent(String(signed.securityCode))}`,
    ]);
    // The injected 500 came before the sandbox registered anything: DGII holds none.
    const trackIds = await get(routes[0].slice('GET '.length)).expect(200);
    expect(trackIds.body.trackIds).toEqual([]);
    const status = await get(routes[1].slice('GET '.length)).expect(200);
    expect(status.body).toMatchObject({ found: false });
  });

  describe('GET /api/v1/directory/{rnc} (consulta directorio)', () => {
    it('returns the receptors DGII lists, always as an array', async () => {
      const entry = {
        rnc: '130862346',
        nombre: 'EMPRESA RECEPTORA SRL',
        urlRecepcion: 'https://receptor.example.com/fe/recepcion/api/ecf',
        urlAceptacion: 'https://receptor.example.com/fe/aprobacioncomercial/api/ecf',
        urlOpcional: 'https://receptor.example.com/fe/autenticacion/api',
      };
      t.app.get(SandboxDirectory).register(entry, 'certecf');
      const res = await get('/api/v1/directory/130862346').expect(200);
      expect(res.body).toEqual({ rnc: '130862346', environment: 'CERTIFICATION', receptors: [entry] });
      const test = await get('/api/v1/directory/130862346?environment=TEST').expect(200);
      expect(test.body.receptors).toEqual([]);
    });

    it('answers the envelope for a bad RNC and for DGII failures', async () => {
      const bad = await get('/api/v1/directory/12345').expect(400);
      expect(bad.body.details).toEqual([expect.objectContaining({ path: 'rnc' })]);
      await fault('500', 1, 'consultadirectorio');
      expectEnvelope((await get('/api/v1/directory/130862346').expect(502)).body, 502, 'INTERNAL_ERROR');
      await fault('reject', 1, 'consultadirectorio');
      expectEnvelope((await get('/api/v1/directory/130862346').expect(422)).body, 422, 'DGII_REFUSED');
    });
  });

  describe('POST /api/v1/anecf/issue (anulación de rangos)', () => {
    const ranges = (from: number, to: number, tipo = 31) => ({
      rncEmisor: RNC,
      anulaciones: [
        {
          tipoeCF: tipo,
          rangos: [
            {
              desde: `E${tipo}${String(from).padStart(10, '0')}`,
              hasta: `E${tipo}${String(to).padStart(10, '0')}`,
            },
          ],
        },
      ],
    });

    it('dry run: built, signed (xmlsec1 and xadesjs), never sent', async () => {
      const res = await post('/api/v1/anecf/issue', { ...ranges(800_001, 800_010), dryRun: true }).expect(
        200,
      );
      expect(res.body).toMatchObject({
        success: true,
        dgiiEstado: 'No enviado',
        trackId: null,
        submittedAt: null,
        rncEmisor: RNC,
        cantidadeNCFAnulados: 10,
      });
      expect(res.body.signedXml).toMatch(/^<\?xml[^>]*\?><ANECF>|^<ANECF>/);
      expect(res.body.signedXml).toContain('<CantidadeNCFAnulados>10</CantidadeNCFAnulados>');
      expect(xmlsecVerify(res.body.signedXml)).toMatchObject({ ok: true });
      expect(await verifyXmlSignature(res.body.signedXml)).toMatchObject({ valid: true });
    });

    itWithOfficialFiles(
      'the signed ANECF is valid against DGII ANECF-v1.0.xsd (xmllint)',
      async () => {
        const res = await post('/api/v1/anecf/issue', { ...ranges(800_101, 800_105), dryRun: true }).expect(
          200,
        );
        expect(
          xmllintValidate(res.body.signedXml, resolve(officialDir('xsd'), 'ANECF-v1.0.xsd')),
        ).toMatchObject({
          ok: true,
        });
      },
      ['xsd'],
    );

    it('accepted by DGII, then refused when the same ranges are sent again', async () => {
      const body = ranges(800_201, 800_250);
      const ok = await post('/api/v1/anecf/issue', body).expect(200);
      expect(ok.body).toMatchObject({
        success: true,
        dgiiEstado: 'Aceptado',
        statusMessage: 'Las secuencias fueron anuladas correctamente.',
        cantidadeNCFAnulados: 50,
        dgiiCodigo: '1',
        trackId: null,
      });
      expect(ok.body.submittedAt).toMatch(/Z$/);
      expect(xmlsecVerify(ok.body.signedXml)).toMatchObject({ ok: true });

      const again = await post('/api/v1/anecf/issue', body).expect(400);
      expect(again.body).toMatchObject({
        success: false,
        dgiiEstado: 'Rechazado',
        statusMessage: 'Las secuencias que está intentando anular han sido utilizadas.',
        mensajes: [{ codigo: '', valor: 'Las secuencias que está intentando anular han sido utilizadas.' }],
      });
    });

    it('refused by DGII when a sequence in the range was already used', async () => {
      const issued = await issue31();
      const n = Number(issued.ecfNumber.slice(3));
      const res = await post('/api/v1/anecf/issue', ranges(n, n + 2)).expect(400);
      expect(res.body).toMatchObject({ success: false, dgiiEstado: 'Rechazado' });
    });

    it('takes DGII shape under anecf and refuses contradictions, bad fields and bad documents', async () => {
      const shaped = await post('/api/v1/anecf/issue', {
        anecf: {
          Encabezado: { RncEmisor: RNC },
          DetalleAnulacion: {
            Anulacion: [
              {
                TipoeCF: 34,
                TablaRangoSecuenciasAnuladaseNCF: {
                  Secuencias: [{ SecuenciaeNCFDesde: 'E340000800001', SecuenciaeNCFHasta: 'E340000800002' }],
                },
              },
            ],
          },
        },
        dryRun: true,
      }).expect(200);
      expect(shaped.body.cantidadeNCFAnulados).toBe(2);

      const contradiction = await post('/api/v1/anecf/issue', {
        ...ranges(1, 2),
        anecf: { Encabezado: { RncEmisor: '101000001' } },
      }).expect(400);
      expectEnvelope(contradiction.body, 400, 'VALIDATION_FAILED');
      expect(contradiction.body.details).toEqual([
        expect.objectContaining({ path: 'rncEmisor', rule: 'flat-contradiction' }),
      ]);
      const missing = await post('/api/v1/anecf/issue', { dryRun: true }).expect(400);
      expect(missing.body.details.map((d: { path: string }) => d.path)).toEqual(['rncEmisor', 'anulaciones']);
      const badRange = await post('/api/v1/anecf/issue', {
        rncEmisor: RNC,
        anulaciones: [{ tipoeCF: 31, rangos: [{ desde: 'E31', hasta: 'E310000000001' }] }],
      }).expect(400);
      expect(badRange.body.details).toEqual([
        expect.objectContaining({ path: 'anulaciones[0].rangos[0].desde' }),
      ]);
      // Desde > Hasta passes the DTO and is the ANECF rules' refusal (422, PROTOCOL §7.2).
      const reversed = await post('/api/v1/anecf/issue', { ...ranges(10, 5), dryRun: true }).expect(422);
      expectEnvelope(reversed.body, 422, 'XML_BUILD_FAILED');
      expect(reversed.body.details).toEqual([
        expect.objectContaining({ path: 'anulaciones[0].rangos[0].hasta', rule: 'anecf-rangos' }),
      ]);
    });

    it('a DGII 500 is a 502 with an unknown outcome and the signed ANECF', async () => {
      await fault('500', 1, 'anulacionrangos');
      const res = await post('/api/v1/anecf/issue', ranges(800_301, 800_301)).expect(502);
      expect(res.body.details).toEqual([
        expect.objectContaining({
          outcome: 'unknown',
          message: expect.stringContaining('sending the same ANECF'),
        }),
        expect.objectContaining({ message: 'the signed document', encf: 'E310000800301' }),
      ]);
      // It was not cancelled (the fault came first): sending it again is accepted.
      await post('/api/v1/anecf/issue', ranges(800_301, 800_301)).expect(200);
    });
  });

  describe('GET /api/v1/dgii/status (estatus servicios, ventanas de mantenimiento)', () => {
    it('needs the API key only, shows every environment, and is cached briefly', async () => {
      await http().get('/api/v1/dgii/status').expect(401);
      t.clock.advance(60_000);
      const res = await http().get('/api/v1/dgii/status').set('X-Api-Key', API_KEY).expect(200);
      expect(
        res.body.environments.map((e: { environment: string; available: boolean }) => [
          e.environment,
          e.available,
        ]),
      ).toEqual([
        ['TEST', true],
        ['CERTIFICATION', true],
        ['PRODUCTION', true],
      ]);
      expect(res.body.environments[1].services).toHaveLength(9);
      expect(res.body.environments[1].maintenanceWindows[0]).toMatchObject({ horaInicio: '1:00 AM' });

      // Cached: a fault on DGII's side is not seen until the cache period ends.
      await fault('reject', 1, 'obtenerestatus');
      await http().get('/api/v1/dgii/status').set('X-Api-Key', API_KEY).expect(200);
      t.clock.advance(30_000);
      const down = await http().get('/api/v1/dgii/status').set('X-Api-Key', API_KEY).expect(200);
      expect(down.body.environments.every((e: { available: boolean }) => !e.available)).toBe(true);

      t.clock.advance(30_000);
      await fault('500', 2, 'estatusservicios');
      const failed = await http().get('/api/v1/dgii/status').set('X-Api-Key', API_KEY).expect(502);
      expectEnvelope(failed.body, 502, 'INTERNAL_ERROR');
    });

    it('/health shows it as information and stays 200 whatever DGII says', async () => {
      t.clock.advance(30_000);
      await fault('500', 10, 'estatusservicios');
      await http().get('/health').expect(200);
      const health = await http().get('/health').expect(200);
      expect(health.body).toMatchObject({ status: 'ok', dgii: { configured: true } });
      await http().delete('/dgii-sandbox/_admin/faults').set('X-Api-Key', API_KEY).expect(204);
      t.clock.advance(30_000);
      await http().get('/api/v1/dgii/status').set('X-Api-Key', API_KEY).expect(200);
      const known = await http().get('/health').expect(200);
      expect(known.body.dgii).toMatchObject({
        configured: true,
        checkedAt: expect.any(String),
        environments: { CERTIFICATION: { available: true, unavailableServices: [] } },
      });
    });

    it('never writes the status API key to a log', () => {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(STATUS_KEY);
    });
  });
});

describe('GET /api/v1/dgii/status without DGII_STATUS_API_KEY (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { DGII_TARGET: 'dgii' } });
  });
  afterAll(() => t.close());

  it('answers 503 NOT_CONFIGURED naming the variable, and /health says so without failing', async () => {
    const res = await request(t.app.getHttpServer())
      .get('/api/v1/dgii/status')
      .set('X-Api-Key', API_KEY)
      .expect(503);
    expect(res.body).toMatchObject({ status: 503, code: 'NOT_CONFIGURED' });
    expect(res.body.message).toContain('DGII_STATUS_API_KEY');
    const health = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', dgii: { configured: false } });
  });
});
