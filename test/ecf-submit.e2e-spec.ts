import { createHash } from 'node:crypto';
import request from 'supertest';
import { makeEcf, xmlsecVerify, xsdCheckEnv } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

/** A type 32 whose only line is exento, so MontoTotal is exactly `amount` (PROTOCOL §4.4). */
function consumo(sequence: number, amount: string): Record<string, unknown> {
  return makeEcf('32', {
    sequence,
    lines: 1,
    patch: {
      Encabezado: {
        Totales: {
          MontoGravadoTotal: undefined,
          MontoGravadoI1: undefined,
          ITBIS1: undefined,
          TotalITBIS: undefined,
          TotalITBIS1: undefined,
          MontoExento: amount,
          MontoTotal: amount,
        },
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
    },
  });
}

interface Received {
  xml: string;
  sha256: string;
  trackId?: string;
}

describe('POST /api/v1/ecf/submit: documents signed earlier (issue 11 §2, PROTOCOL §11; e2e)', () => {
  let t: TestApp;
  let token: string;
  let sequence = 700;
  const http = () => request(t.app.getHttpServer());
  const post = (path: string, body: object, bearer = token) =>
    http().post(path).set('X-Api-Key', API_KEY).set('Authorization', `Bearer ${bearer}`).send(body);
  const received = async (encf: string): Promise<Received[]> =>
    (await http().get(`/dgii-sandbox/_admin/received?encf=${encf}`).set('X-Api-Key', API_KEY).expect(200))
      .body.received as Received[];

  beforeAll(async () => {
    t = await createTestApp({
      env: { ...xsdCheckEnv(), DGII_TIMEOUT_MS: '2000', DGII_RESULT_WAIT_MS: '3000' },
    });
    token = await openSession(t.app);
  });
  afterAll(() => t.close());

  it('a dry-run document submitted later reaches DGII with identical bytes and gets its verdict', async () => {
    const dry = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
      dryRun: true,
    }).expect(200);
    expect(await received(dry.body.ecfNumber)).toEqual([]);
    const res = await post('/api/v1/ecf/submit', { signedXml: dry.body.signedXml }).expect(200);
    expect(res.body).toMatchObject({
      ecfNumber: dry.body.ecfNumber,
      dgiiEstado: 'Aceptado',
      success: true,
      signedXml: dry.body.signedXml,
      securityCode: dry.body.securityCode,
      signedAt: dry.body.signedAt,
      qrUrl: dry.body.qrUrl,
    });
    const [got, ...more] = await received(dry.body.ecfNumber);
    expect(more).toEqual([]);
    expect(got.trackId).toBe(res.body.trackId);
    expect(got.sha256).toBe(
      createHash('sha256').update(Buffer.from(dry.body.signedXml, 'utf8')).digest('hex'),
    );
    expect(got.xml).toBe(dry.body.signedXml);
  });

  it('the contingency fields of the field reference: deferred, replacing a paper NCF, then submitted', async () => {
    const dry = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', {
        sequence: ++sequence,
        patch: {
          Encabezado: { IdDoc: { IndicadorEnvioDiferido: 1 } },
          InformacionReferencia: {
            NCFModificado: 'B0100000456',
            FechaNCFModificado: '20-03-2026',
            CodigoModificacion: 4,
          },
        },
      }),
      dryRun: true,
    }).expect(200);
    expect(dry.body.signedXml).toContain('<IndicadorEnvioDiferido>1</IndicadorEnvioDiferido>');
    expect(dry.body.signedXml).toContain('<CodigoModificacion>4</CodigoModificacion>');
    const res = await post('/api/v1/ecf/submit', { signedXml: dry.body.signedXml }).expect(200);
    expect(res.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado' });
  });

  it('dryRun on submit verifies only: nothing reaches DGII', async () => {
    const dry = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
      dryRun: true,
    }).expect(200);
    const res = await post('/api/v1/ecf/submit', { signedXml: dry.body.signedXml, dryRun: true }).expect(200);
    expect(res.body).toMatchObject({ dgiiEstado: 'No enviado', trackId: null });
    expect(await received(dry.body.ecfNumber)).toEqual([]);
  });

  it('a type 32 under RD$250,000 goes to the fc host as its RFCE, signed by the session', async () => {
    const dry = await post('/api/v1/ecf/issue-stateless', {
      ecf: consumo(++sequence, '1500.00'),
      dryRun: true,
    }).expect(200);
    const res = await post('/api/v1/ecf/submit', { signedXml: dry.body.signedXml }).expect(200);
    expect(res.body).toMatchObject({ success: true, dgiiEstado: 'Aceptado', signedXml: dry.body.signedXml });
    expect(res.body.rfceSignedXml).toMatch(/^<RFCE>/);
    expect(res.body.rfceSignedXml).toContain(
      `<CodigoSeguridadeCF>${dry.body.securityCode}</CodigoSeguridadeCF>`,
    );
    expect(res.body.qrUrl).toContain('ConsultaTimbreFC');
    expect(xmlsecVerify(res.body.rfceSignedXml)).toMatchObject({ ok: true });
    const got = await received(dry.body.ecfNumber);
    expect(got.map((r) => r.xml)).toEqual([res.body.rfceSignedXml]);
  });

  it('a document signed by another certificate → 400 SIGNER_MISMATCH naming both', async () => {
    const other = await openSession(t.app, 'rsa4096-modern');
    const dry = await post(
      '/api/v1/ecf/issue-stateless',
      { ecf: makeEcf('31', { sequence: ++sequence }), dryRun: true },
      other,
    ).expect(200);
    const res = await post('/api/v1/ecf/submit', { signedXml: dry.body.signedXml }).expect(400);
    expect(res.body).toMatchObject({ code: 'SIGNER_MISMATCH', status: 400 });
    const serials = [...String(res.body.message).matchAll(/serial ([0-9a-f]+)/g)].map((m) => m[1]);
    expect(serials).toHaveLength(2);
    expect(serials[0]).not.toBe(serials[1]);
    expect(res.body.message).toMatch(/not by this session’s certificate/);
    expect(res.body.details).toHaveLength(2);
    expect(await received(dry.body.ecfNumber)).toEqual([]);
  });

  it('an altered document → 400 SIGNATURE_INVALID; not an e-CF or not XML → 400; missing → VALIDATION_FAILED', async () => {
    const dry = await post('/api/v1/ecf/issue-stateless', {
      ecf: makeEcf('31', { sequence: ++sequence }),
      dryRun: true,
    }).expect(200);
    const altered = String(dry.body.signedXml).replace(/<MontoTotal>[^<]*</, '<MontoTotal>1.00<');
    expect((await post('/api/v1/ecf/submit', { signedXml: altered }).expect(400)).body.code).toBe(
      'SIGNATURE_INVALID',
    );
    expect((await post('/api/v1/ecf/submit', { signedXml: 'not xml' }).expect(400)).body.code).toBe(
      'BAD_REQUEST',
    );
    expect(
      (await post('/api/v1/ecf/submit', { signedXml: '<ACECF><x/></ACECF>' }).expect(400)).body.message,
    ).toMatch(/not an e-CF/);
    expect((await post('/api/v1/ecf/submit', {}).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect(await received(dry.body.ecfNumber)).toEqual([]);
  });
});
