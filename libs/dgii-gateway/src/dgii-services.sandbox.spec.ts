import { Test } from '@nestjs/testing';
import { DgiiRefusedError, InternalError, NotConfiguredError } from '@app/common';
import { ConfigModule, loadConfig } from '@app/config';
import { signCanonicalXml, signingIdentityOf } from '@app/signing';
import { anecfFromRequest, AnecfRequest, buildDocument } from '@app/xml-builder';
import { makeEcfXml } from '../../dgii-protocol/src/testing/dgii-documents.fixture';
import { TestIdentity, testIdentity } from '@app/testing';
import { GatewaySandbox, startGatewayWithSandbox } from './testing/sandbox-harness';
import { DgiiCallContext, DgiiGateway, DgiiUpload } from './dgii.gateway';
import { DgiiGatewayModule } from './dgii-gateway.module';
import { DgiiStatusGateway, STATUS_KEY_MISSING } from './dgii-status.gateway';
import { DgiiHttpRequest } from './dgii.transport';

const TIMEOUT_MS = 1_000;
const RNC = '131880738';
const STATUS_KEY = 'status-key-for-the-spec-7c1d';

/**
 * Consulta estado, anulación de rangos and estatus servicios through the real gateways against
 * the real sandbox over loopback HTTP (DESIGN §6), with fault injection.
 */
