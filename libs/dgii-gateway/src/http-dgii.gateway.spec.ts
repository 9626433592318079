import { Test } from '@nestjs/testing';
import { InternalError } from '@app/common';
import { ConfigModule, loadConfig } from '@app/config';
import { SandboxStatsSnapshot } from '@app/dgii-sandbox';
import { signCanonicalXml, signingIdentityOf } from '@app/signing';
import {
  makeAcecfXml,
  makeEcfXml,
  makeRfceXml,
} from '../../dgii-protocol/src/testing/dgii-documents.fixture';
import { TestIdentity, testIdentity } from '@app/testing';
import { GatewaySandbox, startGatewayWithSandbox } from './testing/sandbox-harness';
import { DgiiCallContext, DgiiGateway, DgiiUpload } from './dgii.gateway';
import { DgiiGatewayModule } from './dgii-gateway.module';
import { DgiiHttpRequest } from './dgii.transport';
import { statusMessageOf } from './dgii-verdict';
import { OUTCOME_UNKNOWN, TOKEN_REFUSED_TWICE } from './http-dgii.gateway';

const TIMEOUT_MS = 1_500;
const RNC = '131880738';

type Caller = Pick<DgiiCallContext, 'cacheKey' | 'identity'>;

/**
 * The real HttpDgiiGateway against the real sandbox module over loopback HTTP (DESIGN §6):
 * no mocks of axios, DGII paths resolved by DgiiEndpoints from the listening port.
 */
