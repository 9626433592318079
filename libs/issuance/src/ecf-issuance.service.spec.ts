import { InternalError, ManualClock, SignatureInvalidError, SignerMismatchError } from '@app/common';
import { loadConfig } from '@app/config';
import {
  DgiiCallContext,
  DgiiGateway,
  DgiiAnnulment,
  DgiiDirectoryEntry,
  DgiiEcfStatus,
  DgiiReception,
  DgiiTrackIdEntry,
  DgiiUpload,
  DgiiVerdict,
  enProceso,
  OUTCOME_UNKNOWN,
  ReceptorClient,
} from '@app/dgii-gateway';
import { signingIdentityOf } from '@app/signing';
import { XsdCheck } from '@app/xml-builder';
import { makeEcf, otherTestIdentity, testIdentity } from '@app/testing';
import { DocumentSigner } from './document-signer.service';
import { EcfIssuanceService, IssueEcfRequest } from './ecf-issuance.service';
import { MemoryIdempotencyStore } from './idempotency.store';
import { ReceptorDeliveryService } from './receptor-delivery.service';
import type { IssueCaller } from './issue-caller';

const NOW = Date.parse('2026-04-01T14:15:00Z');
const WAIT_MS = 1_234;
const RNC = '131793916';

const ACCEPTED: DgiiVerdict = {
  trackId: 'track-1',
  codigo: '1',
  estado: 'Aceptado',
  final: true,
  accepted: true,
  mensajes: [],
  secuenciaUtilizada: true,
};

type Call =
  | { method: 'submitEcf' | 'submitRfce' | 'submitAcecf'; ctx: DgiiCallContext; upload: DgiiUpload }
  | { method: 'queryResult'; ctx: DgiiCallContext; trackId: string }
  | { method: 'waitForResult'; ctx: DgiiCallContext; trackId: string; maxWaitMs: number }
  | { method: 'forget'; cacheKey: string }
  | { method: 'queryTrackIds' };

/** An in-memory DGII: records every call and answers what the test set, or throws it. */
class FakeDgiiGateway extends DgiiGateway {
  readonly calls: Call[] = [];
  reception: DgiiReception | Error = { trackId: 'track-1' };
  rfceVerdict: DgiiVerdict | Error = { ...ACCEPTED, trackId: undefined };
  waitVerdict: DgiiVerdict = ACCEPTED;

  private answer<T>(value: T | Error): Promise<T> {
    return value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
  }

  submitEcf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiReception> {
    this.calls.push({ method: 'submitEcf', ctx, upload });
    return this.answer(this.reception);
  }
  submitRfce(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiVerdict> {
    this.calls.push({ method: 'submitRfce', ctx, upload });
    return this.answer(this.rfceVerdict);
  }
  submitAcecf(ctx: DgiiCallContext, upload: DgiiUpload): Promise<DgiiVerdict> {
    this.calls.push({ method: 'submitAcecf', ctx, upload });
    return Promise.resolve(ACCEPTED);
  }
  queryResult(ctx: DgiiCallContext, trackId: string): Promise<DgiiVerdict> {
    this.calls.push({ method: 'queryResult', ctx, trackId });
    return Promise.resolve({ ...this.waitVerdict, trackId });
  }
  waitForResult(ctx: DgiiCallContext, trackId: string, maxWaitMs: number): Promise<DgiiVerdict> {
    this.calls.push({ method: 'waitForResult', ctx, trackId, maxWaitMs });
    return Promise.resolve({ ...this.waitVerdict, trackId: this.waitVerdict.trackId ?? trackId });
  }
  forget(cacheKey: string): Promise<void> {
    this.calls.push({ method: 'forget', cacheKey });
    return Promise.resolve();
  }
  /** Answers of consulta trackIds, one per call (the last one repeats). */
  trackIds: DgiiTrackIdEntry[][] = [[]];
  queryTrackIds(): Promise<DgiiTrackIdEntry[]> {
    this.calls.push({ method: 'queryTrackIds' });
    return Promise.resolve(this.trackIds.length > 1 ? this.trackIds.shift()! : this.trackIds[0]);
  }
  lookupDirectory(): Promise<DgiiDirectoryEntry[]> {
    return Promise.resolve([]);
  }
  queryEcfStatus(): Promise<DgiiEcfStatus> {
    return Promise.resolve({ codigo: '0', estado: 'No encontrado', found: false, accepted: false });
  }
  submitAnecf(): Promise<DgiiAnnulment> {
    return Promise.resolve({ accepted: true, codigo: '', mensajes: [] });
  }

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }
}

