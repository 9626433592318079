import { DgiiRefusedError, InternalError } from '@app/common';

import { SandboxDirectory, SandboxStatsSnapshot } from '@app/dgii-sandbox';
import { signCanonicalXml, signingIdentityOf } from '@app/signing';
import { makeEcfXml } from '../../dgii-protocol/src/testing/dgii-documents.fixture';
import { TestIdentity, testIdentity } from '@app/testing';
import { GatewaySandbox, startGatewayWithSandbox } from './testing/sandbox-harness';
import { DgiiCallContext, DgiiGateway, DgiiUpload } from './dgii.gateway';

const TIMEOUT_MS = 1_000;
const RNC = '131880738';
const BUYER = '130862346';

/**
 * Consulta trackIds and consulta directorio through the real HttpDgiiGateway against the real
 * sandbox over loopback HTTP (DESIGN §6), with the sandbox's fault injection.
 */
describe('HttpDgiiGateway lookups against the DGII sandbox over HTTP', () => {
  let h: GatewaySandbox;
  let gateway: DgiiGateway;
  let directory: SandboxDirectory;
  let identity: TestIdentity;
  let sequence = 500;

  const ctx = (environment: DgiiCallContext['environment'] = 'CERTIFICATION'): DgiiCallContext => ({
    cacheKey: 'key-1\u0000hash-lookups',
    identity: signingIdentityOf({ ...identity, keyType: 'rsa' }),
    environment,
  });
  const ecf = (): DgiiUpload & { encf: string } => {
    const encf = `E31${String(++sequence).padStart(10, '0')}`;
    return {
      encf,
      xml: signCanonicalXml(makeEcfXml({ encf }), identity).xml,
      fileName: `${RNC}${encf}.xml`,
    };
  };
  const fault = (body: object): Promise<void> => h.fault(body);
  const stats = (): Promise<SandboxStatsSnapshot> => h.stats();

  beforeAll(async () => {
    identity = await testIdentity();
    h = await startGatewayWithSandbox(
      { DGII_TIMEOUT_MS: String(TIMEOUT_MS) },
      { processingDelayMs: 150, holdMs: 5_000 },
    );
    gateway = h.app.get(DgiiGateway);
    directory = h.app.get(SandboxDirectory);
  });

  beforeEach(() => h.reset());

  afterAll(() => h?.close());

  describe('queryTrackIds', () => {
    it('lists every reception of an e-NCF with its state, En proceso first, then the verdicts', async () => {
      const upload = ecf();
      const first = await gateway.submitEcf(ctx(), upload);
      const pending = await gateway.queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: upload.encf });
      expect(pending).toEqual([
        { trackId: first.trackId, estado: 'En proceso', fechaRecepcion: expect.any(String) },
      ]);
      expect(pending[0].fechaRecepcion).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);

      await gateway.waitForResult(ctx(), first.trackId, 3_000);
      const second = await gateway.submitEcf(ctx(), upload);
      await gateway.waitForResult(ctx(), second.trackId, 3_000);
      const both = await gateway.queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: upload.encf });
      // The resend of an accepted e-NCF is refused with 1209 (PROTOCOL §1.6); both are listed.
      expect(both.map((e) => [e.trackId, e.estado])).toEqual([
        [first.trackId, 'Aceptado'],
        [second.trackId, 'Rechazado'],
      ]);
    });

    it('answers [] for an e-NCF DGII never received, and per environment', async () => {
      const upload = ecf();
      await gateway.submitEcf(ctx('CERTIFICATION'), upload);
      expect(await gateway.queryTrackIds(ctx('TEST'), { rncEmisor: RNC, eNCF: upload.encf })).toEqual([]);
      expect(await gateway.queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: 'E310000999999' })).toEqual([]);
      expect(await gateway.queryTrackIds(ctx(), { rncEmisor: '101000001', eNCF: upload.encf })).toEqual([]);
    });

    it('is counted, and fails as DGII would under injected faults', async () => {
      const before = (await stats()).trackids;
      await gateway.queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: 'E310000000001' });
      expect((await stats()).trackids).toBe(before + 1);

      await fault({ next: 1, kind: '500', path: 'consultatrackids' });
      await expect(
        gateway.queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: 'E310000000001' }),
      ).rejects.toMatchObject({
        status: 502,
        details: [],
        message: expect.stringMatching(/^DGII submission failed: DGII consultaTrackIds answered HTTP 500/),
      });

      await fault({ next: 1, kind: 'reject', path: 'consultatrackids' });
      const refused = await gateway
        .queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: 'E310000000001' })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DgiiRefusedError);
      expect((refused as Error).message).toBe(
        'DGII refused consultaTrackIds: No fue posible procesar la consulta.',
      );

      await fault({ next: 1, kind: 'timeout', path: 'consultatrackids' });
      const timedOut = await gateway
        .queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: 'E310000000001' })
        .catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(InternalError);
      expect(timedOut).toMatchObject({ status: 502, details: [] });

      // One 401 is absorbed by re-authenticating.
      await fault({ next: 1, kind: '401', path: 'consultatrackids' });
      expect(await gateway.queryTrackIds(ctx(), { rncEmisor: RNC, eNCF: 'E310000000001' })).toEqual([]);
    });
  });

  describe('lookupDirectory', () => {
    it('returns what the directory was told, normalising the single object the sandbox sends', async () => {
      const entry = {
        rnc: BUYER,
        nombre: 'EMPRESA RECEPTORA SRL',
        urlRecepcion: 'http://127.0.0.1:9/fe/recepcion/api/ecf',
        urlAceptacion: 'http://127.0.0.1:9/fe/aprobacioncomercial/api/ecf',
        urlOpcional: 'http://127.0.0.1:9/fe/autenticacion/api',
      };
      directory.register(entry);
      expect(await gateway.lookupDirectory(ctx(), BUYER)).toEqual([entry]);
      expect(await gateway.lookupDirectory(ctx('TEST'), BUYER)).toEqual([entry]);

      // Raw shape: one object with every DGII key (consultadirectorio-response-SHAPE.json item).
      directory.register({ rnc: '101000009', urlRecepcion: 'http://127.0.0.1:9/r' }, 'certecf');
      expect(await gateway.lookupDirectory(ctx(), '101000009')).toEqual([
        { rnc: '101000009', urlRecepcion: 'http://127.0.0.1:9/r' },
      ]);
      expect(await gateway.lookupDirectory(ctx('TEST'), '101000009')).toEqual([]);
    });

    it('answers [] for an RNC without receptor and fails under injected faults', async () => {
      expect(await gateway.lookupDirectory(ctx(), '999999999')).toEqual([]);
      await fault({ next: 1, kind: '500', path: 'consultadirectorio' });
      await expect(gateway.lookupDirectory(ctx(), BUYER)).rejects.toMatchObject({ status: 502, details: [] });
      await fault({ next: 1, kind: 'reject', path: 'consultadirectorio' });
      await expect(gateway.lookupDirectory(ctx(), BUYER)).rejects.toBeInstanceOf(DgiiRefusedError);
    });
  });
});