describe('HttpDgiiGateway and HttpDgiiStatusGateway against the DGII sandbox', () => {
  let h: GatewaySandbox;
  let origin: string;
  let gateway: DgiiGateway;
  let status: DgiiStatusGateway;
  let identity: TestIdentity;
  let sent: DgiiHttpRequest[];
  let sequence = 700;

  const ctx = (environment: DgiiCallContext['environment'] = 'CERTIFICATION'): DgiiCallContext => ({
    cacheKey: 'key-1\u0000hash-services',
    identity: signingIdentityOf({ ...identity, keyType: 'rsa' }),
    environment,
  });
  const nextEncf = (): string => `E31${String(++sequence).padStart(10, '0')}`;
  const ecf = (encf = nextEncf()): DgiiUpload & { encf: string; securityCode: string } => {
    const signed = signCanonicalXml(makeEcfXml({ encf }), identity);
    return { encf, xml: signed.xml, securityCode: signed.securityCode, fileName: `${RNC}${encf}.xml` };
  };
  const anecf = (request: Partial<AnecfRequest> = {}): DgiiUpload => {
    const json = anecfFromRequest(
      {
        rncEmisor: RNC,
        anulaciones: [{ tipoeCF: 31, rangos: [{ desde: 'E310000900001', hasta: 'E310000900010' }] }],
        ...request,
      },
      '01-04-2026 10:00:00',
    );
    const first = (
      json as {
        DetalleAnulacion: {
          Anulacion: { TablaRangoSecuenciasAnuladaseNCF: { Secuencias: { SecuenciaeNCFDesde: string }[] } }[];
        };
      }
    ).DetalleAnulacion.Anulacion[0].TablaRangoSecuenciasAnuladaseNCF.Secuencias[0].SecuenciaeNCFDesde;
    return {
      xml: signCanonicalXml(buildDocument('ANECF', json), identity).xml,
      fileName: `${RNC}${first}.xml`,
    };
  };
  const fault = (body: object): Promise<void> => h.fault(body);

  beforeAll(async () => {
    identity = await testIdentity();
    h = await startGatewayWithSandbox(
      { DGII_TIMEOUT_MS: String(TIMEOUT_MS), DGII_STATUS_API_KEY: STATUS_KEY },
      { processingDelayMs: 50, holdMs: 5_000 },
    );
    ({ origin, sent } = h);
    gateway = h.app.get(DgiiGateway);
    status = h.app.get(DgiiStatusGateway);
  });

  beforeEach(() => h.reset());

  afterAll(() => h?.close());

  describe('queryEcfStatus (consulta estado)', () => {
    it('finds an accepted e-CF only with its security code, in DGII names', async () => {
      const doc = ecf();
      const { trackId } = await gateway.submitEcf(ctx(), doc);
      await gateway.waitForResult(ctx(), trackId, 3_000);
      const found = await gateway.queryEcfStatus(ctx(), {
        rncEmisor: RNC,
        eNCF: doc.encf,
        rncComprador: '101000001',
        securityCode: doc.securityCode,
      });
      expect(found).toEqual({
        codigo: '1',
        estado: 'Aceptado',
        found: true,
        accepted: true,
        rncEmisor: RNC,
        ncfElectronico: doc.encf,
        montoTotal: 118,
        totalITBIS: 18,
        fechaEmision: '01-04-2026',
        rncComprador: '101000001',
        codigoSeguridad: doc.securityCode,
        ...(found.fechaFirma ? { fechaFirma: found.fechaFirma } : {}),
      });
      const url = new URL(sent.find((r) => r.url.includes('consultaestado'))!.url);
      expect(url.pathname).toMatch(/\/certecf\/consultaestado\/api\/consultas\/estado$/);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        rncemisor: RNC,
        ncfelectronico: doc.encf,
        rnccomprador: '101000001',
        codigoseguridad: doc.securityCode,
      });

      const wrongCode = await gateway.queryEcfStatus(ctx(), {
        rncEmisor: RNC,
        eNCF: doc.encf,
        securityCode: 'ZZZZZZ',
      });
      expect(wrongCode).toMatchObject({
        codigo: '0',
        estado: 'No encontrado',
        found: false,
        accepted: false,
      });
    });

    it('reports a rejected e-CF as found and not accepted; faults as 502 / DGII_REFUSED', async () => {
      const doc = ecf();
      await gateway.submitEcf(ctx(), doc);
      await fault({ next: 1, kind: 'reject', path: 'recepcion/api' });
      const again = ecf(nextEncf());
      const r = await gateway.submitEcf(ctx(), again);
      await gateway.waitForResult(ctx(), r.trackId, 3_000);
      expect(
        await gateway.queryEcfStatus(ctx(), {
          rncEmisor: RNC,
          eNCF: again.encf,
          securityCode: again.securityCode,
        }),
      ).toMatchObject({ codigo: '2', estado: 'Rechazado', found: true, accepted: false });

      await fault({ next: 1, kind: '500', path: 'consultaestado' });
      await expect(
        gateway.queryEcfStatus(ctx(), { rncEmisor: RNC, eNCF: doc.encf, securityCode: doc.securityCode }),
      ).rejects.toMatchObject({ status: 502, details: [] });
      await fault({ next: 1, kind: 'reject', path: 'consultaestado' });
      await expect(
        gateway.queryEcfStatus(ctx(), { rncEmisor: RNC, eNCF: doc.encf, securityCode: doc.securityCode }),
      ).rejects.toBeInstanceOf(DgiiRefusedError);
    });
  });

  describe('submitAnecf (anulación de rangos)', () => {
    it('annuls an unused range, and then refuses it and any e-CF inside it', async () => {
      const upload = anecf({
        anulaciones: [{ tipoeCF: 31, rangos: [{ desde: 'E310000900001', hasta: 'E310000900010' }] }],
      });
      expect(await gateway.submitAnecf(ctx(), upload)).toEqual({
        accepted: true,
        codigo: '1',
        rnc: RNC,
        mensajes: [{ codigo: '', valor: 'Las secuencias fueron anuladas correctamente.' }],
      });
      const req = sent.find((r) => r.url.includes('anulacionrangos'))!;
      expect(req.url).toMatch(/\/certecf\/anulacionrangos\/api\/operaciones\/anularrango$/);
      expect(req.body!.toString()).toContain(`filename="${RNC}E310000900001.xml"`);

      expect(await gateway.submitAnecf(ctx(), anecf())).toMatchObject({
        accepted: false,
        mensajes: [{ valor: 'Las secuencias que está intentando anular han sido utilizadas.' }],
      });
      // A cancelled e-NCF can never be used (PROTOCOL §7.2).
      const inside = ecf('E310000900005');
      const { trackId } = await gateway.submitEcf(ctx(), inside);
      expect(await gateway.waitForResult(ctx(), trackId, 3_000)).toMatchObject({ accepted: false });
    });

    it('refuses a range whose e-NCF was already used', async () => {
      const doc = ecf('E310000910003');
      await gateway.submitEcf(ctx(), doc);
      expect(
        await gateway.submitAnecf(
          ctx(),
          anecf({
            anulaciones: [{ tipoeCF: 31, rangos: [{ desde: 'E310000910001', hasta: 'E310000910005' }] }],
          }),
        ),
      ).toMatchObject({ accepted: false, codigo: '2', rnc: RNC });
    });

    it('gives an injected 500 as 502 with an unknown outcome, and a reject as a refusal', async () => {
      await fault({ next: 1, kind: '500', path: 'anulacionrangos' });
      const error = await gateway
        .submitAnecf(
          ctx(),
          anecf({
            anulaciones: [{ tipoeCF: 32, rangos: [{ desde: 'E320000920001', hasta: 'E320000920001' }] }],
          }),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalError);
      expect(error).toMatchObject({ status: 502, details: [{ outcome: 'unknown' }] });
      await fault({ next: 1, kind: 'reject', path: 'anulacionrangos' });
      expect(
        await gateway.submitAnecf(
          ctx(),
          anecf({
            anulaciones: [{ tipoeCF: 32, rangos: [{ desde: 'E320000920001', hasta: 'E320000920001' }] }],
          }),
        ),
      ).toMatchObject({
        accepted: false,
        mensajes: [{ valor: 'No fue posible anular las siguientes secuencias.' }],
      });
    });
  });

  describe('DgiiStatusGateway (estatus servicios)', () => {
    it('sends the key as "Authorization: Apikey" to the status host and reads both answers', async () => {
      const services = await status.servicesStatus();
      expect(services).toHaveLength(27);
      expect(services[0]).toEqual({
        servicio: 'Autenticación',
        estatus: 'Disponible',
        ambiente: 'PreCertificacion',
        available: true,
      });
      const windows = await status.maintenanceWindows();
      expect(windows.map((w) => w.ambiente)).toEqual(['PreCertificacion', 'Certificacion', 'Produccion']);
      expect(windows[0].dias[0]).toMatch(/^\d{2}-\d{2}-\d{4}$/);
      const [first] = sent;
      expect(first.url).toBe(`${origin}/dgii-sandbox/status/api/estatusservicios/obtenerestatus`);
      expect(first.headers.Authorization).toBe(`Apikey ${STATUS_KEY}`);
    });

    it('shows "No Disponible" under a reject fault and fails as 502 otherwise, never quoting the key', async () => {
      await fault({ next: 1, kind: 'reject', path: 'obtenerestatus' });
      expect(
        (await status.servicesStatus()).every((s) => s.estatus === 'No Disponible' && !s.available),
      ).toBe(true);
      for (const kind of ['500', '401', 'timeout']) {
        await fault({ next: 1, kind, path: 'estatusservicios' });
        const error = await status.servicesStatus().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InternalError);
        expect(error).toMatchObject({ status: 502 });
        expect(
          JSON.stringify({ m: (error as Error).message, d: (error as InternalError).details }),
        ).not.toContain(STATUS_KEY);
      }
    });

    it('answers NOT_CONFIGURED naming the variable when no key is set and the target is DGII', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', DGII_TARGET: 'dgii' })),
          DgiiGatewayModule.forRoot(),
        ],
      }).compile();
      const lonely = moduleRef.get(DgiiStatusGateway);
      expect(lonely.configured()).toBe(false);
      const error = await lonely.servicesStatus().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotConfiguredError);
      expect((error as Error).message).toBe(STATUS_KEY_MISSING);
      expect(STATUS_KEY_MISSING).toContain('DGII_STATUS_API_KEY');
      await moduleRef.close();
    });

    it('accepts the sandbox default key when the target is the sandbox and no key is set', () => {
      const config = loadConfig({ NODE_ENV: 'test', DGII_TARGET: 'sandbox' });
      expect(config.dgiiStatusApiKey).toBe('sandbox-status-key');
      expect(loadConfig({ NODE_ENV: 'test', DGII_TARGET: 'dgii' }).dgiiStatusApiKey).toBeUndefined();
    });
  });
});
