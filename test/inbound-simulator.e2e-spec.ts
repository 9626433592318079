import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { InboundEventSink } from '@app/inbound';
import { xsdCheckEnv } from '@app/testing';
import { RecordingEventSink } from '../libs/inbound/src/testing/recording-event-sink';
import { openSession } from './support/sessions';
import { API_KEY, createTestApp, TestApp } from './support/test-app';

const RECEPTOR = '130000011';
const SIMULATOR = '/dgii-sandbox/emisorreceptor/api/emision';

describe("the sandbox's emisor-receptor simulator against our receptor (e2e, PROTOCOL §8.4)", () => {
  let t: TestApp;
  let sink: RecordingEventSink;
  let integrator: string;
  let origin: string;
  const http = () => request(t.app.getHttpServer());
  const simulate = (path: string, body: object) =>
    http().post(`${SIMULATOR}/${path}`).set('X-Api-Key', API_KEY).send(body);
  const register = (rnc: string, bearer: string, requireAuth = true) =>
    http()
      .put(`/api/v1/inbound/receptors/${rnc}`)
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${bearer}`)
      .send({ callbackUrl: 'http://127.0.0.1:9/hook', requireAuth })
      .expect(200);

  beforeAll(async () => {
    sink = new RecordingEventSink();
    t = await createTestApp({
      env: { ...xsdCheckEnv(), INBOUND_RATE_LIMIT_PER_IP: '0' },
      overrides: [{ provide: InboundEventSink, useValue: sink }],
    });
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    integrator = await openSession(t.app);
  });
  afterAll(() => t.close());

  it.each(['31', '33', '34', '44'])(
    'emisioncomprobantes %s: authenticates, sends, checks the ARECF and records Aceptado',
    async (tipoEncf) => {
      const res = await register(RECEPTOR, integrator);
      const urls = res.body as { urls: { recepcion: string; autenticacion: string } };
      expect(urls.urls.recepcion).toBe(`${origin}/receptor/${RECEPTOR}`);
      const before = sink.events.length;
      const sent = await simulate('emisioncomprobantes', {
        rnc: RECEPTOR,
        tipoEncf,
        urlRecepcion: urls.urls.recepcion,
        urlAutenticacion: urls.urls.autenticacion,
      }).expect(200);
      expect(sent.body).toEqual({
        rnc: RECEPTOR,
        encf: expect.stringMatching(new RegExp(`^E${tipoEncf}\\d{10}$`)),
        estado: 'Aceptado',
        mensajes: [],
      });
      const { encf } = sent.body as { encf: string };
      const consulta = await http()
        .get(`${SIMULATOR}/consultaacuserecibo`)
        .query({ Rnc: RECEPTOR, Encf: encf })
        .set('X-Api-Key', API_KEY)
        .expect(200);
      expect(consulta.body).toEqual(sent.body);
      expect(sink.events).toHaveLength(before + 1);
      expect(sink.events.at(-1)).toMatchObject({
        type: 'ecf.received',
        rnc: RECEPTOR,
        document: { eNCF: encf, tipoeCF: tipoEncf, rncComprador: RECEPTOR },
        arecf: { estado: '0' },
      });
    },
  );

  it('records Rechazado, with why, when the receptor cannot acknowledge', async () => {
    // requireAuth and no urlAutenticacion: the receptor answers 401.
    const noAuth = await simulate('emisioncomprobantes', {
      rnc: RECEPTOR,
      tipoEncf: '31',
      urlRecepcion: `${origin}/receptor/${RECEPTOR}`,
    }).expect(200);
    expect(noAuth.body).toMatchObject({ estado: 'Rechazado', mensajes: [expect.stringContaining('401')] });
    // An RNC whose receptor is not registered: 404.
    const unknown = await simulate('emisioncomprobantes', {
      rnc: '130000099',
      tipoEncf: '31',
      urlRecepcion: `${origin}/receptor/130000099`,
    }).expect(200);
    expect(unknown.body).toMatchObject({ estado: 'Rechazado', mensajes: [expect.stringContaining('404')] });
    // Bad requests to the simulator itself.
    await simulate('emisioncomprobantes', { rnc: RECEPTOR, tipoEncf: '32', urlRecepcion: origin }).expect(
      400,
    );
    await simulate('emisioncomprobantes', {
      rnc: RECEPTOR,
      tipoEncf: '31',
      urlRecepcion: 'file:///x',
    }).expect(400);
    await http()
      .get(`${SIMULATOR}/consultaacuserecibo?Rnc=${RECEPTOR}&Encf=E310000000000`)
      .set('X-Api-Key', API_KEY)
      .expect(404);
    // It makes outbound calls: the API key is required.
    await http().post(`${SIMULATOR}/emisioncomprobantes`).send({}).expect(401);
  });

  it('a receptor with no attached signer: Rechazado (503), nothing forwarded', async () => {
    const session = await openSession(t.app);
    await register('130000012', session, false);
    await http()
      .delete('/api/v1/sessions/current')
      .set('X-Api-Key', API_KEY)
      .set('Authorization', `Bearer ${session}`)
      .expect(204);
    const before = sink.events.length;
    const res = await simulate('emisioncomprobantes', {
      rnc: '130000012',
      tipoEncf: '31',
      urlRecepcion: `${origin}/receptor/130000012`,
    }).expect(200);
    expect(res.body).toMatchObject({ estado: 'Rechazado', mensajes: [expect.stringContaining('503')] });
    expect(sink.events).toHaveLength(before);
  });

  it('envioaprobacioncomercial sends an ACECF to the approval URL: OK, and an acecf.received event', async () => {
    await register(RECEPTOR, integrator);
    const res = await simulate('envioaprobacioncomercial', {
      urlAprobacionComercial: `${origin}/receptor/${RECEPTOR}`,
      urlAutenticacion: `${origin}/receptor/${RECEPTOR}`,
      rnc: RECEPTOR,
      encf: 'E310000000042',
      estadoAprobacion: 2,
    }).expect(200);
    expect(res.body).toEqual({
      rnc: RECEPTOR,
      encf: 'E310000000042',
      resultado: 'OK',
      httpStatus: 200,
      mensajes: [],
    });
    expect(sink.events.at(-1)).toMatchObject({
      type: 'acecf.received',
      rnc: RECEPTOR,
      document: { eNCF: 'E310000000042', rncEmisor: RECEPTOR, estado: '2' },
    });
    // About an e-CF another RNC issued: the receptor answers 400.
    await register('130000013', integrator, false);
    const foreign = await simulate('envioaprobacioncomercial', {
      urlAprobacionComercial: `${origin}/receptor/130000013`,
      rnc: RECEPTOR,
      encf: 'E310000000043',
      estadoAprobacion: 1,
    }).expect(200);
    expect(foreign.body).toMatchObject({ resultado: 'Error', httpStatus: 400 });
  });
});
