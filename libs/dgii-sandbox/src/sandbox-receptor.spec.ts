import { INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Clock, createValidationPipe, EnvelopeFilter, ManualClock } from '@app/common';
import { ConfigModule, loadConfig } from '@app/config';
import { signCanonicalXml, signSemilla } from '@app/signing';
import { hasOfficialFiles, officialDir, TestIdentity, testIdentity, xmlsecVerify } from '@app/testing';
import { DgiiSandboxModule } from './dgii-sandbox.module';
import { makeAcecfXml, makeEcfXml } from '../../dgii-protocol/src/testing/dgii-documents.fixture';

const BUYER = '101000001';
const R = `/dgii-sandbox/receptor/${BUYER}/fe`;

describe('sandbox built-in buyer receptor (PROTOCOL §8)', () => {
  let app: INestApplication;
  let identity: TestIdentity;
  let sequence = 0;
  const http = () => request(app.getHttpServer());
  const nextEncf = () => `E31${String(++sequence).padStart(10, '0')}`;

  async function token(): Promise<string> {
    const seed = await http().get(`${R}/autenticacion/api/semilla`).expect(200);
    const res = await http()
      .post(`${R}/autenticacion/api/validacioncertificado`)
      .attach('xml', Buffer.from(signSemilla(seed.text, identity)), { filename: 'semilla.xml' })
      .expect(200);
    return (res.body as { token: string }).token;
  }

  const send = async (xml: string, status: number, path = 'recepcion/api/ecf') =>
    http()
      .post(`${R}/${path}`)
      .set('Authorization', `Bearer ${await token()}`)
      .attach('xml', Buffer.from(xml), { filename: 'doc.xml', contentType: 'text/xml' })
      .expect(status);

  const field = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    identity = await testIdentity();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })),
        DgiiSandboxModule.forRoot({ xsdDir: hasOfficialFiles('xsd') ? officialDir('xsd') : false }),
      ],
    })
      .overrideProvider(Clock)
      .useValue(new ManualClock(Date.parse('2026-04-23T17:00:00Z')))
      .compile();
    app = moduleRef.createNestApplication();
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new EnvelopeFilter());
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
  });

  it('answers a signed ARECF, Estado 0, for a good e-CF addressed to it; signed by its own certificate', async () => {
    const encf = nextEncf();
    const res = await send(signCanonicalXml(makeEcfXml({ encf }), identity).xml, 200);
    expect(res.headers['content-type']).toMatch(/xml/);
    expect(field(res.text, 'Estado')).toBe('0');
    expect(res.text).not.toContain('<CodigoMotivoNoRecibido>');
    expect(field(res.text, 'eNCF')).toBe(encf);
    expect(field(res.text, 'RNCComprador')).toBe(BUYER);
    expect(xmlsecVerify(res.text)).toMatchObject({ ok: true });
    expect(res.text).not.toContain(identity.certificate.raw.toString('base64').slice(0, 60));
  });

  it('decides motives in PROTOCOL §8.2 order: signature 2, duplicate 3, RNCComprador 4, format 1', async () => {
    const encf = nextEncf();
    const signed = signCanonicalXml(makeEcfXml({ encf }), identity).xml;
    const tampered = signed.replace('<MontoTotal>118.00</MontoTotal>', '<MontoTotal>1.00</MontoTotal>');
    const motive = async (xml: string) => {
      const text = (await send(xml, 200)).text;
      return [field(text, 'Estado'), field(text, 'CodigoMotivoNoRecibido')];
    };
    expect(await motive(tampered)).toEqual(['1', '2']);
    expect(await motive(signed)).toEqual(['0', undefined]);
    expect(await motive(signed)).toEqual(['1', '3']);
    const other = signCanonicalXml(makeEcfXml({ encf: nextEncf(), rncComprador: '130000009' }), identity).xml;
    expect(await motive(other)).toEqual(['1', '4']);
    const notReceivable = signCanonicalXml(makeEcfXml({ tipo: '43', encf: 'E430000000001' }), identity).xml;
    expect(await motive(notReceivable)).toEqual(['1', '1']);
  });

  it('needs its Bearer once it publishes authentication, and the xml part', async () => {
    const xml = signCanonicalXml(makeEcfXml({ encf: nextEncf() }), identity).xml;
    await http()
      .post(`${R}/recepcion/api/ecf`)
      .attach('xml', Buffer.from(xml), { filename: 'doc.xml' })
      .expect(401);
    await http()
      .post(`${R}/recepcion/api/ecf`)
      .set('Authorization', `Bearer ${await token()}`)
      .field('other', 'x')
      .expect(400);
  });

  it('aprobación comercial: 200 for a signed ACECF, 400 for a broken signature', async () => {
    const acecf = signCanonicalXml(makeAcecfXml(), identity).xml;
    expect((await send(acecf, 200, 'aprobacioncomercial/api/ecf')).body).toMatchObject({ codigo: 'OK' });
    const broken = acecf.replace('<MontoTotal>118.00</MontoTotal>', '<MontoTotal>1.00</MontoTotal>');
    expect((await send(broken, 400, 'aprobacioncomercial/api/ecf')).body).toMatchObject({ codigo: 'Error' });
  });

  it('admin: "RNC X receives at URL Y", or at the built-in receptor when no URL is given', async () => {
    const builtIn = await http().post('/dgii-sandbox/_admin/directory').send({ rnc: BUYER }).expect(201);
    expect(builtIn.body.urlRecepcion).toMatch(new RegExp(`/dgii-sandbox/receptor/${BUYER}$`));
    expect(builtIn.body.urlOpcional).toBe(builtIn.body.urlRecepcion);
    const given = await http()
      .post('/dgii-sandbox/_admin/directory')
      .send({ rnc: '130000009', urlRecepcion: 'https://receptor.example.do', segment: 'certecf' })
      .expect(201);
    expect(given.body).toEqual({ rnc: '130000009', urlRecepcion: 'https://receptor.example.do' });
    await http()
      .post('/dgii-sandbox/_admin/directory')
      .send({ rnc: 'x', urlRecepcion: 'ftp://a' })
      .expect(400);
    await http().delete('/dgii-sandbox/_admin/directory/130000009').expect(204);
  });
});
