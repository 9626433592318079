import request from 'supertest';
import { guideAcecfExample, makeEcf, xmlsecVerify, xsdCheckEnv } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';

type Stats = Record<
  'semilla' | 'validarsemilla' | 'recepcion' | 'recepcionfc' | 'aprobacion' | 'consulta',
  number
>;

/** A type 32 whose only line is exento, so MontoTotal is exactly `amount` (PROTOCOL §4.4). */
function consumo(sequence: number, amount: string): Record<string, unknown> {
  return {
    Encabezado: {
      Version: '1.0',
      IdDoc: {
        TipoeCF: '32',
        eNCF: `E32${String(sequence).padStart(10, '0')}`,
        TipoIngresos: '01',
        TipoPago: 1,
      },
      Emisor: {
        RNCEmisor: '131793916',
        RazonSocialEmisor: 'COLMADO DEMO SRL',
        DireccionEmisor: 'Calle 1 #2',
        FechaEmision: '01-04-2026',
      },
      Comprador: { RNCComprador: '131793916', RazonSocialComprador: 'CLIENTE SRL' },
      Totales: { MontoExento: amount, MontoTotal: amount },
    },
    DetallesItems: {
      Item: [
        {
          NumeroLinea: 1,
          IndicadorFacturacion: 4,
          NombreItem: 'Equipo',
          IndicadorBienoServicio: 1,
          CantidadItem: 1,
          PrecioUnitarioItem: amount,
          MontoItem: amount,
        },
      ],
    },
  };
}

const ACECF = guideAcecfExample();

