import type { DgiiEnvironment } from '@app/config';
import type { DgiiMessage } from '@app/dgii-gateway';
import type { WorkbookKind } from '../workbook/workbook-cases';

/** Where a case stands; the DGII states are DGII's own words (PROTOCOL §1.4). */
export type CaseState =
  'pending' | 'validated' | 'sent' | 'Aceptado' | 'Aceptado Condicional' | 'Rechazado' | 'failed';

/** Which DGII service a case goes to: e-CF reception, the fc host (RFCE), or aprobación comercial. */
export type CaseRoute = 'ecf' | 'rfce' | 'acecf';

export type RunMode = 'validate' | 'send';

/**
 * running → validated (validate mode) | passed (send: every case accepted) | rejected (DGII
 * refused a case: the run stopped there) | failed (a case failed locally, or DGII could not be
 * reached: nothing after it was sent) | cancelled (its session ended mid-run).
 */
export type RunStatus = 'running' | 'validated' | 'passed' | 'rejected' | 'failed' | 'cancelled';

export interface CaseProgress {
  /** Spreadsheet row of the case. */
  readonly row: number;
  readonly caseId: string;
  /** TipoeCF, or 'ACECF'. */
  readonly tipo: string;
  readonly encf: string;
  readonly route: CaseRoute;
  state: CaseState;
  /** 1, 2, 3… in the order the run sent the cases to DGII; null until sent. */
  sendOrder: number | null;
  trackId: string | null;
  /** DGII's estado text, verbatim. */
  dgiiEstado: string | null;
  /** DGII's messages, verbatim. */
  mensajes: DgiiMessage[];
  /** Why the case failed locally or DGII could not be reached (our message, with details). */
  error: { message: string; code: string; details: unknown[] } | null;
  validatedAt: string | null;
  sentAt: string | null;
  decidedAt: string | null;
}

/** Who may see a run: its API key and the session that started it (DESIGN §1.3). */
export interface RunOwner {
  readonly apiKeyId: string;
  readonly tokenHash: string;
}

export interface CertificationRun {
  readonly runId: string;
  readonly kind: WorkbookKind;
  readonly mode: RunMode;
  readonly environment: DgiiEnvironment;
  readonly owner: RunOwner;
  status: RunStatus;
  readonly createdAt: string;
  finishedAt: string | null;
  /** Why the run stopped, when it did not pass: the case and DGII's or our message. */
  stoppedAt: { row: number; encf: string; message: string } | null;
  /** How many DGII uploads the run made. */
  dgiiUploads: number;
  readonly cases: CaseProgress[];
}

/**
 * One case's signed documents, exactly as signed (never re-serialised, DESIGN §1.4), with the
 * file names DGII expects (DT p.59, PROTOCOL §1.2). The RI (printed representation) is built
 * from these.
 */
export interface CaseDocuments {
  readonly row: number;
  readonly tipo: string;
  readonly encf: string;
  readonly fileName: string;
  /** The full e-CF, or the ACECF. For a consumo case this is the type-32 XML the portal asks for. */
  readonly signedXml: string;
  readonly securityCode: string;
  readonly signedAt: string;
  readonly rfceSignedXml?: string;
}

/** The public view of a run (what GET runs/{runId} answers): the owner is never shown. */
export type RunView = Omit<CertificationRun, 'owner'>;

export function viewOfRun(run: CertificationRun): RunView {
  const { owner: _owner, ...view } = run;
  return structuredClone(view);
}
