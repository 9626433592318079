import request from 'supertest';
import { SESSION_EVICTED_MESSAGE } from '@app/common';
import { guideAcecfExample, guideEcfExample, makeEcf, xmlsecVerify, xsdCheckEnv } from '@app/testing';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, OTHER_API_KEY, TestApp } from './support/test-app';

type Detail = { path?: string; ecfPath?: string; rule?: string; message: string; [k: string]: unknown };
type Json = Record<string, unknown>;

const STATELESS = '/api/v1/ecf/issue-stateless';
const GUIDE = guideEcfExample();
const GUIDE_LINE = GUIDE.lines![0];

/** `FechaHoraFirma` (dd-MM-yyyy HH:mm:ss, Santo Domingo, PROTOCOL §3.3) → epoch ms. */
function fechaHoraFirmaInstant(xml: string): number {
  const m = /<FechaHoraFirma>(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)<\/FechaHoraFirma>/.exec(xml);
  if (!m) throw new Error('no FechaHoraFirma');
  const [, d, mo, y, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h + 4, mi, s);
}

/** The e-CF 31 fixture with `patch` applied at a dotted path below `ecf`. */
function ecfWith(path: string, value: unknown): Json {
  const json = structuredClone(makeEcf('31')) as Json;
  const names = path.split('.');
  let obj = json;
  for (const name of names.slice(0, -1)) obj = obj[name] as Json;
  obj[names[names.length - 1]] = value;
  return json;
}

