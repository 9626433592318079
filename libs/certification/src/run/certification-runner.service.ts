import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Clock,
  dgiiUploadFileName,
  DomainError,
  InvalidWorkbookError,
  NotFoundError,
  RunInProgressError,
  santoDomingoIso,
  ValidationFailedError,
} from '@app/common';
import { APP_CONFIG, AppConfig, DgiiEnvironment } from '@app/config';
import { DgiiCallContext, DgiiGateway, DgiiVerdict, statusMessageOf } from '@app/dgii-gateway';
import { DocumentSigner, IssueCaller } from '@app/issuance';
import { rfceFromEcf32 } from '@app/xml-builder';
import { readWorkbook, WorkbookUnreadable } from '../workbook/read-workbook';
import { casesFromWorkbook, CertificationCase, WorkbookProblems } from '../workbook/workbook-cases';
import { DEFAULT_XLSX_BOUNDS } from '../workbook/xlsx-bounds';
import { checkRfceAgainstSheet } from './rfce-check';
import { sendOrder } from './send-order';
import {
  CaseDocuments,
  CaseProgress,
  CertificationRun,
  RunMode,
  RunOwner,
  RunView,
  viewOfRun,
} from './run.model';
import { CertificationRunStore } from './run.store';

export interface StartRunOptions {
  mode: RunMode;
  environment: DgiiEnvironment;
}

/** One progress event: a case changed, or the run did (the SSE stream and GET show the same). */
export type RunEvent =
  { type: 'case'; runId: string; case: CaseProgress } | { type: 'run'; runId: string; run: RunView };

/** Runs going at once per API key (validate or send); at most one of them sends. */
export const MAX_RUNNING_PER_KEY = 2;

const FINISHED = new Set(['validated', 'passed', 'rejected', 'failed', 'cancelled']);

export const isFinished = (run: { status: string }): boolean => FINISHED.has(run.status);

/**
 * The certification autopilot (PROTOCOL §10, Pasos 2 and 3): DGII's workbook → every case built,
 * signed and checked locally, then — in send mode, and only when every case passed — sent in an
 * order DGII accepts, waiting for each verdict and stopping at the first rejection, because a
 * single rejection restarts DGII's whole data test.
 */
@Injectable()
export class CertificationRunner {
  private readonly logger = new Logger('CertificationRunner');
  private readonly events = new EventEmitter();
  /** API key → its send run still going: one at a time, or the same e-NCFs would go twice (code 1209). */
  private readonly sending = new Map<string, string>();
  /** API key → how many of its runs are going (validate or send). */
  private readonly running = new Map<string, number>();
  /** Sessions that ended: their running runs make no further DGII call. */
  private readonly endedSessions = new Set<string>();

