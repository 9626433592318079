import { Logger } from '@nestjs/common';
import { InternalError, ManualClock } from '@app/common';
import { loadConfig } from '@app/config';
import { signingIdentityOf } from '@app/signing';
import { testIdentity } from '@app/testing';
import { DgiiCallContext } from './dgii.gateway';
import { DgiiEndpoints } from './dgii.endpoints';
import { DgiiHttpRequest, DgiiHttpResponse, DgiiTransport, DgiiTransportError } from './dgii.transport';
import { MemoryDgiiTokenStore } from './dgii-token.store';
import { OUTCOME_UNKNOWN, TOKEN_REFUSED_TWICE, HttpDgiiGateway } from './http-dgii.gateway';

const SEED =
  '<?xml version="1.0" encoding="utf-8"?>\r\n<SemillaModel xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema">\r\n  <valor>abc</valor>\r\n  <fecha>2026-04-23T13:00:00.1234567-04:00</fecha>\r\n</SemillaModel>';

type Handler = (req: DgiiHttpRequest) => DgiiHttpResponse | Promise<DgiiHttpResponse>;

class FakeTransport extends DgiiTransport {
  readonly requests: DgiiHttpRequest[] = [];
  readonly routes = new Map<string, Handler[]>();
  private tokens = 0;

  constructor() {
    super();
    this.on('semilla', () => ({ status: 200, contentType: 'application/xml', body: SEED }));
    this.on('validarsemilla', () =>
      json(200, {
        token: `dgii-token-${++this.tokens}`,
        expira: '2026-04-23T18:00:00Z',
        expedido: '2026-04-23T17:00:00Z',
      }),
    );
  }

  /** Handlers for a path segment; the last one repeats. */
  on(segment: string, ...handlers: Handler[]): this {
    this.routes.set(segment, handlers);
    return this;
  }

  count(segment: string): number {
    return this.requests.filter((r) => this.segmentOf(r.url) === segment).length;
  }

  async send(req: DgiiHttpRequest): Promise<DgiiHttpResponse> {
    this.requests.push(req);
    const handlers = this.routes.get(this.segmentOf(req.url)) ?? [];
    const handler = handlers.length > 1 ? handlers.shift()! : handlers[0];
    if (!handler) return { status: 404, contentType: 'text/plain', body: 'no route' };
    return handler(req);
  }

  private segmentOf(url: string): string {
    return new URL(url).pathname.split('/').filter(Boolean).at(-1)!;
  }
}

