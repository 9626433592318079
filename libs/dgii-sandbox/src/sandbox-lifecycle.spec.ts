import { INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createValidationPipe, EnvelopeFilter } from '@app/common';
import { ConfigModule, loadConfig, SANDBOX_STATUS_API_KEY } from '@app/config';
import { signCanonicalXml, signSemilla } from '@app/signing';
import {
  describeWithOfficialFiles,
  hasOfficialFiles,
  officialDir,
  TestIdentity,
  testIdentity,
} from '@app/testing';
import { anecfFromRequest, buildDocument } from '@app/xml-builder';
import { makeEcfXml } from '../../dgii-protocol/src/testing/dgii-documents.fixture';
import { DgiiSandboxModule } from './dgii-sandbox.module';
import { SandboxDirectory } from './sandbox-directory';

const E = '/dgii-sandbox/ecf/certecf';
const S = '/dgii-sandbox/status/api/estatusservicios';
const RNC = '131880738';

type Json = Record<string, unknown>;

/** The sandbox's lifecycle services at the HTTP level, in DGII's own shapes (PROTOCOL §1.3 #6, #7, #10, #11, #14). */
describe('DGII sandbox: consulta estado, trackIds, directorio, anulación, estatus servicios', () => {
  let app: INestApplication;
  let identity: TestIdentity;
  let token: string;
  let sequence = 400;
  const http = () => request(app.getHttpServer());
  const bearer = (path: string) => http().get(path).set('Authorization', `Bearer ${token}`);
  const apikey = (path: string, key = SANDBOX_STATUS_API_KEY) =>
    http().get(path).set('Authorization', `Apikey ${key}`);
  const upload = (path: string, xml: string, filename: string) =>
    http()
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .attach('xml', Buffer.from(xml), { filename, contentType: 'text/xml' });

  /** An accepted e-CF 31 with its trackId and security code, once its verdict shows. */
  async function accepted(): Promise<{ encf: string; trackId: string; securityCode: string }> {
    const encf = `E31${String(++sequence).padStart(10, '0')}`;
    const signed = signCanonicalXml(makeEcfXml({ encf }), identity);
    const res = await upload(
      `${E}/recepcion/api/facturaselectronicas`,
      signed.xml,
      `${RNC}${encf}.xml`,
    ).expect(200);
    await new Promise((r) => setTimeout(r, 60));
    return { encf, trackId: (res.body as { trackId: string }).trackId, securityCode: signed.securityCode };
  }

  const anecf = (desde: string, hasta: string): string =>
    signCanonicalXml(
      buildDocument(
        'ANECF',
        anecfFromRequest(
          { rncEmisor: RNC, anulaciones: [{ tipoeCF: desde.slice(1, 3), rangos: [{ desde, hasta }] }] },
          '01-04-2026 10:00:00',
        ),
      ),
      identity,
    ).xml;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    identity = await testIdentity();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })),
        DgiiSandboxModule.forRoot({
          processingDelayMs: 30,
          xsdDir: hasOfficialFiles('xsd') ? officialDir('xsd') : false,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new EnvelopeFilter());
    await app.init();
    const seed = await http().get(`${E}/autenticacion/api/autenticacion/semilla`).expect(200);
    token = (
      await http()
        .post(`${E}/autenticacion/api/autenticacion/validarsemilla`)
        .attach('xml', Buffer.from(signSemilla(seed.text, identity)), {
          filename: 'semilla.xml',
          contentType: 'text/xml',
        })
        .expect(200)
    ).body.token as string;
  });

  afterAll(async () => {
    await app?.close();
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
  });

  it('needs DGII Bearer on the {E} services, and the required query parameters (ProblemDetails)', async () => {
    for (const path of [
      `${E}/consultatrackids/api/trackids/consulta?rncemisor=${RNC}&encf=E310000000001`,
      `${E}/consultaestado/api/consultas/estado?rncemisor=${RNC}&ncfelectronico=E310000000001`,
      `${E}/consultadirectorio/api/consultas/obtenerdirectorioporrnc?RNC=${RNC}`,
      `${E}/consultadirectorio/api/consultas/listado`,
    ]) {
      await http().get(path).expect(401);
    }
    const missing = await bearer(`${E}/consultatrackids/api/trackids/consulta?rncemisor=${RNC}`).expect(400);
    expect(missing.body).toMatchObject({
      title: 'One or more validation errors occurred.',
      errors: { encf: expect.any(Array) },
    });
    await bearer(`${E}/consultadirectorio/api/consultas/obtenerdirectorioporrnc`).expect(400);
    await bearer(`/dgii-sandbox/ecf/nope/consultatrackids/api/trackids/consulta?rncemisor=1&encf=E1`).expect(
      404,
    );
    // Query names bind in any case, as ASP.NET does.
    await bearer(`${E}/consultatrackids/api/trackids/consulta?RncEmisor=${RNC}&ENCF=E310000000001`).expect(
      200,
      [],
    );
  });

  it('estatus servicios needs "Authorization: Apikey" with the configured (here: default) key', async () => {
    await http().get(`${S}/obtenerestatus`).expect(401);
    await apikey(`${S}/obtenerestatus`, 'wrong-key').expect(401);
    await http().get(`${S}/obtenerestatus`).set('Authorization', `Bearer ${token}`).expect(401);
    const res = await apikey(`${S}/obtenerestatus`).expect(200);
    expect(res.body).toHaveLength(27);
    await http()
      .get(`${S}/obtenerventanasmantenimiento`)
      .set('Authorization', `APIKEY ${SANDBOX_STATUS_API_KEY}`)
      .expect(200);
  });

  it('ANECF: refusals with DGII documented messages, HTTP 400 in DGII shape', async () => {
    const refused = async (xml: string, file = `${RNC}E310000950001.xml`) =>
      (await upload(`${E}/anulacionrangos/api/operaciones/anularrango`, xml, file).expect(400)).body as Json;
    expect(await refused(anecf('E310000950001', 'E310000950002'), 'anecf.xml')).toEqual({
      rnc: null,
      codigo: '2',
      nombre: null,
      mensajes: ['La longitud del nombre del archivo no es válida.'],
    });
    const tampered = anecf('E310000950001', 'E310000950002').replace('E310000950002', 'E310000950003');
    expect((await refused(tampered)).mensajes).toEqual(['La firma del documento no es válida.']);
    // Our ANECF rules refuse a range of another type, so alter the built XML before signing it.
    const crossType = signCanonicalXml(
      buildDocument('ANECF', {
        Encabezado: {
          Version: '1.0',
          RncEmisor: RNC,
          CantidadeNCFAnulados: 1,
          FechaHoraAnulacioneNCF: '01-04-2026 10:00:00',
        },
        DetalleAnulacion: {
          Anulacion: [
            {
              NoLinea: 1,
              TipoeCF: 31,
              TablaRangoSecuenciasAnuladaseNCF: {
                Secuencias: [{ SecuenciaeNCFDesde: 'E310000950001', SecuenciaeNCFHasta: 'E310000950001' }],
              },
              CantidadeNCFAnulados: 1,
            },
          ],
        },
      }).replace('<TipoeCF>31</TipoeCF>', '<TipoeCF>33</TipoeCF>'),
      identity,
    ).xml;
    expect((await refused(crossType)).mensajes).toEqual(['El tipo de comprobante no es válido.']);
  });

  describeWithOfficialFiles(
    "answers in DGII's own shapes (samples/json)",
    () => {
      const sampleKeys = (name: string, pick: (j: unknown) => unknown = (j) => j): string[] => {
        const json = JSON.parse(readFileSync(join(officialDir('samples'), 'json', name), 'utf8')) as unknown;
        const value = pick(json);
        return Object.keys((Array.isArray(value) ? value[0] : value) as Json).sort();
      };
      const keys = (value: unknown): string[] =>
        Object.keys((Array.isArray(value) ? value[0] : value) as Json).sort();

      it('consulta trackIds: an array of consultatrackids-response-SHAPE.json items', async () => {
        const doc = await accepted();
        const res = await bearer(
          `${E}/consultatrackids/api/trackids/consulta?rncemisor=${RNC}&encf=${doc.encf}`,
        ).expect(200);
        expect(Array.isArray(res.body)).toBe(true);
        expect(keys(res.body)).toEqual(sampleKeys('consultatrackids-response-SHAPE.json'));
        expect(res.body[0]).toMatchObject({ trackId: doc.trackId, estado: 'Aceptado' });
      });

      it('consulta estado: consultaestado-response-SHAPE.json, found and not found', async () => {
        const doc = await accepted();
        const found = await bearer(
          `${E}/consultaestado/api/consultas/estado?rncemisor=${RNC}&ncfelectronico=${doc.encf}&rnccomprador=&codigoseguridad=${encodeURIComponent(doc.securityCode)}`,
        ).expect(200);
        expect(keys(found.body)).toEqual(sampleKeys('consultaestado-response-SHAPE.json'));
        expect(found.body).toMatchObject({
          codigo: 1,
          estado: 'Aceptado',
          codigoSeguridad: doc.securityCode,
        });
        const missing = await bearer(
          `${E}/consultaestado/api/consultas/estado?rncemisor=${RNC}&ncfelectronico=${doc.encf}&codigoseguridad=XXXXXX`,
        ).expect(200);
        expect(keys(missing.body)).toEqual(sampleKeys('consultaestado-response-SHAPE.json'));
        expect(missing.body).toMatchObject({ codigo: 0, estado: 'No encontrado' });
      });

      it('consulta directorio: consultadirectorio-response-SHAPE.json items (listado an array)', async () => {
        app
          .get(SandboxDirectory)
          .register({ rnc: '130862346', nombre: 'RECEPTORA SRL', urlRecepcion: 'https://r.example/' });
        const one = await bearer(
          `${E}/consultadirectorio/api/consultas/obtenerdirectorioporrnc?RNC=130862346`,
        ).expect(200);
        expect(keys(one.body)).toEqual(sampleKeys('consultadirectorio-response-SHAPE.json'));
        const all = await bearer(`${E}/consultadirectorio/api/consultas/listado`).expect(200);
        expect(Array.isArray(all.body)).toBe(true);
        expect(keys(all.body)).toEqual(sampleKeys('consultadirectorio-response-SHAPE.json'));
      });

      it('anulación de rangos: anulacionrangos-response-SHAPE.json', async () => {
        const res = await upload(
          `${E}/anulacionrangos/api/operaciones/anularrango`,
          anecf('E310000960001', 'E310000960009'),
          `${RNC}E310000960001.xml`,
        ).expect(200);
        expect(keys(res.body)).toEqual(sampleKeys('anulacionrangos-response-SHAPE.json'));
        expect(res.body.mensajes).toEqual(['Las secuencias fueron anuladas correctamente.']);
      });

      it('estatus servicios and ventanas de mantenimiento: their SHAPE files', async () => {
        const estatus = await apikey(`${S}/obtenerestatus`).expect(200);
        expect(keys(estatus.body)).toEqual(sampleKeys('estatusservicios-obtenerestatus-SHAPE.json'));
        const sample = JSON.parse(
          readFileSync(
            join(officialDir('samples'), 'json', 'estatusservicios-obtenerestatus-SHAPE.json'),
            'utf8',
          ),
        ) as { servicio: string }[];
        expect([...new Set(estatus.body.map((s: { servicio: string }) => s.servicio))]).toEqual(
          sample.map((s) => s.servicio),
        );
        const ventanas = await apikey(`${S}/obtenerventanasmantenimiento`).expect(200);
        expect(Object.keys(ventanas.body)).toEqual(['ventanaMantenimientos']);
        expect(keys(ventanas.body.ventanaMantenimientos)).toEqual(
          sampleKeys(
            'estatusservicios-ventanasmantenimiento-SHAPE.json',
            (j) => (j as Json).ventanaMantenimientos,
          ),
        );
      });
    },
    ['samples'],
  );
});
