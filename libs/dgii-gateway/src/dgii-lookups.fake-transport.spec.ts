import { Logger } from '@nestjs/common';
import { DgiiRefusedError, InternalError, ManualClock } from '@app/common';
import { loadConfig } from '@app/config';
import { signingIdentityOf } from '@app/signing';
import { testIdentity } from '@app/testing';
import { DgiiCallContext } from './dgii.gateway';
import { ConfigDgiiEndpoints, DgiiEndpoints } from './dgii.endpoints';
import { DgiiHttpRequest, DgiiHttpResponse, DgiiTransport, DgiiTransportError } from './dgii.transport';
import { MemoryDgiiTokenStore } from './dgii-token.store';
import { HttpDgiiGateway } from './http-dgii.gateway';

const SEED =
  '<?xml version="1.0" encoding="utf-8"?>\r\n<SemillaModel><valor>abc</valor>' +
  '<fecha>2026-04-23T13:00:00.1234567-04:00</fecha></SemillaModel>';

function json(status: number, body: unknown): DgiiHttpResponse {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

/** DGII's authentication, then whatever `answer` gives for the lookups. */
class FakeTransport extends DgiiTransport {
  readonly requests: DgiiHttpRequest[] = [];
  answer: (req: DgiiHttpRequest) => DgiiHttpResponse | Error = () => json(200, []);

  send(req: DgiiHttpRequest): Promise<DgiiHttpResponse> {
    this.requests.push(req);
    if (req.url.endsWith('/semilla'))
      return Promise.resolve({ status: 200, contentType: 'application/xml', body: SEED });
    if (req.url.endsWith('/validarsemilla')) return Promise.resolve(json(200, { token: 'dgii-token-1' }));
    const out = this.answer(req);
    return out instanceof Error ? Promise.reject(out) : Promise.resolve(out);
  }

  lookups(): DgiiHttpRequest[] {
    return this.requests.filter((r) => !/semilla$/.test(new URL(r.url).pathname));
  }
}

const endpoints: DgiiEndpoints = {
  ecfBase: (env) => `https://ecf.example/${env.toLowerCase()}`,
  fcBase: (env) => `https://fc.example/${env.toLowerCase()}`,
  statusBase: () => 'https://status.example',
};

describe('HttpDgiiGateway lookups (consulta trackIds, consulta directorio) with a fake transport', () => {
  let transport: FakeTransport;
  let gateway: HttpDgiiGateway;
  let ctx: DgiiCallContext;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(async () => {
    transport = new FakeTransport();
    gateway = new HttpDgiiGateway(
      transport,
      endpoints,
      loadConfig({ DGII_TARGET: 'dgii', DGII_TIMEOUT_MS: '1000' }),
      new ManualClock(),
      new MemoryDgiiTokenStore(),
    );
    ctx = {
      cacheKey: 'key-a\u0000hash-1',
      identity: signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' }),
      environment: 'TEST',
    };
  });

  describe('queryTrackIds', () => {
    it('asks PROTOCOL §1.3 #7 with the Bearer token and returns DGII entries as sent', async () => {
      transport.answer = () =>
        json(200, [
          { trackId: 'd2b6e27c-1', estado: 'Rechazado', fechaRecepcion: '8/15/2023 6:06:57 AM' },
          { trackId: 'd2b6e27c-2', estado: 'Aceptado', fechaRecepcion: '8/15/2023 6:10:01 AM' },
        ]);
      const entries = await gateway.queryTrackIds(ctx, { rncEmisor: '131880738', eNCF: 'E310000000001' });
      expect(entries).toEqual([
        { trackId: 'd2b6e27c-1', estado: 'Rechazado', fechaRecepcion: '8/15/2023 6:06:57 AM' },
        { trackId: 'd2b6e27c-2', estado: 'Aceptado', fechaRecepcion: '8/15/2023 6:10:01 AM' },
      ]);
      const [req] = transport.lookups();
      expect(req.method).toBe('GET');
      expect(req.url).toBe(
        'https://ecf.example/test/consultatrackids/api/trackids/consulta?rncemisor=131880738&encf=E310000000001',
      );
      expect(req.headers.Authorization).toBe('Bearer dgii-token-1');
      expect(req.headers.Accept).toBe('application/json');
    });

    it('escapes the query values', async () => {
      await gateway.queryTrackIds(ctx, { rncEmisor: '1&x=2', eNCF: 'E31 0' });
      expect(transport.lookups()[0].url).toMatch(/\?rncemisor=1%26x%3D2&encf=E31%200$/);
    });

    it('reads any key casing, drops entries without trackId and blank dates', async () => {
      transport.answer = () =>
        json(200, [
          { TrackId: 't-1', Estado: 'En proceso', FechaRecepcion: '' },
          { trackId: null, estado: 'No encontrado', fechaRecepcion: null },
          'noise',
        ]);
      expect(await gateway.queryTrackIds(ctx, { rncEmisor: '1', eNCF: 'E1' })).toEqual([
        { trackId: 't-1', estado: 'En proceso' },
      ]);
    });

    it.each([
      ['an empty array', json(200, [])],
      ['an empty body', { status: 200, contentType: '', body: '' }],
      ['204', { status: 204, contentType: '', body: '' }],
      ['JSON null', json(200, null)],
      ['a single "No encontrado" object', json(200, { trackId: null, estado: 'No encontrado' })],
    ])('reads %s as "DGII holds none"', async (_name, res) => {
      transport.answer = () => res;
      expect(await gateway.queryTrackIds(ctx, { rncEmisor: '1', eNCF: 'E1' })).toEqual([]);
    });

    it('gives a DGII refusal (HTTP 400 with text) as DgiiRefusedError with DGII words', async () => {
      transport.answer = () =>
        json(400, 'El RNC del certificado no está delegado para realizar transacciones para el RNC: 1');
      const error = await gateway.queryTrackIds(ctx, { rncEmisor: '1', eNCF: 'E1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DgiiRefusedError);
      expect((error as Error).message).toBe(
        'DGII refused consultaTrackIds: El RNC del certificado no está delegado para realizar transacciones para el RNC: 1',
      );
    });

    it('reports 5xx, HTML pages and non-JSON as 502 without an outcome (nothing was uploaded)', async () => {
      for (const res of [
        { status: 503, contentType: 'text/html', body: '<title>Service Unavailable</title>' },
        { status: 404, contentType: 'text/html', body: '<title>404 - Not Found</title>' },
        { status: 200, contentType: 'text/html', body: '<html>maintenance</html>' },
      ]) {
        transport.answer = () => res;
        const error = await gateway
          .queryTrackIds(ctx, { rncEmisor: '1', eNCF: 'E1' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InternalError);
        expect(error).toMatchObject({ status: 502, details: [] });
        expect((error as Error).message).toMatch(
          /^DGII submission failed: DGII consultaTrackIds answered HTTP/,
        );
      }
    });

    it('reports a timeout as 502 without an outcome', async () => {
      transport.answer = () =>
        new DgiiTransportError('timeout', true, 'ECONNABORTED', 'no answer within 1000 ms');
      const error = await gateway.queryTrackIds(ctx, { rncEmisor: '1', eNCF: 'E1' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 502, details: [] });
    });

    it('re-authenticates once after a 401', async () => {
      let first = true;
      transport.answer = () => {
        if (!first) return json(200, [{ trackId: 't-9', estado: 'Aceptado' }]);
        first = false;
        return { status: 401, contentType: '', body: '' };
      };
      expect(await gateway.queryTrackIds(ctx, { rncEmisor: '1', eNCF: 'E1' })).toEqual([
        { trackId: 't-9', estado: 'Aceptado' },
      ]);
      expect(transport.requests.filter((r) => r.url.endsWith('/semilla'))).toHaveLength(2);
    });
  });

  it.each([
    ['TEST', 'testecf'],
    ['CERTIFICATION', 'certecf'],
    ['PRODUCTION', 'ecf'],
  ] as const)(
    'reaches DGII own hosts for %s (PROTOCOL §1.3 #7, #11b, #6, #10)',
    async (environment, segment) => {
      const config = loadConfig({ DGII_TARGET: 'dgii', DGII_TIMEOUT_MS: '1000' });
      const real = new HttpDgiiGateway(
        transport,
        new ConfigDgiiEndpoints(config),
        config,
        new ManualClock(),
        new MemoryDgiiTokenStore(),
      );
      const at = { ...ctx, environment };
      await real.queryTrackIds(at, { rncEmisor: '131880738', eNCF: 'E310000000001' });
      await real.lookupDirectory(at, '130862346');
      await real.queryEcfStatus(at, {
        rncEmisor: '131880738',
        eNCF: 'E310000000001',
        securityCode: 'AI7Q2d',
      });
      transport.answer = () => json(200, { rnc: '131880738', codigo: '1', nombre: 'X', mensajes: ['ok'] });
      await real.submitAnecf(at, { xml: '<ANECF/>', fileName: '131880738E310000000001.xml' });
      const base = `https://ecf.dgii.gov.do/${segment}`;
      expect(transport.lookups().map((r) => r.url.split('?')[0])).toEqual([
        `${base}/consultatrackids/api/trackids/consulta`,
        `${base}/consultadirectorio/api/consultas/obtenerdirectorioporrnc`,
        `${base}/consultaestado/api/consultas/estado`,
        `${base}/anulacionrangos/api/operaciones/anularrango`,
      ]);
      expect(new ConfigDgiiEndpoints(config).statusBase()).toBe('https://statusecf.dgii.gov.do');
    },
  );

  describe('lookupDirectory', () => {
    const ITEM = {
      nombre: 'EMPRESA RECEPTORA SRL',
      rnc: '130862346',
      urlRecepcion: 'https://receptor.example/fe/recepcion/api/ecf',
      urlAceptacion: 'https://receptor.example/fe/aprobacioncomercial/api/ecf',
      urlOpcional: 'https://receptor.example/fe/autenticacion',
    };

    it('asks PROTOCOL §1.3 #11b and returns the array DGII sent', async () => {
      transport.answer = () => json(200, [ITEM]);
      expect(await gateway.lookupDirectory({ ...ctx, environment: 'PRODUCTION' }, '130862346')).toEqual([
        ITEM,
      ]);
      const [req] = transport.lookups();
      expect(req.url).toBe(
        'https://ecf.example/production/consultadirectorio/api/consultas/obtenerdirectorioporrnc?RNC=130862346',
      );
      expect(req.headers.Authorization).toBe('Bearer dgii-token-1');
    });

    it('normalises a single object to an array (field: DGII sometimes sends one)', async () => {
      transport.answer = () => json(200, ITEM);
      expect(await gateway.lookupDirectory(ctx, '130862346')).toEqual([ITEM]);
    });

    it('leaves out blank and null URLs, and entries without rnc', async () => {
      transport.answer = () =>
        json(200, [
          {
            nombre: 'X',
            rnc: '130862346',
            urlRecepcion: 'https://r.example/',
            urlAceptacion: '',
            urlOpcional: null,
          },
          { nombre: 'sin rnc', rnc: '' },
        ]);
      expect(await gateway.lookupDirectory(ctx, '130862346')).toEqual([
        { nombre: 'X', rnc: '130862346', urlRecepcion: 'https://r.example/' },
      ]);
    });

    it('reads an empty answer as no receptor', async () => {
      transport.answer = () => json(200, []);
      expect(await gateway.lookupDirectory(ctx, '130862346')).toEqual([]);
    });

    it('reports a 500 as 502 with the service named', async () => {
      transport.answer = () => ({
        status: 500,
        contentType: 'text/html',
        body: '<title>500 - Internal server error.</title>',
      });
      const error = await gateway.lookupDirectory(ctx, '1').catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 502,
        message:
          'DGII submission failed: DGII consultaDirectorio answered HTTP 500: 500 - Internal server error.',
      });
    });

    it('never puts the DGII token in an error', async () => {
      transport.answer = () => json(400, { mensaje: 'consulta inválida' });
      const error = await gateway.lookupDirectory(ctx, '1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DgiiRefusedError);
      expect(
        JSON.stringify({ m: (error as Error).message, d: (error as DgiiRefusedError).details }),
      ).not.toContain('dgii-token-1');
    });
  });

  describe('queryEcfStatus and submitAnecf', () => {
    const query = { rncEmisor: '131880738', eNCF: 'E310000000002', securityCode: 'AI7Q2d' };

    it('normalises consulta estado: codigo as text, amounts as numbers, nulls left out', async () => {
      transport.answer = () =>
        json(200, {
          codigo: 1,
          estado: 'Aceptado',
          rncEmisor: '131880738',
          ncfElectronico: 'E310000000002',
          montoTotal: '7080.00',
          totalITBIS: 1080.0,
          fechaEmision: '01-04-2020',
          fechaFirma: '15-08-2023 09:19:57',
          rncComprador: '130862346',
          codigoSeguridad: 'AI7Q2d',
          idExtranjero: null,
        });
      expect(await gateway.queryEcfStatus(ctx, { ...query, rncComprador: '130862346' })).toEqual({
        codigo: '1',
        estado: 'Aceptado',
        found: true,
        accepted: true,
        rncEmisor: '131880738',
        ncfElectronico: 'E310000000002',
        montoTotal: 7080,
        totalITBIS: 1080,
        fechaEmision: '01-04-2020',
        fechaFirma: '15-08-2023 09:19:57',
        rncComprador: '130862346',
        codigoSeguridad: 'AI7Q2d',
      });
      const url = new URL(transport.lookups()[0].url);
      expect(url.searchParams.get('rnccomprador')).toBe('130862346');
      expect(url.searchParams.get('codigoseguridad')).toBe('AI7Q2d');
    });

    it('reads codigo 0 / 2 as not found / found and refused; no estado at all is a 502', async () => {
      transport.answer = () => json(200, { codigo: '0', estado: 'No encontrado' });
      expect(await gateway.queryEcfStatus(ctx, query)).toMatchObject({ found: false, accepted: false });
      transport.answer = () => json(200, { codigo: 2 });
      expect(await gateway.queryEcfStatus(ctx, query)).toMatchObject({
        codigo: '2',
        estado: 'Rechazado',
        found: true,
        accepted: false,
      });
      transport.answer = () => json(200, { foo: 'bar' });
      await expect(gateway.queryEcfStatus(ctx, query)).rejects.toMatchObject({ status: 502 });
    });

    it('reads an anulación refusal in any of DGII body shapes, and a 5xx as unknown outcome', async () => {
      const upload = { xml: '<ANECF/>', fileName: '131880738E310000000001.xml' };
      transport.answer = () =>
        json(400, {
          rnc: '131880738',
          codigo: '2',
          nombre: 'X',
          mensajes: ['El campo NoLinea no es válido.'],
        });
      expect(await gateway.submitAnecf(ctx, upload)).toEqual({
        accepted: false,
        rnc: '131880738',
        codigo: '2',
        nombre: 'X',
        mensajes: [{ codigo: '', valor: 'El campo NoLinea no es válido.' }],
      });
      transport.answer = () => ({
        status: 400,
        contentType: 'text/plain',
        body: 'La firma del documento no es válida',
      });
      expect(await gateway.submitAnecf(ctx, upload)).toEqual({
        accepted: false,
        codigo: '',
        mensajes: [{ codigo: '', valor: 'La firma del documento no es válida' }],
      });
      transport.answer = () => ({ status: 503, contentType: 'text/html', body: '<title>503</title>' });
      await expect(gateway.submitAnecf(ctx, upload)).rejects.toMatchObject({
        status: 502,
        details: [expect.objectContaining({ outcome: 'unknown' })],
      });
      transport.answer = () =>
        new DgiiTransportError('connection', false, 'ECONNREFUSED', 'could not connect');
      await expect(gateway.submitAnecf(ctx, upload)).rejects.toMatchObject({ status: 502, details: [] });
    });
  });
});