  constructor(
    @Inject(DocumentSigner) private readonly signer: DocumentSigner,
    @Inject(DgiiGateway) private readonly dgii: DgiiGateway,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CertificationRunStore) private readonly store: CertificationRunStore,
  ) {
    this.events.setMaxListeners(0);
  }

  /**
   * Reads the workbook and starts the run; returns at once (the run goes on in the background).
   *
   * @throws InvalidWorkbookError (400) naming what is wrong with the workbook.
   * @throws ValidationFailedError (400) for PRODUCTION: certification runs only against CerteCF.
   */
  async start(
    owner: RunOwner,
    caller: IssueCaller,
    workbook: Buffer,
    options: StartRunOptions,
  ): Promise<RunView> {
    if (options.environment === 'PRODUCTION') {
      // PROTOCOL §10: the data tests run against CerteCF; DESIGN §1.5: never surprise-route to production.
      throw new ValidationFailedError('certification runs never go to production', [
        { path: 'environment', message: 'must be CERTIFICATION (or TEST); PRODUCTION is refused' },
      ]);
    }
    const busy = this.sending.get(owner.apiKeyId);
    if (options.mode === 'send' && busy) {
      // PROTOCOL §10: a repeated e-NCF is a rejection, and one rejection restarts DGII's test.
      throw new RunInProgressError(
        `certification run ${busy} of this API key is still sending; wait for it to finish`,
      );
    }
    const cases = await this.casesOf(workbook);
    const now = santoDomingoIso(new Date(this.clock.now()));
    const run: CertificationRun = {
      runId: randomUUID(),
      kind: cases[0].kind,
      mode: options.mode,
      environment: options.environment,
      owner,
      status: 'running',
      createdAt: now,
      finishedAt: null,
      stoppedAt: null,
      dgiiUploads: 0,
      cases: cases.map((c) => ({
        row: c.row,
        caseId: c.caseId,
        tipo: c.kind === 'ecf' ? c.tipo : 'ACECF',
        encf: c.encf,
        route: c.kind === 'acecf' ? 'acecf' : c.viaRfce ? 'rfce' : 'ecf',
        state: 'pending',
        sendOrder: null,
        trackId: null,
        dgiiEstado: null,
        mensajes: [],
        error: null,
        validatedAt: null,
        sentAt: null,
        decidedAt: null,
      })),
    };
    // Each run signs every case on this process: a bound per API key keeps one caller from
    // taking the CPU (checked here, with no await before the count goes up).
    const running = this.running.get(owner.apiKeyId) ?? 0;
    if (running >= MAX_RUNNING_PER_KEY)
      throw new RunInProgressError(
        `${running} certification runs of this API key are still going; wait for one to finish`,
      );
    if (run.mode === 'send') {
      // Checked again after the await: two uploads may have raced past the first check.
      const raced = this.sending.get(owner.apiKeyId);
      if (raced)
        throw new RunInProgressError(
          `certification run ${raced} of this API key is still sending; wait for it to finish`,
        );
      this.sending.set(owner.apiKeyId, run.runId);
    }
    this.running.set(owner.apiKeyId, running + 1);
    await this.store.save(run);
    void this.execute(run, cases, caller)
      .catch((error: unknown) => {
        this.logger.error({ err: error, runId: run.runId }, 'certification run crashed');
        run.status = 'failed';
        run.stoppedAt = { row: 0, encf: '', message: 'internal error' };
        return this.finish(run);
      })
      .finally(() => {
        if (this.sending.get(owner.apiKeyId) === run.runId) this.sending.delete(owner.apiKeyId);
        const left = (this.running.get(owner.apiKeyId) ?? 1) - 1;
        if (left > 0) this.running.set(owner.apiKeyId, left);
        else this.running.delete(owner.apiKeyId);
      });
    return viewOfRun(run);
  }

  /** The run, if `owner` may see it: its API key, and its session or (after it ended) any of that key's. */
  async view(owner: RunOwner, runId: string): Promise<RunView> {
    return viewOfRun(await this.owned(owner, runId));
  }

  async documents(owner: RunOwner, runId: string): Promise<CaseDocuments[]> {
    await this.owned(owner, runId);
    return this.store.documentsOf(runId);
  }

  /** Progress events of a run until it finishes; returns the unsubscribe function. */
  subscribe(runId: string, listener: (event: RunEvent) => void): () => void {
    this.events.on(runId, listener);
    return () => this.events.off(runId, listener);
  }

  /** The owning session ended: a running run stops before its next DGII call; its record expires later. */
  async sessionEnded(tokenHash: string): Promise<void> {
    this.endedSessions.add(tokenHash);
    await this.store.sessionEnded(tokenHash, this.clock.now());
  }

  private async owned(owner: RunOwner, runId: string): Promise<CertificationRun> {
    const run = await this.store.get(runId);
    const visible =
      run !== undefined &&
      run.owner.apiKeyId === owner.apiKeyId &&
      (run.owner.tokenHash === owner.tokenHash || (await this.store.sessionHasEnded(runId)));
    // Someone else's run is as unknown as a missing one (DESIGN §1.3).
    if (!visible || !run) throw new NotFoundError(`no certification run ${runId}`);
    return run;
  }

  private async casesOf(workbook: Buffer): Promise<CertificationCase[]> {
    try {
      const sheets = await readWorkbook(workbook, {
        ...DEFAULT_XLSX_BOUNDS,
        maxUploadBytes: this.config.certification.maxWorkbookBytes,
      });
      return [...casesFromWorkbook(sheets).cases];
    } catch (error) {
      if (error instanceof WorkbookUnreadable)
        throw new InvalidWorkbookError(error.message, [{ path: 'workbook', message: error.message }]);
      if (error instanceof WorkbookProblems) {
        throw new InvalidWorkbookError(
          `the workbook is not one of DGII's certification test sets: ${error.details.length} problem${error.details.length === 1 ? '' : 's'}`,
          error.details.slice(0, 50),
        );
      }
      throw error;
    }
  }

  private now(): string {
    return santoDomingoIso(new Date(this.clock.now()));
  }

  private async changed(run: CertificationRun, progress?: CaseProgress): Promise<void> {
    await this.store.save(run);
    if (progress) this.events.emit(run.runId, { type: 'case', runId: run.runId, case: { ...progress } });
    else this.events.emit(run.runId, { type: 'run', runId: run.runId, run: viewOfRun(run) });
  }

  private async finish(run: CertificationRun): Promise<void> {
    run.finishedAt = this.now();
    await this.changed(run);
  }

  private async execute(
    run: CertificationRun,
    cases: CertificationCase[],
    caller: IssueCaller,
  ): Promise<void> {
    // Send always validates first: any local failure and nothing is sent (PROTOCOL §10).
    const signed = new Map<number, CaseDocuments>();
    for (const [i, c] of cases.entries()) {
      const progress = run.cases[i];
      try {
        const docs = await this.sign(c, caller);
        signed.set(c.row, docs);
        await this.store.saveDocuments(run.runId, docs);
        progress.state = 'validated';
        progress.validatedAt = this.now();
      } catch (error) {
        progress.state = 'failed';
        progress.error = errorOf(error);
      }
      await this.changed(run, progress);
    }
    const failed = run.cases.find((c) => c.state === 'failed');
    if (failed) {
      run.status = 'failed';
      run.stoppedAt = {
        row: failed.row,
        encf: failed.encf,
        message: `case at row ${failed.row} (${failed.encf}) failed locally: ${failed.error?.message ?? ''}; nothing was sent`,
      };
      return this.finish(run);
    }
    if (run.mode === 'validate') {
      run.status = 'validated';
      return this.finish(run);
    }

    const ctx: DgiiCallContext = {
      cacheKey: caller.cacheKey,
      environment: run.environment,
      identity: caller.identity,
    };
    let order = 0;
    for (const c of sendOrder(cases)) {
      const progress = run.cases[cases.indexOf(c)];
      if (this.endedSessions.has(run.owner.tokenHash)) {
        run.status = 'cancelled';
        run.stoppedAt = { row: c.row, encf: c.encf, message: 'the session ended; nothing more was sent' };
        return this.finish(run);
      }
      const docs = signed.get(c.row) as CaseDocuments;
      progress.state = 'sent';
      progress.sendOrder = ++order;
      progress.sentAt = this.now();
      run.dgiiUploads++;
      await this.changed(run, progress);
      let verdict: DgiiVerdict | undefined;
      try {
        verdict = await this.submit(c, docs, ctx, progress);
      } catch (error) {
        progress.state = 'failed';
        progress.error = errorOf(error);
        run.status = 'failed';
        run.stoppedAt = { row: c.row, encf: c.encf, message: progress.error.message };
        await this.changed(run, progress);
        return this.finish(run);
      }
      progress.dgiiEstado = verdict.estado;
      progress.mensajes = verdict.mensajes.map((m) => ({ ...m }));
      progress.trackId = progress.trackId ?? verdict.trackId ?? null;
      if (!verdict.final) {
        // Still "En Proceso" after the wait: the next case may depend on it; stop and say so.
        run.status = 'failed';
        run.stoppedAt = {
          row: c.row,
          encf: c.encf,
          message: `DGII had not ruled on ${c.encf} after ${this.config.certification.verdictWaitMs} ms (${verdict.estado}); query its trackId and start a new run for what is left`,
        };
        await this.changed(run, progress);
        return this.finish(run);
      }
      progress.decidedAt = this.now();
      if (!verdict.accepted) {
        progress.state = 'Rechazado';
        run.status = 'rejected';
        // DGII's own words, verbatim (PROTOCOL §1.4).
        run.stoppedAt = { row: c.row, encf: c.encf, message: statusMessageOf(verdict) };
        await this.changed(run, progress);
        return this.finish(run);
      }
      progress.state = /condicional/i.test(verdict.estado) ? 'Aceptado Condicional' : 'Aceptado';
      await this.changed(run, progress);
    }
    run.status = 'passed';
    return this.finish(run);
  }

  /** Builds, signs and schema-checks one case, exactly as the workbook wrote it. */
  private async sign(c: CertificationCase, caller: IssueCaller): Promise<CaseDocuments> {
    if (c.kind === 'acecf') {
      const acecf = await this.signer.sign('ACECF', c.acecf, caller.identity);
      return {
        row: c.row,
        tipo: 'ACECF',
        encf: c.encf,
        // ACECF files are named after the approver (PROTOCOL §6).
        fileName: dgiiUploadFileName(c.rncComprador, c.encf),
        signedXml: acecf.xml,
        securityCode: acecf.securityCode,
        signedAt: acecf.signedAt,
      };
    }
    const full = await this.signer.sign(c.tipo, c.ecf, caller.identity);
    // The RFCE carries the full invoice's security code, so the full e-CF is signed first (PROTOCOL §5).
    const rfceJson = c.viaRfce ? rfceFromEcf32(c.ecf, full.securityCode) : undefined;
    if (rfceJson && c.expectedRfce) checkRfceAgainstSheet(rfceJson, c.expectedRfce, c.encf);
    const rfce = rfceJson ? await this.signer.sign('RFCE', rfceJson, caller.identity) : undefined;
    return {
      row: c.row,
      tipo: c.tipo,
      encf: c.encf,
      fileName: dgiiUploadFileName(c.rncEmisor, c.encf),
      signedXml: full.xml,
      securityCode: full.securityCode,
      signedAt: full.signedAt,
      ...(rfce ? { rfceSignedXml: rfce.xml } : {}),
    };
  }

  private async submit(
    c: CertificationCase,
    docs: CaseDocuments,
    ctx: DgiiCallContext,
    progress: CaseProgress,
  ): Promise<DgiiVerdict> {
    if (c.kind === 'acecf')
      return this.dgii.submitAcecf(ctx, { xml: docs.signedXml, fileName: docs.fileName });
    if (docs.rfceSignedXml)
      return this.dgii.submitRfce(ctx, { xml: docs.rfceSignedXml, fileName: docs.fileName });
    const reception = await this.dgii.submitEcf(ctx, { xml: docs.signedXml, fileName: docs.fileName });
    if (reception.verdict) return reception.verdict;
    progress.trackId = reception.trackId;
    const deadline = this.clock.now() + this.config.certification.verdictWaitMs;
    let verdict = await this.dgii.waitForResult(ctx, reception.trackId, this.config.dgiiResultWaitMs);
    while (!verdict.final && this.clock.now() < deadline) {
      verdict = await this.dgii.waitForResult(
        ctx,
        reception.trackId,
        Math.max(1, Math.min(this.config.dgiiResultWaitMs, deadline - this.clock.now())),
      );
    }
    return verdict;
  }
}

function errorOf(error: unknown): { message: string; code: string; details: unknown[] } {
  if (error instanceof DomainError)
    return { message: error.message, code: error.code, details: [...error.details] };
  return { message: 'internal error', code: 'INTERNAL_ERROR', details: [] };
}