function json(status: number, body: unknown): DgiiHttpResponse {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

const endpoints: DgiiEndpoints = {
  ecfBase: (env) => `https://ecf.example/${env.toLowerCase()}`,
  fcBase: (env) => `https://fc.example/${env.toLowerCase()}`,
  statusBase: () => 'https://status.example',
};

const ACCEPTED = {
  trackId: 't-1',
  codigo: '1',
  estado: 'Aceptado',
  encf: 'E310000000001',
  secuenciaUtilizada: true,
  mensajes: [{ valor: '', codigo: 0 }],
};
type Caller = Pick<DgiiCallContext, 'cacheKey' | 'identity'>;

const upload = { xml: '<ECF><A>1</A></ECF>', fileName: '131880738E310000000001.xml' };

describe('HttpDgiiGateway with a fake transport', () => {
  let transport: FakeTransport;
  let gateway: HttpDgiiGateway;
  let session: Caller;
  let ctx: DgiiCallContext;

  /** A caller as a session would be one: its own token cache key, the test identity. */
  const makeCaller = async (tokenHash: string, apiKeyId = 'key-a'): Promise<Caller> => ({
    cacheKey: `${apiKeyId}\u0000${tokenHash}`,
    identity: signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' }),
  });

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  beforeEach(async () => {
    transport = new FakeTransport();
    const config = loadConfig({ DGII_TARGET: 'dgii', DGII_TIMEOUT_MS: '1000' });
    gateway = new HttpDgiiGateway(
      transport,
      endpoints,
      config,
      new ManualClock(),
      new MemoryDgiiTokenStore(),
    );
    session = await makeCaller('hash-1');
    ctx = { ...session, environment: 'TEST' };
  });

  it('authenticates once per session and environment, without Authorization, with a signed seed', async () => {
    transport.on('facturaselectronicas', () => json(200, { trackId: 't-1', error: null, mensaje: null }));
    await Promise.all([1, 2, 3, 4].map(() => gateway.submitEcf(ctx, upload)));
    await gateway.submitEcf(ctx, upload);
    expect(transport.count('semilla')).toBe(1);
    expect(transport.count('validarsemilla')).toBe(1);
    const [seed, validar] = transport.requests;
    expect(seed.headers.Authorization).toBeUndefined();
    expect(validar.headers.Authorization).toBeUndefined();
    expect(validar.body!.toString()).toContain('name="xml"; filename="semilla.xml"');
    expect(validar.body!.toString()).toMatch(
      /<SemillaModel[^>]*><valor>abc<\/valor><fecha>[^<]+<\/fecha><Signature /,
    );
    const business = transport.requests.filter((r) => r.url.endsWith('/facturaselectronicas'));
    expect(business).toHaveLength(5);
    for (const r of business) {
      expect(r.headers.Authorization).toBe('Bearer dgii-token-1');
      expect(r.headers['Content-Length']).toBe(String(r.body!.length));
      expect(r.url).toBe('https://ecf.example/test/recepcion/api/facturaselectronicas');
    }

    await gateway.submitEcf({ ...session, environment: 'PRODUCTION' }, upload);
    expect(transport.count('semilla')).toBe(2);
  });

  it('never shares a token between sessions, even under one API key', async () => {
    transport.on('facturaselectronicas', () => json(200, { trackId: 't-1' }));
    const other = await makeCaller('hash-2');
    await gateway.submitEcf(ctx, upload);
    await gateway.submitEcf({ ...other, environment: 'TEST' }, upload);
    const tokens = transport.requests
      .filter((r) => r.url.endsWith('/facturaselectronicas'))
      .map((r) => r.headers.Authorization);
    expect(tokens).toEqual(['Bearer dgii-token-1', 'Bearer dgii-token-2']);
  });

  it('drops the tokens of an evicted session', async () => {
    transport.on('facturaselectronicas', () => json(200, { trackId: 't-1' }));
    await gateway.submitEcf(ctx, upload);
    gateway.forget(session.cacheKey);
    await gateway.submitEcf(ctx, upload);
    expect(transport.count('semilla')).toBe(2);
  });

  it('re-authenticates once after a 401 and retries', async () => {
    transport.on(
      'ecf',
      () => ({ status: 401, contentType: '', body: '' }),
      () => json(200, ACCEPTED),
    );
    const verdict = await gateway.submitRfce(ctx, upload);
    expect(verdict).toMatchObject({ accepted: true, final: true });
    expect(transport.count('semilla')).toBe(2);
    const calls = transport.requests.filter((r) => r.url.endsWith('/recepcion/ecf'));
    expect(calls.map((r) => r.headers.Authorization)).toEqual(['Bearer dgii-token-1', 'Bearer dgii-token-2']);
    expect(calls[0].url).toBe('https://fc.example/test/recepcionfc/api/recepcion/ecf');
  });

  it('propagates a second 401 as a 502', async () => {
    transport.on('aprobacioncomercial', () => ({ status: 401, contentType: '', body: '' }));
    const error = await gateway.submitAcecf(ctx, upload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect(error).toMatchObject({ message: TOKEN_REFUSED_TWICE, status: 502 });
    expect(transport.count('aprobacioncomercial')).toBe(2);
  });

  it('reports a 5xx on an upload as 502 with DGII text and an unknown outcome', async () => {
    transport.on('facturaselectronicas', () => ({
      status: 503,
      contentType: 'text/html',
      body: '<html><title>Service Unavailable</title></html>',
    }));
    const error = await gateway.submitEcf(ctx, upload).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, details: [OUTCOME_UNKNOWN] });
    expect((error as Error).message).toBe(
      'DGII submission failed: DGII recepcion answered HTTP 503: Service Unavailable',
    );
  });

  it('reports a timeout after sending as unknown outcome, a refused connection as plain 502', async () => {
    transport.on('ecf', () => {
      throw new DgiiTransportError('timeout', true, 'ECONNABORTED', 'no answer from DGII within 1000 ms');
    });
    await expect(gateway.submitRfce(ctx, upload)).rejects.toMatchObject({
      status: 502,
      message: 'DGII submission failed: no answer from DGII within 1000 ms',
      details: [OUTCOME_UNKNOWN],
    });
    transport.on('ecf', () => {
      throw new DgiiTransportError(
        'connection',
        false,
        'ECONNREFUSED',
        'could not connect to DGII (ECONNREFUSED)',
      );
    });
    await expect(gateway.submitRfce(ctx, upload)).rejects.toMatchObject({ status: 502, details: [] });
  });

  it('fails authentication as 502 with DGII text and no outcome detail', async () => {
    transport.on('validarsemilla', () => ({
      status: 400,
      contentType: 'text/plain',
      body: 'Firma del certificado invalida',
    }));
    await expect(gateway.submitEcf(ctx, upload)).rejects.toMatchObject({
      status: 502,
      message:
        'DGII submission failed: DGII authentication failed: validarsemilla answered HTTP 400: Firma del certificado invalida',
      details: [],
    });
    expect(transport.count('facturaselectronicas')).toBe(0);
  });

  it('turns an HTTP 400 refusal of an upload into a verdict', async () => {
    transport.on('facturaselectronicas', () => ({
      status: 400,
      contentType: 'text/plain',
      body: 'El RNC 131880738 del certificado no está delegado para realizar transaciones.',
    }));
    expect(await gateway.submitEcf(ctx, upload)).toEqual({
      trackId: '',
      verdict: expect.objectContaining({
        final: true,
        accepted: false,
        estado: 'Rechazado',
        mensajes: [
          {
            codigo: '',
            valor: 'El RNC 131880738 del certificado no está delegado para realizar transaciones.',
          },
        ],
      }),
    });
    transport.on('aprobacioncomercial', () =>
      json(400, {
        mensaje: ['Factura no encontrada'],
        estado: 'Aprobacion Comercial Rechazada',
        codigo: '02',
      }),
    );
    expect(await gateway.submitAcecf(ctx, upload)).toMatchObject({
      codigo: '02',
      accepted: false,
      final: true,
    });
  });

  it('polls consulta resultado until a final state', async () => {
    const pending = json(200, { trackId: 't-1', codigo: '3', estado: 'En Proceso', mensajes: [] });
    transport.on(
      'estado',
      () => pending,
      () => json(200, { codigo: '0', estado: 'No encontrado' }),
      () => json(200, ACCEPTED),
    );
    const verdict = await gateway.waitForResult(ctx, 't-1', 5_000);
    expect(verdict).toMatchObject({ trackId: 't-1', codigo: '1', accepted: true, final: true });
    expect(transport.count('estado')).toBe(3);
    expect(transport.requests.at(-1)!.url).toBe(
      'https://ecf.example/test/consultaresultado/api/consultas/estado?trackid=t-1',
    );
  });

  it('returns En Proceso when the wait runs out, and keeps polling through DGII errors', async () => {
    transport.on(
      'estado',
      () => ({ status: 500, contentType: '', body: '' }),
      () => json(200, { codigo: '3', estado: 'En Proceso' }),
    );
    const verdict = await gateway.waitForResult(ctx, 't-9', 400);
    expect(verdict).toMatchObject({ trackId: 't-9', estado: 'En Proceso', final: false, accepted: false });
    expect(transport.count('estado')).toBeGreaterThanOrEqual(2);
  });

  it('waits for nothing when maxWaitMs is 0', async () => {
    expect(await gateway.waitForResult(ctx, 't-0', 0)).toMatchObject({ estado: 'En Proceso' });
    expect(transport.requests).toHaveLength(0);
  });

  it('reports a consulta failure as 502 without outcome', async () => {
    transport.on('estado', () => ({ status: 502, contentType: 'text/plain', body: 'Bad Gateway' }));
    await expect(gateway.queryResult(ctx, 't-1')).rejects.toMatchObject({
      status: 502,
      message: 'DGII submission failed: DGII consultaResultado answered HTTP 502: Bad Gateway',
      details: [],
    });
  });
});