describe('HttpDgiiGateway against the DGII sandbox over HTTP', () => {
  let h: GatewaySandbox;
  let gateway: DgiiGateway;
  let sent: DgiiHttpRequest[];
  let identity: TestIdentity;
  let sessionA: Caller;
  let sessionB: Caller;
  let sequence = 0;

  /** A caller as a session would be one: its own token cache key, the test identity. */
  const session = (tokenHash: string, apiKeyId: string): Caller => ({
    cacheKey: `${apiKeyId}\u0000${tokenHash}`,
    identity: signingIdentityOf({ ...identity, keyType: 'rsa' }),
  });
  const ctx = (
    s: Caller = sessionA,
    environment: DgiiCallContext['environment'] = 'CERTIFICATION',
  ): DgiiCallContext => ({ ...s, environment });
  const nextEncf = (tipo = '31'): string => `E${tipo}${String(++sequence).padStart(10, '0')}`;
  const ecf = (overrides: Parameters<typeof makeEcfXml>[0] = {}): DgiiUpload => {
    const encf = overrides.encf ?? nextEncf(overrides.tipo);
    return {
      xml: signCanonicalXml(makeEcfXml({ ...overrides, encf }), identity).xml,
      fileName: `${overrides.rncEmisor ?? RNC}${encf}.xml`,
    };
  };
  const stats = (): Promise<SandboxStatsSnapshot> => h.stats();
  const fault = (body: object): Promise<void> => h.fault(body);
  const delta = async <T>(run: () => Promise<T>): Promise<[T, SandboxStatsSnapshot]> => {
    const before = await stats();
    const result = await run();
    const after = await stats();
    const diff = {} as SandboxStatsSnapshot;
    for (const key of Object.keys(after) as (keyof SandboxStatsSnapshot)[])
      diff[key] = after[key] - before[key];
    return [result, diff];
  };

  beforeAll(async () => {
    identity = await testIdentity();
    h = await startGatewayWithSandbox(
      { DGII_TIMEOUT_MS: String(TIMEOUT_MS) },
      { processingDelayMs: 150, holdMs: 10_000 },
    );
    sent = h.sent;
    gateway = h.app.get(DgiiGateway);
    sessionA = session('hash-a', 'key-1');
    sessionB = session('hash-b', 'key-1');
  });

  beforeEach(() => h.reset());

  afterAll(() => h?.close());

  it('authenticates once per session and environment across many calls', async () => {
    const [, counted] = await delta(async () => {
      const receptions = await Promise.all([1, 2, 3, 4, 5].map(() => gateway.submitEcf(ctx(), ecf())));
      await gateway.queryResult(ctx(), receptions[0].trackId);
      await gateway.submitRfce(ctx(), rfce());
    });
    expect(counted).toMatchObject({
      semilla: 1,
      validarsemilla: 1,
      recepcion: 5,
      consulta: 1,
      recepcionfc: 1,
    });
    const [, other] = await delta(() => gateway.submitEcf(ctx(sessionA, 'TEST'), ecf()));
    expect(other).toMatchObject({ semilla: 1, validarsemilla: 1 });
  });

  it('never shares a DGII token between two sessions', async () => {
    await gateway.submitEcf(ctx(sessionA), ecf());
    const [, counted] = await delta(() => gateway.submitEcf(ctx(sessionB), ecf()));
    expect(counted.semilla).toBe(1);
    const tokens = sent.filter((r) => r.url.includes('/recepcion/')).map((r) => r.headers.Authorization);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('drops the tokens of an evicted session', async () => {
    const evicted = session('hash-evicted', 'key-2');
    await gateway.submitEcf(ctx(evicted), ecf());
    gateway.forget(evicted.cacheKey);
    const [, counted] = await delta(() => gateway.submitEcf(ctx(evicted), ecf()));
    expect(counted.semilla).toBe(1);
  });

  it('retries once after a 401 with a fresh token, and propagates a second 401 as 502', async () => {
    await gateway.submitEcf(ctx(), ecf());
    await fault({ next: 1, kind: '401', path: 'recepcion/api' });
    const [reception, counted] = await delta(() => gateway.submitEcf(ctx(), ecf()));
    expect(reception.trackId).toMatch(/^[0-9a-f-]{36}$/);
    expect(counted).toMatchObject({ semilla: 1, recepcion: 2 });

    await fault({ next: 2, kind: '401', path: 'recepcion/api' });
    const error = await gateway.submitEcf(ctx(), ecf()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect(error).toMatchObject({ message: TOKEN_REFUSED_TWICE, status: 502 });
  });

  it('reports DGII 500 as 502 with the page text and an unknown outcome', async () => {
    await gateway.submitEcf(ctx(), ecf());
    await fault({ next: 1, kind: '500', path: 'facturaselectronicas' });
    const error = await gateway.submitEcf(ctx(), ecf()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, details: [OUTCOME_UNKNOWN] });
    expect((error as Error).message).toMatch(
      /^DGII submission failed: DGII recepcion answered HTTP 500: 500 - Internal server error\./,
    );
  });

  it('reports a timeout after sending as 502 with an unknown outcome', async () => {
    await gateway.submitRfce(ctx(), rfce());
    await fault({ next: 1, kind: 'timeout', path: 'recepcionfc' });
    const started = Date.now();
    const error = await gateway.submitRfce(ctx(), rfce()).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(error).toMatchObject({
      status: 502,
      message: `DGII submission failed: no answer from DGII within ${TIMEOUT_MS} ms`,
      details: [OUTCOME_UNKNOWN],
    });
    // The sandbox keeps serving after the held request.
    expect(await gateway.submitRfce(ctx(), rfce())).toMatchObject({ accepted: true });
  });

  it('reports an unreachable DGII as 502 without outcome', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(
          loadConfig({
            NODE_ENV: 'test',
            DGII_TARGET: 'dgii',
            DGII_BASE_URL_CERTIFICATION: 'http://127.0.0.1:1/certecf',
          }),
        ),
        DgiiGatewayModule.forRoot(),
      ],
    }).compile();
    const lonely = moduleRef.createNestApplication();
    await lonely.init();
    try {
      const error = await lonely
        .get(DgiiGateway)
        .submitEcf(ctx(), ecf())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 502,
        message: 'DGII submission failed: could not connect to DGII (ECONNREFUSED)',
        details: [],
      });
    } finally {
      await lonely.close();
    }
  });

  it('polls consulta resultado from En Proceso to Aceptado', async () => {
    const { trackId, verdict } = await gateway.submitEcf(ctx(), ecf());
    expect(verdict).toBeUndefined();
    expect(await gateway.queryResult(ctx(), trackId)).toMatchObject({
      trackId,
      codigo: '3',
      estado: 'En Proceso',
      final: false,
    });
    const [final, counted] = await delta(() => gateway.waitForResult(ctx(), trackId, 3_000));
    expect(final).toMatchObject({
      trackId,
      codigo: '1',
      estado: 'Aceptado',
      final: true,
      accepted: true,
      secuenciaUtilizada: true,
    });
    expect(final.fechaRecepcion).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(counted.consulta).toBeGreaterThanOrEqual(1);
  });

  it('returns En Proceso when the wait runs out', async () => {
    const { trackId } = await gateway.submitEcf(ctx(), ecf());
    expect(await gateway.waitForResult(ctx(), trackId, 50)).toMatchObject({
      trackId,
      estado: 'En Proceso',
      final: false,
    });
  });

  it('gives business rejections as verdicts with DGII text', async () => {
    const upload = ecf();
    const first = await gateway.submitEcf(ctx(), upload);
    expect(await gateway.waitForResult(ctx(), first.trackId, 3_000)).toMatchObject({ accepted: true });
    const again = await gateway.submitEcf(ctx(), upload);
    const verdict = await gateway.waitForResult(ctx(), again.trackId, 3_000);
    expect(verdict).toMatchObject({
      codigo: '2',
      estado: 'Rechazado',
      final: true,
      accepted: false,
      secuenciaUtilizada: true,
    });
    expect(verdict.mensajes[0].codigo).toBe('1209');

    const consumo = ecf({ tipo: '32', montoGravado: '1000.00', itbis: '180.00', montoTotal: '1180.00' });
    const routed = await gateway.submitEcf(ctx(), consumo);
    const refused = await gateway.waitForResult(ctx(), routed.trackId, 3_000);
    expect(refused).toMatchObject({ accepted: false, final: true });
    expect(statusMessageOf(refused)).toMatch(/RFCE/);
  });

  it('turns a refused upload (file name, DGII code 3243) into a verdict without trackId', async () => {
    const upload = { ...ecf(), fileName: '1318807E310000000001.xml' };
    expect(await gateway.submitEcf(ctx(), upload)).toEqual({
      trackId: '',
      verdict: expect.objectContaining({
        accepted: false,
        final: true,
        mensajes: [{ codigo: '3243', valor: 'La longitud del nombre del archivo no es válida.' }],
      }),
    });
  });

  it('submits RFCE synchronously', async () => {
    const encf = nextEncf('32');
    const verdict = await gateway.submitRfce(ctx(), rfce(encf));
    expect(verdict).toMatchObject({
      codigo: '1',
      estado: 'Aceptado',
      final: true,
      accepted: true,
      encf,
      mensajes: [],
    });
    await fault({ next: 1, kind: 'reject', path: 'recepcionfc' });
    expect(await gateway.submitRfce(ctx(), rfce())).toMatchObject({
      codigo: '2',
      accepted: false,
      final: true,
    });
  });

  it('submits ACECF and reads a rejection (HTTP 400, codigo "02") as a verdict', async () => {
    const encf = nextEncf('31');
    await gateway.submitEcf(ctx(), ecf({ encf }));
    const approval = {
      xml: signCanonicalXml(makeAcecfXml({ encf, rncEmisor: RNC }), identity).xml,
      fileName: `101000001${encf}.xml`,
    };
    expect(await gateway.submitAcecf(ctx(), approval)).toMatchObject({
      codigo: '01',
      accepted: true,
      final: true,
    });
    await fault({ next: 1, kind: 'reject', path: 'aprobacioncomercial' });
    const rejected = await gateway.submitAcecf(ctx(), approval);
    expect(rejected).toMatchObject({
      codigo: '02',
      estado: 'Aprobacion Comercial Rechazada',
      accepted: false,
      final: true,
    });
    expect(statusMessageOf(rejected)).toBe(
      'No fue posible procesar la Aprobación comercial. Favor intentar nuevamente',
    );
  });

  function rfce(encf = nextEncf('32')): DgiiUpload {
    return { xml: signCanonicalXml(makeRfceXml({ encf }), identity).xml, fileName: `${RNC}${encf}.xml` };
  }
});