describe('live issuance against the embedded DGII sandbox over loopback HTTP (e2e)', () => {
  let t: TestApp;
  let token: string;
  let sequence = 100;
  const http = () => request(t.app.getHttpServer());
  const nextSequence = () => ++sequence;
  const stats = async (): Promise<Stats> =>
    (await http().get('/dgii-sandbox/_admin/stats').set('X-Api-Key', API_KEY).expect(200)).body;
  const fault = (kind: string, next: number, path?: string) =>
    http()
      .post('/dgii-sandbox/_admin/faults')
      .set('X-Api-Key', API_KEY)
      .send({ kind, next, path })
      .expect(201);
  const post = (path: string, body: object, bearer = token, apiKey = API_KEY) =>
    http().post(path).set('X-Api-Key', apiKey).set('Authorization', `Bearer ${bearer}`).send(body);
  const ecf31 = () => makeEcf('31', { sequence: nextSequence() });

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...xsdCheckEnv(),
        DGII_TIMEOUT_MS: '1500',
        DGII_RESULT_WAIT_MS: '3000',
      },
    });
    token = await openSession(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => http().delete('/dgii-sandbox/_admin/faults').set('X-Api-Key', API_KEY).expect(204));

  describe('every issuance flow', () => {
    it('e-CF 31 → recepción, then consulta resultado until Aceptado', async () => {
      const res = await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }).expect(200);
      expect(res.headers['x-fiscaliacore-dgii-target']).toBe('sandbox');
      expect(res.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado', secuenciaUtilizada: true });
      expect(res.body.trackId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.submittedAt).toMatch(/Z$/);
      expect(res.body.rfceSignedXml).toBeUndefined();
      expect(xmlsecVerify(res.body.signedXml)).toMatchObject({ ok: true });
    });

    it('ACECF → aprobación comercial, synchronous', async () => {
      const res = await post('/api/v1/acecf/issue', ACECF).expect(200);
      expect(res.body.success).toBe(true);
      expect(res.body.dgiiEstado).toMatch(/Aprobaci[oó]n Comercial Aprobada/i);
      expect(xmlsecVerify(res.body.signedXml)).toMatchObject({ ok: true });
    });

    it('another environment needs its own DGII token: exactly one more semilla', async () => {
      const before = await stats();
      await post('/api/v1/acecf/issue', { ...ACECF, environment: 'TEST' }).expect(200);
      const after = await stats();
      // A new environment needs its own DGII token: one more semilla, exactly.
      expect(after.semilla - before.semilla).toBe(1);
    });

    it('GET /status/{trackId} returns DGII consulta resultado, normalised', async () => {
      const issued = await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }).expect(200);
      const res = await http()
        .get(`/api/v1/status/${issued.body.trackId}`)
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(res.body).toMatchObject({
        trackId: issued.body.trackId,
        codigo: '1',
        estado: 'Aceptado',
        final: true,
      });
      expect(res.body.encf).toBe(issued.body.ecfNumber);
      const unknown = await http()
        .get('/api/v1/status/00000000-0000-0000-0000-000000000000')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(unknown.body).toMatchObject({ codigo: '0', estado: 'No encontrado' });
      await http()
        .get('/api/v1/status/not%20a%20trackid')
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(400);
    });
  });

  describe('RFCE routing (PROTOCOL §5)', () => {
    it('a type 32 of 249,999.99 goes to recepcionfc as an RFCE; the response keeps the full e-CF', async () => {
      const before = await stats();
      const res = await post('/api/v1/ecf/issue-stateless', {
        ecf: consumo(nextSequence(), '249999.99'),
      }).expect(200);
      const after = await stats();
      expect(after.recepcionfc - before.recepcionfc).toBe(1);
      expect(after.recepcion - before.recepcion).toBe(0);
      expect(res.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado' });
      expect(res.body.signedXml).toMatch(/^<ECF>/);
      expect(res.body.rfceSignedXml).toContain(
        `<CodigoSeguridadeCF>${res.body.securityCode}</CodigoSeguridadeCF>`,
      );
      expect(res.body.qrUrl).toContain('ConsultaTimbreFC');
    });

    it('a type 32 of 250,000.00 goes to recepción in full', async () => {
      const before = await stats();
      const res = await post('/api/v1/ecf/issue-stateless', {
        ecf: consumo(nextSequence(), '250000.00'),
      }).expect(200);
      const after = await stats();
      expect(after.recepcion - before.recepcion).toBe(1);
      expect(after.recepcionfc - before.recepcionfc).toBe(0);
      expect(res.body.rfceSignedXml).toBeUndefined();
      expect(res.body.dgiiEstado).toBe('Aceptado');
    });
  });

  describe('DGII tokens', () => {
    it('one semilla per session and environment across many issues', async () => {
      const fresh = await openSession(t.app);
      const before = await stats();
      for (let i = 0; i < 5; i++)
        await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }, fresh).expect(200);
      const after = await stats();
      expect(after.semilla - before.semilla).toBe(1);
      expect(after.validarsemilla - before.validarsemilla).toBe(1);
      expect(after.recepcion - before.recepcion).toBe(5);
    });

    it('two sessions (even of one certificate, even concurrent) never share a DGII token', async () => {
      const [a, b] = await Promise.all([
        openSession(t.app),
        openSession(t.app, 'rsa2048-modern', OTHER_API_KEY),
      ]);
      const before = await stats();
      await Promise.all([
        post('/api/v1/acecf/issue', ACECF, a),
        post('/api/v1/acecf/issue', ACECF, a),
        post('/api/v1/acecf/issue', ACECF, b, OTHER_API_KEY),
        post('/api/v1/acecf/issue', ACECF, b, OTHER_API_KEY),
      ]);
      const after = await stats();
      // Single-flight per session: two concurrent calls share one authentication; two sessions, two.
      expect(after.validarsemilla - before.validarsemilla).toBe(2);
    });

    it('a DGII 401 drops the token, authenticates again and retries once', async () => {
      const before = await stats();
      await fault('401', 1, 'recepcion/api/facturaselectronicas');
      const res = await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }).expect(200);
      expect(res.body.success).toBe(true);
      const after = await stats();
      expect(after.validarsemilla - before.validarsemilla).toBe(1);
    });

    it('a second 401 propagates as 502 with the signed document', async () => {
      await fault('401', 2, 'recepcion/api/facturaselectronicas');
      const res = await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }).expect(502);
      expect(res.body.code).toBe('INTERNAL_ERROR');
      expect(res.body.message).toMatch(/^DGII submission failed: /);
      expect(res.body.details.some((d: { signedXml?: string }) => d.signedXml?.startsWith('<ECF>'))).toBe(
        true,
      );
    });
  });

  describe('DGII failures', () => {
    it('5xx → 502 INTERNAL_ERROR "DGII submission failed", with the signed XML and security code', async () => {
      await fault('500', 1, 'recepcion/api/facturaselectronicas');
      const res = await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }).expect(502);
      expect(res.body).toMatchObject({ status: 502, code: 'INTERNAL_ERROR' });
      expect(res.body.message).toMatch(/^DGII submission failed: /);
      const document = res.body.details.find((d: { signedXml?: string }) => d.signedXml);
      expect(xmlsecVerify(document.signedXml)).toMatchObject({ ok: true });
      expect(document.securityCode).toHaveLength(6);
    });

    it('a timeout after sending → 502 saying the outcome is unknown, with the signed XML', async () => {
      await fault('timeout', 1, 'recepcion/api/facturaselectronicas');
      const res = await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }).expect(502);
      expect(res.body.message).toMatch(/^DGII submission failed: /);
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ outcome: 'unknown' })]),
      );
      expect(res.body.details.some((d: { signedXml?: string }) => d.signedXml?.startsWith('<ECF>'))).toBe(
        true,
      );
    });

    it('a business rejection → HTTP 400 with the success body, DGII text verbatim', async () => {
      await fault('reject', 1);
      const res = await post('/api/v1/ecf/issue-stateless', { ecf: ecf31() }).expect(400);
      expect(res.body).toMatchObject({ success: false, dgiiEstado: 'Rechazado' });
      expect(res.body.statusMessage).toBe('Documento rechazado por el sandbox de DGII (falla simulada).');
      expect(res.body.signedXml).toMatch(/^<ECF>/);
      expect(res.body).toHaveProperty('secuenciaUtilizada');
    });

    it('a reused e-NCF is rejected by DGII (sandbox), 400 verbatim', async () => {
      const json = ecf31();
      await post('/api/v1/ecf/issue-stateless', { ecf: json }).expect(200);
      const again = await post('/api/v1/ecf/issue-stateless', { ecf: json }).expect(400);
      expect(again.body.success).toBe(false);
      expect(again.body.statusMessage.length).toBeGreaterThan(0);
    });
  });

  describe('idempotency of /api/v1/ecf/issue', () => {
    it('same id + same body → the same response, one submission (also when concurrent)', async () => {
      const body = { ecf: ecf31(), externalDocumentId: crypto.randomUUID() };
      const before = await stats();
      const [a, b] = await Promise.all([post('/api/v1/ecf/issue', body), post('/api/v1/ecf/issue', body)]);
      const c = await post('/api/v1/ecf/issue', body);
      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      expect(b.body).toEqual(a.body);
      expect(c.body).toEqual(a.body);
      const after = await stats();
      expect(after.recepcion - before.recepcion).toBe(1);
    });

    it('same id + different body → 409 IDEMPOTENCY_CONFLICT', async () => {
      const externalDocumentId = crypto.randomUUID();
      await post('/api/v1/ecf/issue', { ecf: ecf31(), externalDocumentId }).expect(200);
      const res = await post('/api/v1/ecf/issue', { ecf: ecf31(), externalDocumentId }).expect(409);
      expect(res.body.code).toBe('IDEMPOTENCY_CONFLICT');
    });

    it('ids are per API key', async () => {
      const externalDocumentId = crypto.randomUUID();
      const other = await openSession(t.app, 'rsa2048-modern', OTHER_API_KEY);
      await post('/api/v1/ecf/issue', { ecf: ecf31(), externalDocumentId }).expect(200);
      await post('/api/v1/ecf/issue', { ecf: ecf31(), externalDocumentId }, other, OTHER_API_KEY).expect(200);
    });

    it('a missing or malformed externalDocumentId is a validation error', async () => {
      const res = await post('/api/v1/ecf/issue', { ecf: ecf31(), externalDocumentId: 'nope' }).expect(400);
      expect(res.body.details[0].path).toBe('externalDocumentId');
    });
  });

  it('dry runs make no DGII call at all', async () => {
    const before = await stats();
    await post('/api/v1/ecf/issue-stateless', { ecf: ecf31(), dryRun: true }).expect(200);
    await post('/api/v1/ecf/issue-stateless', { ecf: consumo(nextSequence(), '10.00'), dryRun: true }).expect(
      200,
    );
    await post('/api/v1/acecf/issue', { ...ACECF, dryRun: true }).expect(200);
    expect(await stats()).toEqual(before);
  });
});

describe('when DGII has not ruled within DGII_RESULT_WAIT_MS (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { DGII_RESULT_WAIT_MS: '0' } });
  });
  afterAll(() => t.close());

  it('answers 202 with dgiiEstado "En Proceso" and the trackId to query later', async () => {
    const token = await openSession(t.app);
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/ecf/issue-stateless')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${token}`)
      .send({ ecf: makeEcf('31', { sequence: 7 }) })
      .expect(202);
    expect(res.body).toMatchObject({ success: true, dgiiEstado: 'En Proceso' });
    expect(res.body.statusMessage).toContain(`/api/v1/status/${res.body.trackId}`);
  });
});
