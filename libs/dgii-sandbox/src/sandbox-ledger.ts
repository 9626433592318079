import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AnnulledRange, inRange } from './anecf-rules';

/** What consulta estado tells about an e-CF (PROTOCOL §1.3 #6), as the sandbox received it. */
export interface EcfRecord {
  codigo: 1 | 2 | 4;
  estado: string;
  rncComprador?: string;
  montoTotal?: number;
  totalITBIS?: number;
  fechaEmision?: string;
  fechaFirma?: string;
  codigoSeguridad: string;
  /** Monotonic real time when the verdict shows. */
  readyAt: number;
}

export interface LedgerMessage {
  codigo: number;
  valor: string;
}

/** The verdict DGII would reach on a document (PROTOCOL §1.4). */
export interface LedgerVerdict {
  codigo: 1 | 2 | 4;
  estado: 'Aceptado' | 'Rechazado' | 'Aceptado Condicional';
  mensajes: LedgerMessage[];
  secuenciaUtilizada: boolean;
}

export interface Submission {
  trackId: string;
  segment: string;
  rnc: string;
  encf: string;
  /** On the sandbox clock, for fechaRecepcion. */
  receivedAt: number;
  /** Monotonic real time when the verdict shows (the "En Proceso" delay). */
  readyAt: number;
  verdict: LedgerVerdict;
}

/** Received documents are kept for consulta; the oldest go first past this many. */
const MAX_SUBMISSIONS = 50_000;
/** Received bytes are kept for tests only, so fewer of them. */
const MAX_RECEIVED = 1_000;

/** What an upload route received for one e-NCF: the exact bytes of the `xml` part. */
export interface ReceivedDocument {
  segment: string;
  rnc: string;
  encf: string;
  trackId?: string;
  xml: string;
  sha256: string;
}

/**
 * What the sandbox received, in memory: submissions by trackId, the e-NCF each emisor has
 * consumed (PROTOCOL §1.5), and the latest verdict per e-CF for aprobación comercial (PROTOCOL §6).
 */
@Injectable()
export class SandboxLedger {
  private readonly submissions = new Map<string, Submission>();
  private readonly usedSequences = new Set<string>();
  private readonly documents = new Map<string, { accepted: boolean; montoTotal?: number }>();
  private readonly received: ReceivedDocument[] = [];
  /** trackIds per (segment, rnc, e-NCF), in reception order, for consulta trackIds (PROTOCOL §1.3 #7). */
  private readonly trackIdsByDocument = new Map<string, string[]>();
  /** Per (segment, rnc, e-NCF), the e-CF consulta estado reports: the valid one when there is one. */
  private readonly ecfRecords = new Map<string, EcfRecord>();
  /** Ranges cancelled by ANECF per (segment, rnc) (PROTOCOL §7.2): never usable afterwards. */
  private readonly annulled = new Map<string, AnnulledRange[]>();

  static key(segment: string, rnc: string, encf: string): string {
    return `${segment}|${rnc}|${encf}`;
  }

  isUsed(segment: string, rnc: string, encf: string): boolean {
    if (this.usedSequences.has(SandboxLedger.key(segment, rnc, encf))) return true;
    return (this.annulled.get(`${segment}|${rnc}`) ?? []).some((r) => inRange(r, encf));
  }

  /** True when any e-NCF of the range was consumed or already cancelled (PROTOCOL §7.2). */
  rangeUsed(segment: string, rnc: string, range: AnnulledRange): boolean {
    const prefix = `${segment}|${rnc}|`;
    for (const key of this.usedSequences) {
      if (key.startsWith(prefix) && inRange(range, key.slice(prefix.length))) return true;
    }
    return (this.annulled.get(`${segment}|${rnc}`) ?? []).some(
      (r) =>
        r.desde.slice(0, 3) === range.desde.slice(0, 3) && r.desde <= range.hasta && range.desde <= r.hasta,
    );
  }

  annul(segment: string, rnc: string, ranges: AnnulledRange[]): void {
    const key = `${segment}|${rnc}`;
    this.annulled.set(key, [...(this.annulled.get(key) ?? []), ...ranges]);
  }

  /** Keeps what consulta estado answers; an accepted e-CF is never replaced by a later refused resend. */
  recordEcf(segment: string, rnc: string, encf: string, record: EcfRecord): void {
    const key = SandboxLedger.key(segment, rnc, encf);
    const previous = this.ecfRecords.get(key);
    if (previous && previous.codigo !== 2 && record.codigo === 2) return;
    this.ecfRecords.set(key, record);
    if (this.ecfRecords.size > MAX_SUBMISSIONS) {
      const oldest = this.ecfRecords.keys().next().value;
      if (oldest !== undefined) this.ecfRecords.delete(oldest);
    }
  }

  ecfRecord(segment: string, rnc: string, encf: string): EcfRecord | undefined {
    return this.ecfRecords.get(SandboxLedger.key(segment, rnc, encf));
  }

  /** Records a verdict: burns the e-NCF when DGII would (secuenciaUtilizada). */
  record(segment: string, rnc: string, encf: string, verdict: LedgerVerdict, montoTotal?: number): void {
    const key = SandboxLedger.key(segment, rnc, encf);
    if (verdict.secuenciaUtilizada) this.usedSequences.add(key);
    const accepted = verdict.codigo !== 2;
    if (accepted || !this.documents.get(key)?.accepted) this.documents.set(key, { accepted, montoTotal });
  }

  document(
    segment: string,
    rnc: string,
    encf: string,
  ): { accepted: boolean; montoTotal?: number } | undefined {
    return this.documents.get(SandboxLedger.key(segment, rnc, encf));
  }

  /** Keeps the bytes an upload route received (admin `GET /_admin/received?encf=`). */
  keepReceived(segment: string, rnc: string, encf: string, bytes: Buffer, trackId?: string): void {
    this.received.push({
      segment,
      rnc,
      encf,
      trackId,
      xml: bytes.toString('utf8'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    if (this.received.length > MAX_RECEIVED) this.received.shift();
  }

  /** Every reception of this e-NCF, oldest first. */
  receivedOf(encf: string): ReceivedDocument[] {
    return this.received.filter((r) => r.encf === encf);
  }

  add(submission: Submission): void {
    this.submissions.set(submission.trackId, submission);
    const key = SandboxLedger.key(submission.segment, submission.rnc, submission.encf);
    this.trackIdsByDocument.set(key, [...(this.trackIdsByDocument.get(key) ?? []), submission.trackId]);
    if (this.submissions.size > MAX_SUBMISSIONS) {
      const oldest = this.submissions.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
  }

  /** Every submission kept for this e-NCF, oldest first (PROTOCOL §1.3 #7). */
  submissionsOf(segment: string, rnc: string, encf: string): Submission[] {
    const ids = this.trackIdsByDocument.get(SandboxLedger.key(segment, rnc, encf)) ?? [];
    return ids.flatMap((id) => {
      const found = this.submissions.get(id);
      return found ? [found] : [];
    });
  }

  private drop(trackId: string): void {
    const found = this.submissions.get(trackId);
    this.submissions.delete(trackId);
    if (!found) return;
    const key = SandboxLedger.key(found.segment, found.rnc, found.encf);
    const rest = (this.trackIdsByDocument.get(key) ?? []).filter((id) => id !== trackId);
    if (rest.length > 0) this.trackIdsByDocument.set(key, rest);
    else this.trackIdsByDocument.delete(key);
  }

  get(trackId: string): Submission | undefined {
    return this.submissions.get(trackId);
  }

  static ready(submission: Submission): boolean {
    return performance.now() >= submission.readyAt;
  }
}