/** A type 32 whose only line is exento, so MontoTotal is exactly `amount` (PROTOCOL §4.4). */
function consumo(amount: string): IssueEcfRequest {
  return {
    ecf: {
      Encabezado: {
        Version: '1.0',
        IdDoc: { TipoeCF: '32', eNCF: 'E320000000101', TipoIngresos: '01', TipoPago: 1 },
        Emisor: {
          RNCEmisor: RNC,
          RazonSocialEmisor: 'COLMADO DEMO SRL',
          DireccionEmisor: 'Calle 1 #2',
          FechaEmision: '01-04-2026',
        },
        Comprador: { RNCComprador: RNC, RazonSocialComprador: 'CLIENTE SRL' },
        Totales: { MontoExento: amount, MontoTotal: amount },
      },
      DetallesItems: {
        Item: [
          {
            NumeroLinea: 1,
            IndicadorFacturacion: 4,
            NombreItem: 'Equipo',
            IndicadorBienoServicio: 1,
            CantidadItem: 1,
            PrecioUnitarioItem: amount,
            MontoItem: amount,
          },
        ],
      },
    },
  };
}

const uploads = (dgii: FakeDgiiGateway) => dgii.calls.flatMap((c) => ('upload' in c ? [c] : []));

describe('EcfIssuanceService with a fake DGII gateway', () => {
  let dgii: FakeDgiiGateway;
  let service: EcfIssuanceService;
  let caller: IssueCaller;

  beforeAll(async () => {
    caller = {
      cacheKey: 'key-1\u0000hash-1',
      identity: signingIdentityOf({ ...(await testIdentity()), keyType: 'rsa' }),
    };
  });

  beforeEach(() => {
    const config = loadConfig({ DGII_RESULT_WAIT_MS: String(WAIT_MS) });
    const clock = new ManualClock(NOW);
    dgii = new FakeDgiiGateway();
    // Schema checks are the signer's own spec; routing is what is tested here.
    const xsd = new XsdCheck(config);
    const signer = new DocumentSigner(clock, xsd);
    const delivery = new ReceptorDeliveryService(dgii, new ReceptorClient(config, clock));
    service = new EcfIssuanceService(
      signer,
      dgii,
      clock,
      config,
      new MemoryIdempotencyStore(clock),
      xsd,
      delivery,
    );
  });

  describe('RFCE routing (PROTOCOL §5)', () => {
    it('sends a type 32 of 249,999.99 to recepcionfc as an RFCE, keeping the full e-CF', async () => {
      const result = await service.issue(caller, consumo('249999.99'));
      expect(dgii.methods()).toEqual(['submitRfce']);
      const [call] = uploads(dgii);
      expect(call.upload).toEqual({ xml: result.rfceSignedXml, fileName: `${RNC}E320000000101.xml` });
      expect(result.rfceSignedXml).toMatch(/^<RFCE>/);
      expect(result.rfceSignedXml).toContain(
        `<CodigoSeguridadeCF>${result.securityCode}</CodigoSeguridadeCF>`,
      );
      expect(result.signedXml).toMatch(/^<ECF>/);
      expect(result.qrUrl).toContain('ConsultaTimbreFC');
      expect(result).toMatchObject({ ruling: 'accepted', ecfNumber: 'E320000000101', success: true });
    });

    it('sends a type 32 of 250,000.00 to recepción in full and waits for the verdict', async () => {
      const result = await service.issue(caller, consumo('250000.00'));
      expect(dgii.methods()).toEqual(['submitEcf', 'waitForResult']);
      const [call] = uploads(dgii);
      expect(call.upload).toEqual({ xml: result.signedXml, fileName: `${RNC}E320000000101.xml` });
      expect(dgii.calls[1]).toMatchObject({ trackId: 'track-1', maxWaitMs: WAIT_MS });
      expect(result.rfceSignedXml).toBeUndefined();
      expect(result.qrUrl).not.toContain('ConsultaTimbreFC');
      expect(result).toMatchObject({ ruling: 'accepted', trackId: 'track-1', dgiiEstado: 'Aceptado' });
    });
  });

  it('calls DGII with the caller: its cache key, its identity, the environment asked for', async () => {
    await service.issue(caller, { ecf: makeEcf('31'), environment: 'TEST' });
    for (const call of dgii.calls) {
      expect(call).toMatchObject({
        ctx: { cacheKey: caller.cacheKey, identity: caller.identity, environment: 'TEST' },
      });
    }
  });

  it('makes no gateway call on a dry run', async () => {
    const result = await service.issue(caller, { ecf: makeEcf('31'), dryRun: true });
    const rfce = await service.issue(caller, { ...consumo('100.00'), dryRun: true });
    expect(dgii.calls).toEqual([]);
    expect(result).toMatchObject({ ruling: 'not-sent', dgiiEstado: 'No enviado', trackId: null });
    expect(rfce.rfceSignedXml).toMatch(/^<RFCE>/);
  });

  it('returns En Proceso when waitForResult says DGII has not ruled yet', async () => {
    dgii.waitVerdict = enProceso('track-1');
    const result = await service.issue(caller, { ecf: makeEcf('31') });
    expect(result).toMatchObject({
      ruling: 'in-process',
      dgiiEstado: 'En Proceso',
      success: true,
      trackId: 'track-1',
    });
    expect(result.statusMessage).toContain('/api/v1/status/track-1');
  });

  it('takes a verdict refused at reception without polling', async () => {
    dgii.reception = {
      trackId: '',
      verdict: { codigo: '', estado: 'Rechazado', final: true, accepted: false, mensajes: [] },
    };
    const result = await service.issue(caller, { ecf: makeEcf('31') });
    expect(dgii.methods()).toEqual(['submitEcf']);
    expect(result).toMatchObject({ ruling: 'rejected', success: false, trackId: null });
  });

  describe('a 502 from DGII carries the signed document (DESIGN §1.6)', () => {
    const failure = () => new InternalError('DGII submission failed: boom', [OUTCOME_UNKNOWN], 502);

    it('for a full e-CF', async () => {
      dgii.reception = failure();
      const error = await service.issue(caller, { ecf: makeEcf('31') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InternalError);
      const sent = uploads(dgii)[0].upload.xml;
      expect(error).toMatchObject({
        status: 502,
        message: 'DGII submission failed: boom',
        details: [
          { outcome: 'unknown', message: OUTCOME_UNKNOWN.message },
          { message: 'the signed document', signedXml: sent, encf: expect.stringMatching(/^E31/) },
        ],
      });
      // The outcome names the two routes that settle it, filled in for this document (issue 11 §1).
      const [unknown, signed] = (error as InternalError).details;
      const encf = String(signed.encf);
      expect(unknown.queryRoutes).toEqual([
        `GET /api/v1/ecf/${encf}/track-ids?rncEmisor=${RNC}`,
        `GET /api/v1/ecf/${encf}/status?rncEmisor=${RNC}&rncComprador=${/<RNCComprador>(\d+)</.exec(sent)![1]}` +
          `&securityCode=${encodeURIComponent(String(signed.securityCode))}`,
      ]);
      expect((error as InternalError).details[1]).not.toHaveProperty('rfceSignedXml');
    });

    it('for an RFCE, with the summary DGII received', async () => {
      dgii.rfceVerdict = failure();
      const error = await service.issue(caller, consumo('100.00')).catch((e: unknown) => e);
      const detail = (error as InternalError).details[1];
      expect(detail).toMatchObject({ message: 'the signed document', encf: 'E320000000101' });
      expect(detail.rfceSignedXml).toBe(uploads(dgii)[0].upload.xml);
      expect(detail.signedXml).toMatch(/^<ECF>/);
    });

    it('but not to other errors', async () => {
      const other = new InternalError('not DGII', [], 500);
      dgii.reception = other;
      await expect(service.issue(caller, { ecf: makeEcf('31') })).rejects.toBe(other);
    });
  });

  describe('submitSigned: a document signed earlier (issue 11 §2)', () => {
    it('sends the exact bytes it was given to recepción, with the same verdict handling', async () => {
      const earlier = await service.issue(caller, { ecf: makeEcf('31'), dryRun: true });
      const result = await service.submitSigned(caller, { signedXml: earlier.signedXml });
      expect(dgii.methods()).toEqual(['submitEcf', 'waitForResult']);
      expect(uploads(dgii)[0].upload.xml).toBe(earlier.signedXml);
      expect(result).toMatchObject({
        ruling: 'accepted',
        ecfNumber: earlier.ecfNumber,
        securityCode: earlier.securityCode,
        signedAt: earlier.signedAt,
        qrUrl: earlier.qrUrl,
        signedXml: earlier.signedXml,
      });
    });

    it('builds and signs the RFCE of a type 32 under RD$250,000 and sends that to recepcionfc', async () => {
      const earlier = await service.issue(caller, { ...consumo('1500.00'), dryRun: true });
      const result = await service.submitSigned(caller, { signedXml: earlier.signedXml });
      expect(dgii.methods()).toEqual(['submitRfce']);
      expect(uploads(dgii)[0].upload.xml).toBe(result.rfceSignedXml);
      // The same summary the issue route builds from the same invoice.
      expect(result.rfceSignedXml).toBe(earlier.rfceSignedXml);
      expect(result.signedXml).toBe(earlier.signedXml);
    });

    it('makes no call on a dry run', async () => {
      const earlier = await service.issue(caller, { ecf: makeEcf('31'), dryRun: true });
      const result = await service.submitSigned(caller, { signedXml: earlier.signedXml, dryRun: true });
      expect(dgii.calls).toEqual([]);
      expect(result).toMatchObject({ ruling: 'not-sent', signedXml: earlier.signedXml });
    });

    it('refuses a document signed by another certificate, naming both', async () => {
      const other = {
        ...caller,
        identity: signingIdentityOf({ ...(await otherTestIdentity()), keyType: 'rsa' }),
      };
      const earlier = await service.issue(other, { ecf: makeEcf('31'), dryRun: true });
      const error = await service
        .submitSigned(caller, { signedXml: earlier.signedXml })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignerMismatchError);
      const message = (error as Error).message;
      expect(message).toContain(other.identity.certificate.serialNumber.toLowerCase());
      expect(message).toContain(caller.identity.certificate.serialNumber.toLowerCase());
      expect(dgii.calls).toEqual([]);
    });

    it('refuses a document altered after signing', async () => {
      const earlier = await service.issue(caller, { ecf: makeEcf('31'), dryRun: true });
      const altered = earlier.signedXml.replace(/<MontoTotal>[^<]*</, '<MontoTotal>1.00<');
      await expect(service.submitSigned(caller, { signedXml: altered })).rejects.toBeInstanceOf(
        SignatureInvalidError,
      );
      expect(dgii.calls).toEqual([]);
    });
  });

  describe('issueOnce after an unknown outcome: ask DGII before resending (issue 11 §3)', () => {
    const ID = '3f0e5a0c-1b8e-4f7e-9d1e-6a2b9c4d5e6f';
    const timeout = () =>
      new InternalError('DGII submission failed: no answer from DGII within 1500 ms', [OUTCOME_UNKNOWN], 502);
    let request: IssueEcfRequest & { externalDocumentId: string };
    let first: unknown;

    beforeEach(async () => {
      request = { externalDocumentId: ID, ecf: makeEcf('31') };
      dgii.reception = timeout();
      first = await service.issueOnce('k', caller, request).catch((e: unknown) => e);
      expect(first).toMatchObject({ status: 502 });
      dgii.calls.length = 0;
      dgii.reception = { trackId: 'track-2' };
    });

    it('returns the verdict DGII holds, without sending again', async () => {
      dgii.trackIds = [[{ trackId: 'track-1', estado: 'Aceptado' }]];
      const result = await service.issueOnce('k', caller, request);
      expect(dgii.methods()).toEqual(['queryTrackIds', 'waitForResult']);
      expect(result).toMatchObject({ ruling: 'accepted', trackId: 'track-1', trackIds: ['track-1'] });
      // The same signed document as the first attempt, not a new signature.
      const sent = (first as InternalError).details[1] as unknown as { signedXml: string };
      expect(result.signedXml).toBe(sent.signedXml);
      // And it is now the stored result: a third call asks nobody.
      dgii.calls.length = 0;
      expect(await service.issueOnce('k', caller, request)).toEqual(result);
      expect(dgii.calls).toEqual([]);
    });

    it('resends the same bytes once when DGII holds none', async () => {
      const result = await service.issueOnce('k', caller, request);
      expect(dgii.methods()).toEqual(['queryTrackIds', 'submitEcf', 'waitForResult']);
      const sent = (first as InternalError).details[1] as unknown as { signedXml: string };
      expect(uploads(dgii)[0].upload.xml).toBe(sent.signedXml);
      expect(result).toMatchObject({ ruling: 'accepted', trackId: 'track-2' });
    });

    it('reports a 1209 on the resend as the original acceptance, with both trackIds', async () => {
      dgii.trackIds = [
        [],
        [
          { trackId: 'track-1', estado: 'Aceptado' },
          { trackId: 'track-2', estado: 'Rechazado' },
        ],
      ];
      dgii.waitVerdict = {
        ...ACCEPTED,
        trackId: 'track-2',
        codigo: '2',
        estado: 'Rechazado',
        accepted: false,
        mensajes: [{ codigo: '1209', valor: 'El eNCF ya fue utilizado' }],
      };
      const result = await service.issueOnce('k', caller, request);
      expect(dgii.methods()).toEqual([
        'queryTrackIds',
        'submitEcf',
        'waitForResult',
        'queryTrackIds',
        'queryResult',
      ]);
      expect(result).toMatchObject({ trackId: 'track-1', trackIds: ['track-1', 'track-2'] });
    });

    it('keeps the first attempt when the retry fails too, and refuses another body under the id', async () => {
      dgii.reception = timeout();
      await expect(service.issueOnce('k', caller, request)).rejects.toMatchObject({ status: 502 });
      await expect(
        service.issueOnce('k', caller, { ...request, ecf: makeEcf('31', { sequence: 999 }) }),
      ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
      dgii.trackIds = [[{ trackId: 'track-1', estado: 'Aceptado' }]];
      dgii.calls.length = 0;
      expect(await service.issueOnce('k', caller, request)).toMatchObject({ trackId: 'track-1' });
      expect(dgii.methods()).toEqual(['queryTrackIds', 'waitForResult']);
    });
  });
});
