import { statusMessageOf, type DgiiVerdict, type ReceptorDelivery } from '@app/dgii-gateway';

/**
 * Where DGII stands on an issued document: `not-sent` for a dry run, `in-process` while DGII has
 * not ruled yet (DESIGN §3). Plain data, so a result can be stored and replayed (idempotency).
 */
export type DgiiRuling = 'accepted' | 'rejected' | 'in-process' | 'not-sent';

/** What issuing a document produced (guide §3.2, §6, §10): the domain result; apps/api shapes the body. */
export interface IssueResult {
  ruling: DgiiRuling;
  trackId: string | null;
  dgiiEstado: string;
  signedXml: string;
  submittedAt: string | null;
  success: boolean;
  statusMessage: string;
  mensajes?: { codigo: string; valor: string }[];
  secuenciaUtilizada?: boolean;
  securityCode: string;
  signedAt: string;
  /** With `deliverToReceptor`: what the other party's receptor answered, or why not (issue 11 §4). */
  receptor?: ReceptorDelivery;
}

export interface EcfIssueResult extends IssueResult {
  ecfNumber: string;
  qrUrl: string;
  rfceSignedXml?: string;
  /**
   * Set when a retry after an unknown outcome asked DGII (issue 11 §3): every trackId DGII
   * holds for the e-NCF, or the original's and the resend's when a resend met DGII's 1209.
   */
  trackIds?: string[];
}

export const DRY_RUN_ESTADO = 'No enviado';

type DryRunFields = Pick<
  IssueResult,
  'ruling' | 'trackId' | 'dgiiEstado' | 'submittedAt' | 'success' | 'statusMessage'
>;

/** A dry run: built, signed and checked, and DGII never contacted (DESIGN §1.5). */
export function dryRunResult<T extends Omit<IssueResult, keyof DryRunFields>>(signed: T): T & DryRunFields {
  return {
    ...signed,
    ruling: 'not-sent',
    trackId: null,
    dgiiEstado: DRY_RUN_ESTADO,
    submittedAt: null,
    success: true,
    statusMessage: 'dry run: built, signed and checked; not sent to DGII',
  };
}

function rulingOf(verdict: DgiiVerdict): DgiiRuling {
  if (verdict.accepted) return 'accepted';
  return verdict.final ? 'rejected' : 'in-process';
}

export function verdictFields(
  verdict: DgiiVerdict,
): Pick<
  IssueResult,
  'ruling' | 'dgiiEstado' | 'success' | 'statusMessage' | 'mensajes' | 'secuenciaUtilizada'
> {
  return {
    ruling: rulingOf(verdict),
    dgiiEstado: verdict.estado,
    // "En Proceso" is not a failure: DGII has the document and has not ruled yet.
    success: verdict.accepted || !verdict.final,
    statusMessage: verdict.final
      ? statusMessageOf(verdict)
      : `${verdict.estado}: DGII has not ruled yet; query GET /api/v1/status/${verdict.trackId ?? ''}`,
    ...(verdict.mensajes.length > 0 ? { mensajes: verdict.mensajes } : {}),
    ...(verdict.secuenciaUtilizada !== undefined ? { secuenciaUtilizada: verdict.secuenciaUtilizada } : {}),
  };
}