describe('the contract says what it means (e2e)', () => {
  let t: TestApp;
  let token: string;
  let sequence = 700;
  const http = () => request(t.app.getHttpServer());
  const post = (path: string, body: object | string, bearer = token) => {
    const req = http().post(path).set('X-Api-Key', API_KEY).set('Authorization', `Bearer ${bearer}`);
    return typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body);
  };
  const dryRun = (body: object) => post(STATELESS, { ...body, dryRun: true });
  const admin = () => ({ 'X-Api-Key': API_KEY });

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        // The XSD check runs when the official XSDs are here; no assertion depends on it.
        ...xsdCheckEnv(),
        DGII_TIMEOUT_MS: '1500',
        DGII_RESULT_WAIT_MS: '3000',
      },
    });
    token = await openSession(t.app);
  });
  afterAll(() => t.close());
  afterEach(() => http().delete('/dgii-sandbox/_admin/faults').set(admin()).expect(204));

  describe('timestamps are ISO-8601', () => {
    it('signedAt carries the Santo Domingo offset and is the instant of FechaHoraFirma', async () => {
      // 1 December 15:14:26 in Santo Domingo: day and month both ≤ 12, so dd-MM would read as 12 January.
      t.clock.set(Date.parse('2026-12-01T19:14:26.250Z'));
      const res = await dryRun(GUIDE).expect(200);
      expect(res.body.signedAt).toBe('2026-12-01T15:14:26-04:00');
      expect(res.body.signedXml).toContain('<FechaHoraFirma>01-12-2026 15:14:26</FechaHoraFirma>');
      expect(new Date(res.body.signedAt).getTime()).toBe(fechaHoraFirmaInstant(res.body.signedXml));
      // The QR keeps DGII's own format (PROTOCOL §9.1).
      expect(res.body.qrUrl).toContain('FechaFirma=01-12-2026%2015%3A14%3A26');
    });

    it('the ACECF signedAt and submittedAt parse to the signing instant', async () => {
      t.clock.set(Date.parse('2026-11-02T13:05:09Z'));
      const dry = await post('/api/v1/acecf/issue', { ...guideAcecfExample(), dryRun: true }).expect(200);
      expect(dry.body.signedAt).toBe('2026-11-02T09:05:09-04:00');
      const live = await post('/api/v1/acecf/issue', guideAcecfExample());
      expect(new Date(live.body.signedAt).getTime()).toBe(Date.parse('2026-11-02T13:05:09Z'));
      expect(new Date(live.body.submittedAt).getTime()).toBe(Date.parse('2026-11-02T13:05:09Z'));
    });

    it("GET /status/{trackId}: DGII's fechaRecepcion comes back as ISO-8601 with the offset", async () => {
      const issued = await post(STATELESS, { ecf: makeEcf('31', { sequence: ++sequence }) }).expect(200);
      const res = await http()
        .get(`/api/v1/status/${issued.body.trackId as string}`)
        .set('X-Api-Key', API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(res.body.fechaRecepcion).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-04:00$/);
      expect(Number.isNaN(new Date(res.body.fechaRecepcion).getTime())).toBe(false);
      expect(issued.body.submittedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });
  });

  describe('amounts: one rule, never rounded', () => {
    it.each([
      ['lines[0].lineTotal', { lines: [{ ...GUIDE_LINE, lineTotal: 1800.125 }] }],
      ['lines[0].unitPrice', { lines: [{ ...GUIDE_LINE, unitPrice: '1000.00001' }] }],
      ['lines[0].quantity', { lines: [{ ...GUIDE_LINE, quantity: 1.001 }] }],
      ['totalAmount', { totalAmount: 1180.001 }],
      ['subtotal', { subtotal: '1000.001' }],
    ])('flat %s with too many decimals → 400 naming it', async (path, patch) => {
      const res = await dryRun({ ...GUIDE, ...patch }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([expect.objectContaining({ path })]);
    });

    it.each([
      ['DetallesItems.Item.0.MontoItem', 'DetallesItems.Item[0].MontoItem', 1800.125],
      ['Encabezado.Totales.MontoTotal', 'Encabezado.Totales.MontoTotal', '1357.001'],
      ['DetallesItems.Item.0.PrecioUnitarioItem', 'DetallesItems.Item[0].PrecioUnitarioItem', 100.00001],
    ])('ecf %s with too many decimals → 400 naming it, not rounded', async (at, path, value) => {
      const res = await dryRun({ ecf: ecfWith(at, value) }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([expect.objectContaining({ path: `ecf.${path}`, rule: 'decimals' })]);
    });

    it('four decimals where the schema allows them are signed exactly as sent', async () => {
      const json = ecfWith('DetallesItems.Item.0.PrecioUnitarioItem', '100.1234');
      const item = (json.DetallesItems as { Item: Json[] }).Item[0];
      item.CantidadItem = 1;
      item.MontoItem = '100.12';
      const res = await dryRun({ ecf: json });
      // The business rules may refuse the changed totals, but never because of rounding.
      expect(JSON.stringify(res.body)).not.toContain('"rule":"decimals"');
      if (res.status === 200)
        expect(res.body.signedXml).toContain('<PrecioUnitarioItem>100.1234</PrecioUnitarioItem>');
    });

    it.each(['1e-7', '5e-324', '1e-320'])(
      '%s is a 400 in flat fields and in ecf, never a 500',
      async (literal) => {
        const flat = JSON.stringify({ ...GUIDE, dryRun: true }).replace(
          '"totalAmount":1180',
          `"totalAmount":${literal}`,
        );
        const res = await post(STATELESS, flat).expect(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: [expect.objectContaining({ path: 'totalAmount' })],
        });

        const line = JSON.stringify({ ...GUIDE, dryRun: true }).replace(
          '"lineTotal":1000',
          `"lineTotal":${literal}`,
        );
        const lineRes = await post(STATELESS, line).expect(400);
        expect(lineRes.body.details).toEqual([expect.objectContaining({ path: 'lines[0].lineTotal' })]);

        const acecf = JSON.stringify({ ...guideAcecfExample(), dryRun: true }).replace(
          '"montoTotalOriginal":1180',
          `"montoTotalOriginal":${literal}`,
        );
        const acecfRes = await post('/api/v1/acecf/issue', acecf).expect(400);
        expect(acecfRes.body.details).toEqual([expect.objectContaining({ path: 'montoTotalOriginal' })]);

        const inEcf = JSON.stringify({ ecf: makeEcf('31'), dryRun: true }).replace(
          /"MontoTotal":"?[\d.]+"?/,
          `"MontoTotal":${literal}`,
        );
        const ecfRes = await post(STATELESS, inEcf).expect(400);
        expect(ecfRes.body).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(ecfRes.body.details).toEqual([
          expect.objectContaining({ path: 'ecf.Encabezado.Totales.MontoTotal', rule: 'decimals' }),
        ]);
      },
    );

    it('flat amounts accept decimal strings, as ecf does', async () => {
      const res = await dryRun({
        ...GUIDE,
        subtotal: '1000.00',
        taxAmount: '180.00',
        totalAmount: '1180.00',
        lines: [{ ...GUIDE_LINE, quantity: '1', unitPrice: '1000.0000', lineTotal: '1000.00' }],
      }).expect(200);
      expect(res.body.signedXml).toContain('<MontoTotal>1180.00</MontoTotal>');
      expect(res.body.signedXml).toContain('<PrecioUnitarioItem>1000.0000</PrecioUnitarioItem>');
      const acecf = await post('/api/v1/acecf/issue', {
        ...guideAcecfExample(),
        montoTotalOriginal: '1180.00',
        dryRun: true,
      }).expect(200);
      expect(acecf.body.signedXml).toContain('<MontoTotal>1180.00</MontoTotal>');
    });

    it.each(['1,180.00', '1180.00 ', 'abc', '', true])('flat amount %p is refused', async (value) => {
      const res = await dryRun({ ...GUIDE, totalAmount: value }).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ path: 'totalAmount' })]);
    });
  });

  describe('errors name the field the integrator sent', () => {
    it('a bad flat description is reported at lines[0].description, with the DGII path beside it', async () => {
      const res = await dryRun({ ...GUIDE, lines: [{ ...GUIDE_LINE, description: 'bad\u0001text' }] }).expect(
        400,
      );
      expect(res.body.details).toEqual([
        expect.objectContaining({
          path: 'lines[0].description',
          ecfPath: 'DetallesItems.Item[0].NombreItem',
        }),
      ]);
    });

    it('a flat lineTotal mistake names lines[0].lineTotal and subtotal, never Item[0].MontoItem', async () => {
      const res = await dryRun({ ...GUIDE, lines: [{ ...GUIDE_LINE, lineTotal: 900 }] }).expect(422);
      expect(res.body.code).toBe('XML_BUILD_FAILED');
      const details = res.body.details as Detail[];
      expect(details.length).toBeGreaterThan(0);
      expect(details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'lines[0].lineTotal', ecfPath: 'DetallesItems.Item[0].MontoItem' }),
        ]),
      );
      for (const d of details) {
        expect(d.path).not.toMatch(/^ecf\./);
        expect(d.ecfPath).toEqual(expect.any(String));
      }
    });

    it('a flat field contradicting ecf names both, ecfPath the DGII path', async () => {
      const res = await dryRun({
        ...GUIDE,
        ecf: { Encabezado: { Comprador: { RNCComprador: '101010101' } } },
      }).expect(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ path: 'receiverRnc', ecfPath: 'Encabezado.Comprador.RNCComprador' }),
      ]);
    });

    it('an error in an element sent under ecf keeps its ecf path', async () => {
      const res = await dryRun({ ecf: ecfWith('Encabezado.Totales.MontoTotal', 1) }).expect(422);
      expect(res.body.details).toEqual([
        expect.objectContaining({ path: 'ecf.Encabezado.Totales.MontoTotal', rule: 'monto-total' }),
      ]);
    });
  });

  describe('Object.prototype names inside ecf are unknown names like any other', () => {
    it.each(['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString', 'Bogus'])(
      '%s → 422 naming it',
      async (name) => {
        const body = JSON.stringify({ dryRun: true, ecf: makeEcf('31') }).replace(
          '"Encabezado":{',
          `"Encabezado":{"${name}":"x",`,
        );
        const res = await post(STATELESS, body).expect(422);
        expect(res.body.details).toEqual([
          expect.objectContaining({ path: `ecf.Encabezado.${name}`, rule: 'xsd:unknown-element' }),
        ]);
      },
    );

    it.each(['__proto__', 'constructor', 'prototype'])(
      '%s inside ecf is an unknown name too (422), never deleted silently',
      async (name) => {
        const body = JSON.stringify({ dryRun: true, ecf: makeEcf('31') }).replace(
          '"Encabezado":{',
          `"Encabezado":{"${name}":{"x":1},`,
        );
        const res = await post(STATELESS, body).expect(422);
        expect(res.body.code).toBe('XML_BUILD_FAILED');
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ path: `ecf.Encabezado.${name}` })]),
        );
      },
    );

    it.each(['__proto__', 'constructor', 'prototype'])(
      '%s beside the flat fields (which the framework would delete silently) → 400 naming it',
      async (name) => {
        const body = JSON.stringify({ dryRun: true, ecf: makeEcf('31') }).replace(
          '{"dryRun":true,',
          `{"${name}":{"x":1},"dryRun":true,`,
        );
        const res = await post(STATELESS, body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details).toEqual([expect.objectContaining({ path: name, rule: 'reserved-name' })]);
      },
    );

    it('at the top of ecf and inside an item too', async () => {
      const body = JSON.stringify({ dryRun: true, ecf: makeEcf('31') })
        .replace('"ecf":{', '"ecf":{"valueOf":1,')
        .replace('"Item":[{', '"Item":[{"toString":"x",');
      const res = await post(STATELESS, body).expect(422);
      const paths = (res.body.details as Detail[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['ecf.valueOf', 'ecf.DetallesItems.Item[0].toString']));
    });
  });

  describe('the bearer header', () => {
    const bare = () =>
      http()
        .post(STATELESS)
        .set('X-Api-Key', API_KEY)
        .send({ ...GUIDE, dryRun: true });

    it('missing → 401 SESSION_EVICTED saying the header is missing', async () => {
      const res = await bare().expect(401);
      expect(res.body.code).toBe('SESSION_EVICTED');
      expect(res.body.message).toMatch(/no Authorization: Bearer header/);
      expect(res.body.message).toContain('POST /api/v1/sessions');
    });

    it.each(['Basic dXNlcjpwYXNz', 'Bearer ', 'Bearer short', 'Token abcdefghijklmnopqrstuvwx'])(
      'malformed (%s) → 401 SESSION_EVICTED saying it is malformed, without echoing it',
      async (header) => {
        const res = await bare().set('Authorization', header).expect(401);
        expect(res.body.code).toBe('SESSION_EVICTED');
        expect(res.body.message).toMatch(/not "Bearer <token>"/);
        const credential = header.split(' ')[1];
        if (credential) expect(JSON.stringify(res.body)).not.toContain(credential);
      },
    );

    it('unknown and foreign tokens keep the standard, indistinguishable message', async () => {
      const unknown = await bare()
        .set('Authorization', `Bearer ${'A'.repeat(43)}`)
        .expect(401);
      expect(unknown.body.message).toBe(SESSION_EVICTED_MESSAGE);
      const foreign = await http()
        .post(STATELESS)
        .set('X-Api-Key', OTHER_API_KEY)
        .set('Authorization', `Bearer ${token}`)
        .send({ ...GUIDE, dryRun: true })
        .expect(401);
      expect(foreign.body.message).toBe(SESSION_EVICTED_MESSAGE);
    });
  });

  describe('a type 32 sent as RFCE that fails with 502', () => {
    it.each(['500', 'timeout'])(
      '%s: details carry rfceSignedXml, the document DGII was sent',
      async (kind) => {
        await http()
          .post('/dgii-sandbox/_admin/faults')
          .set(admin())
          .send({ kind, next: 1, path: 'recepcionfc' })
          .expect(201);
        const json = makeEcf('32', { sequence: ++sequence });
        const res = await post(STATELESS, { ecf: json }).expect(502);
        expect(res.body.code).toBe('INTERNAL_ERROR');
        const document = (res.body.details as Detail[]).find((d) => d.signedXml);
        expect(document).toBeDefined();
        const rfce = document!.rfceSignedXml as string;
        expect(rfce).toMatch(/^<RFCE>/);
        expect(rfce).toContain(
          `<CodigoSeguridadeCF>${document!.securityCode as string}</CodigoSeguridadeCF>`,
        );
        expect(xmlsecVerify(rfce)).toMatchObject({ ok: true });
        expect(document!.signedXml).toMatch(/^<ECF>/);
      },
    );
  });
});
