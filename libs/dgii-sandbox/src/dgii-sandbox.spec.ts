import { INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Clock, createValidationPipe, EnvelopeFilter, ManualClock } from '@app/common';
import { ConfigModule, loadConfig } from '@app/config';
import { signCanonicalXml, signSemilla } from '@app/signing';
import { hasOfficialFiles, itWithOfficialFiles, officialDir, TestIdentity, testIdentity } from '@app/testing';
import { DgiiSandboxModule } from './dgii-sandbox.module';
import { HeldConnections } from './held-connections';
import {
  makeAcecfXml,
  makeEcfXml,
  makeRfceXml,
} from '../../dgii-protocol/src/testing/dgii-documents.fixture';

const E = '/dgii-sandbox/ecf/certecf';
const F = '/dgii-sandbox/fc/certecf';
const SEMILLA = '/autenticacion/api/autenticacion/semilla';
const VALIDAR = '/autenticacion/api/autenticacion/validarsemilla';
const RECEPCION = '/recepcion/api/facturaselectronicas';
const CONSULTA = '/consultaresultado/api/consultas/estado';
const RNC = '131880738';

describe('DGII sandbox (PROTOCOL §1–2, §5–6)', () => {
  let app: INestApplication;
  let clock: ManualClock;
  let identity: TestIdentity;
  let sequence = 100;

  const http = () => request(app.getHttpServer());
  const nextEncf = (tipo = '31'): string => `E${tipo}${String(++sequence).padStart(10, '0')}`;

  async function tokenFor(base = E): Promise<string> {
    const seed = await http()
      .get(base + SEMILLA)
      .expect(200);
    const res = await http()
      .post(base + VALIDAR)
      .attach('xml', Buffer.from(signSemilla(seed.text, identity)), {
        filename: 'semilla.xml',
        contentType: 'text/xml',
      })
      .expect(200);
    return (res.body as { token: string }).token;
  }

  function upload(path: string, token: string, xml: string, filename: string): request.Test {
    return http()
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .attach('xml', Buffer.from(xml), { filename, contentType: 'text/xml' });
  }

  async function finalVerdict(token: string, trackId: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 50; i++) {
      const res = await http()
        .get(`${E}${CONSULTA}?trackid=${trackId}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      if ((res.body as { codigo: string }).codigo !== '3') return res.body as Record<string, unknown>;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('still En Proceso');
  }

  async function submit(token: string, xml: string, encf: string): Promise<Record<string, unknown>> {
    const res = await upload(E + RECEPCION, token, xml, `${RNC}${encf}.xml`).expect(200);
    return finalVerdict(token, (res.body as { trackId: string }).trackId);
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    identity = await testIdentity();
    clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })),
        // The official XSDs wherever they are found (FISCALIACORE_SHARED_DIR too), else no XSD check.
        DgiiSandboxModule.forRoot({
          processingDelayMs: 30,
          xsdDir: hasOfficialFiles('xsd') ? officialDir('xsd') : false,
        }),
      ],
    })
      .overrideProvider(Clock)
      .useValue(clock)
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

  describe('authentication (PROTOCOL §2)', () => {
    it('serves a pretty-printed .NET seed, on any path casing', async () => {
      const res = await http()
        .get('/dgii-sandbox/ecf/CerteCF/Autenticacion/api/Autenticacion/Semilla')
        .expect(200);
      expect(res.headers['content-type']).toMatch(/xml/);
      expect(res.text).toMatch(
        /^<\?xml version="1\.0" encoding="utf-8"\?>\r\n<SemillaModel xmlns:xsi="[^"]+" xmlns:xsd="[^"]+">\r\n {2}<valor>[A-Za-z0-9+/]{128}<\/valor>\r\n {2}<fecha>2026-04-23T13:00:00\.\d{7}-04:00<\/fecha>\r\n<\/SemillaModel>$/,
      );
      await http().get(`/dgii-sandbox/ecf/nope${SEMILLA}`).expect(404);
    });

    it('issues a one-hour DGII-shaped token for a signed seed, bound to the cédula', async () => {
      const seed = await http().get(E + SEMILLA);
      const res = await http()
        .post(E + VALIDAR)
        .attach('xml', Buffer.from(signSemilla(seed.text, identity)), 'semilla.xml')
        .expect(200);
      expect(res.body).toEqual({
        token: expect.any(String),
        expira: '2026-04-23T18:00:00Z',
        expedido: '2026-04-23T17:00:00Z',
      });
      const claims = JSON.parse(
        Buffer.from((res.body as { token: string }).token.split('.')[1], 'base64url').toString(),
      );
      expect(claims).toMatchObject({
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': '40209547971',
        iss: 'DGII.FE',
        aud: 'USUARIOS.DGII.FE',
      });
    });

    it('accepts each seed once, only in its environment, for five minutes', async () => {
      const signed = signSemilla((await http().get(E + SEMILLA)).text, identity);
      const post = (base: string) =>
        http()
          .post(base + VALIDAR)
          .attach('xml', Buffer.from(signed), 'semilla.xml');
      expect((await post('/dgii-sandbox/ecf/testecf').expect(400)).text).toBe(
        'La semilla no es válida o ha expirado.',
      );
      await post(E).expect(200);
      await post(E).expect(400);

      const late = signSemilla((await http().get(E + SEMILLA)).text, identity);
      clock.advance(5 * 60_000);
      await http()
        .post(E + VALIDAR)
        .attach('xml', Buffer.from(late), 'semilla.xml')
        .expect(400);
    });

    it('refuses a seed signed over other bytes, and a request without the xml part', async () => {
      const signed = signSemilla((await http().get(E + SEMILLA)).text, identity);
      const tampered = signed.replace(/<valor>(.)/, (_m, c: string) => `<valor>${c === 'A' ? 'B' : 'A'}`);
      const res = await http()
        .post(E + VALIDAR)
        .attach('xml', Buffer.from(tampered), 'semilla.xml')
        .expect(400);
      expect(res.text).toMatch(/^Firma del certificado invalida|^El XML de la semilla no es válido/);
      const missing = await http()
        .post(E + VALIDAR)
        .attach('archivo', Buffer.from(signed), 'semilla.xml')
        .expect(400);
      expect(missing.body).toMatchObject({
        title: 'One or more validation errors occurred.',
        errors: { xml: ['The xml field is required.'] },
      });
    });

    it('requires a live Bearer token of the same environment on every other service', async () => {
      const token = await tokenFor();
      const res = await http().get(`${E}${CONSULTA}?trackid=x`).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      await http().get(`${E}${CONSULTA}?trackid=x`).set('Authorization', 'Bearer nonsense').expect(401);
      await http()
        .get(`/dgii-sandbox/ecf/testecf${CONSULTA}?trackid=x`)
        .set('Authorization', `Bearer ${token}`)
        .expect(401);
      await http().get(`${E}${CONSULTA}?trackid=x`).set('Authorization', `bearer ${token}`).expect(200);
      clock.advance(3_600_000);
      await http().get(`${E}${CONSULTA}?trackid=x`).set('Authorization', `Bearer ${token}`).expect(401);
    });
  });

  describe('e-CF reception and consulta resultado (PROTOCOL §1.3–1.5)', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenFor();
    });

    it('answers En Proceso first, then the verdict in the real shape', async () => {
      const encf = nextEncf();
      const xml = signCanonicalXml(makeEcfXml({ encf }), identity).xml;
      const res = await upload(E + RECEPCION, token, xml, `${RNC}${encf}.xml`).expect(200);
      expect(res.body).toEqual({
        trackId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        error: null,
        mensaje: null,
      });
      const trackId = (res.body as { trackId: string }).trackId;
      const first = await http()
        .get(`${E}${CONSULTA}?TrackId=${trackId}`)
        .set('Authorization', `Bearer ${token}`);
      expect(first.body).toMatchObject({ trackId, codigo: '3', estado: 'En Proceso', rnc: RNC, encf });
      expect(await finalVerdict(token, trackId)).toEqual({
        trackId,
        codigo: '1',
        estado: 'Aceptado',
        rnc: RNC,
        encf,
        secuenciaUtilizada: true,
        fechaRecepcion: expect.stringMatching(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/),
        mensajes: [{ valor: '', codigo: 0 }],
      });
    });

    it('rejects a document whose signature does not verify, leaving the e-NCF unused', async () => {
      const encf = nextEncf();
      const xml = signCanonicalXml(makeEcfXml({ encf }), identity).xml.replace(
        'CLIENTE DEMO SRL',
        'CLIENTE DEMO SAS',
      );
      expect(await submit(token, xml, encf)).toMatchObject({
        codigo: '2',
        estado: 'Rechazado',
        secuenciaUtilizada: false,
        mensajes: [{ valor: 'La firma del XML no es válida.', codigo: 0 }],
      });
      // Not burnt: the corrected document is accepted.
      expect(await submit(token, signCanonicalXml(makeEcfXml({ encf }), identity).xml, encf)).toMatchObject({
        codigo: '1',
      });
    });

    itWithOfficialFiles(
      'rejects a document that does not follow its XSD',
      async () => {
        const encf = nextEncf();
        const xml = signCanonicalXml(
          makeEcfXml({ encf }).replace('<TipoPago>1</TipoPago>', ''),
          identity,
        ).xml;
        const verdict = await submit(token, xml, encf);
        expect(verdict).toMatchObject({ codigo: '2', secuenciaUtilizada: false });
        expect((verdict.mensajes as { valor: string }[])[0].valor).toMatch(
          /^El formato del XML no es válido\./,
        );
      },
      ['xsd'],
    );

    it('rejects an e-NCF that does not match TipoeCF', async () => {
      const encf = nextEncf('33');
      const verdict = await submit(token, signCanonicalXml(makeEcfXml({ encf }), identity).xml, encf);
      expect(verdict).toMatchObject({ codigo: '2', estado: 'Rechazado' });
      expect(JSON.stringify(verdict.mensajes)).toContain('no corresponde al TipoeCF 31');
    });

    it('accepts conditionally when MontoTotal is off by more than the tolerance (IT §12)', async () => {
      const encf = nextEncf();
      const xml = signCanonicalXml(makeEcfXml({ encf, montoTotal: '120.00' }), identity).xml;
      expect(await submit(token, xml, encf)).toMatchObject({
        codigo: '4',
        estado: 'Aceptado Condicional',
        secuenciaUtilizada: true,
      });
      const within = nextEncf();
      expect(
        await submit(
          token,
          signCanonicalXml(makeEcfXml({ encf: within, montoTotal: '118.90' }), identity).xml,
          within,
        ),
      ).toMatchObject({
        codigo: '1',
      });
    });

    it('refuses bad file names, DOCTYPE and a missing trackid synchronously', async () => {
      const encf = nextEncf();
      const xml = signCanonicalXml(makeEcfXml({ encf }), identity).xml;
      const bad = await upload(E + RECEPCION, token, xml, 'factura.xml').expect(400);
      expect(bad.body).toEqual({
        trackId: null,
        error: '3243',
        mensaje: 'La longitud del nombre del archivo no es válida.',
      });
      const doctype = await upload(
        E + RECEPCION,
        token,
        `<!DOCTYPE ECF [<!ENTITY x "y">]>${xml}`,
        `${RNC}${encf}.xml`,
      ).expect(400);
      expect(doctype.body).toMatchObject({ trackId: null, mensaje: 'El XML no puede contener DOCTYPE.' });
      const noTrack = await http()
        .get(E + CONSULTA)
        .set('Authorization', `Bearer ${token}`)
        .expect(400);
      expect(noTrack.body).toMatchObject({ errors: { trackid: ['The trackid field is required.'] } });
    });

    it('answers No encontrado for an unknown trackId or one of another environment', async () => {
      const res = await http()
        .get(`${E}${CONSULTA}?trackid=unknown`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(res.body).toMatchObject({ trackId: 'unknown', codigo: '0', estado: 'No encontrado' });
    });
  });

  describe('RFCE and aprobación comercial (PROTOCOL §5–6)', () => {
    let token: string;
    beforeAll(async () => {
      token = await tokenFor();
    });

    it('answers RFCE synchronously in its shape', async () => {
      const encf = nextEncf('32');
      const xml = signCanonicalXml(makeRfceXml({ encf }), identity).xml;
      const res = await upload(`${F}/recepcionfc/api/recepcion/ecf`, token, xml, `${RNC}${encf}.xml`).expect(
        200,
      );
      expect(res.body).toEqual({
        codigo: 1,
        estado: 'Aceptado',
        mensajes: [{ codigo: '0', valor: '' }],
        encf,
        secuenciaUtilizada: true,
      });
    });

    it('refuses an RFCE of 250,000 or more', async () => {
      const encf = nextEncf('32');
      const xml = signCanonicalXml(
        makeRfceXml({ encf, montoGravado: '250000.00', itbis: '45000.00', montoTotal: '295000.00' }),
        identity,
      ).xml;
      const res = await upload(`${F}/recepcionfc/api/recepcion/ecf`, token, xml, `${RNC}${encf}.xml`).expect(
        200,
      );
      expect(res.body).toMatchObject({ codigo: 2, estado: 'Rechazado', secuenciaUtilizada: false });
    });

    it('approves an ACECF, refuses one for an e-CF it rejected (HTTP 400, codigo "02")', async () => {
      const path = `${E}/aprobacioncomercial/api/aprobacioncomercial`;
      const encf = nextEncf();
      const ok = signCanonicalXml(makeAcecfXml({ encf }), identity).xml;
      const res = await upload(path, token, ok, `101000001${encf}.xml`).expect(200);
      expect(res.body).toEqual({ mensaje: [], estado: 'Aprobacion Comercial Aprobada', codigo: '01' });

      const rejectedEncf = nextEncf();
      const badEcf = signCanonicalXml(makeEcfXml({ encf: rejectedEncf }), identity).xml.replace(
        'Servicio',
        'Servicios',
      );
      expect(await submit(token, badEcf, rejectedEncf)).toMatchObject({ codigo: '2' });
      const acecf = signCanonicalXml(makeAcecfXml({ encf: rejectedEncf }), identity).xml;
      const refused = await upload(path, token, acecf, `101000001${rejectedEncf}.xml`).expect(400);
      expect(refused.body).toEqual({
        mensaje: ['No se encuentra un e-CF válido para esta aprobación comercial'],
        estado: 'Aprobacion Comercial Rechazada',
        codigo: '02',
      });

      const consumo = signCanonicalXml(makeAcecfXml({ encf: nextEncf('32') }), identity).xml;
      const notRequired = await upload(path, token, consumo, `101000001E320000000001.xml`).expect(400);
      expect(notRequired.body).toMatchObject({
        mensaje: ['Aprobación Comercial no es requerida para este tipo de e-CF'],
      });
    });
  });

  describe('admin: faults and stats', () => {
    it('counts calls per service and validates fault requests', async () => {
      const before = (await http().get('/dgii-sandbox/_admin/stats').expect(200)).body as Record<
        string,
        number
      >;
      await http()
        .get(E + SEMILLA)
        .expect(200);
      const after = (await http().get('/dgii-sandbox/_admin/stats').expect(200)).body as Record<
        string,
        number
      >;
      expect(after.semilla - before.semilla).toBe(1);
      expect(Object.keys(after).sort()).toEqual([
        'anulacion',
        'aprobacion',
        'consulta',
        'consultaestado',
        'directorio',
        'estatus',
        'recepcion',
        'recepcionfc',
        'receptor',
        'semilla',
        'trackids',
        'validarsemilla',
      ]);
      await http().post('/dgii-sandbox/_admin/faults').send({ next: 0, kind: 'boom' }).expect(400);
    });

    it('injects faults by path for the next n calls, and clears them', async () => {
      await http()
        .post('/dgii-sandbox/_admin/faults')
        .send({ next: 2, kind: '500', path: 'SEMILLA' })
        .expect(201);
      expect(
        (
          await http()
            .get(E + SEMILLA)
            .expect(500)
        ).text,
      ).toContain('500 - Internal server error.');
      await http()
        .get(E + SEMILLA)
        .expect(500);
      await http()
        .get(E + SEMILLA)
        .expect(200);
      await http().post('/dgii-sandbox/_admin/faults').send({ next: 5, kind: '401' }).expect(201);
      await http().delete('/dgii-sandbox/_admin/faults').expect(204);
      await http()
        .get(E + SEMILLA)
        .expect(200);
    });

    it('holds a timeout-faulted request and lets go of it when the module stops', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })),
          DgiiSandboxModule.forRoot({ xsdDir: false }),
        ],
      }).compile();
      const other = moduleRef.createNestApplication();
      await other.listen(0, '127.0.0.1');
      const server = request(other.getHttpServer());
      await server.post('/dgii-sandbox/_admin/faults').send({ next: 1, kind: 'timeout' }).expect(201);
      const held = server
        .get(E + SEMILLA)
        .then(() => 'answered')
        .catch((error: Error) => error.message);
      await new Promise((r) => setTimeout(r, 100));
      expect(other.get(HeldConnections).size()).toBe(1);
      await other.close();
      // Closed by the sandbox on shutdown, not answered at the end of the hold.
      expect(await held).toBe('socket hang up');
      expect(other.get(HeldConnections).size()).toBe(0);
    });
  });

  it('refuses to start with NODE_ENV=production', async () => {
    const config = { ...loadConfig({ NODE_ENV: 'test' }), isProduction: true, nodeEnv: 'production' };
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), DgiiSandboxModule.forRoot({ xsdDir: false })],
    }).compile();
    await expect(moduleRef.createNestApplication().init()).rejects.toThrow(
      /cannot run with NODE_ENV=production/,
    );
  });
});
