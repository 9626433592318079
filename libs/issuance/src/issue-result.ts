import { statusMessageOf, type DgiiVerdict } from '@app/dgii-gateway';

/** The body every issue route returns (guide §3.2, §6, §10). */
export interface IssueResult {
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
}

export interface EcfIssueResult extends IssueResult {
  ecfNumber: string;
  qrUrl: string;
  rfceSignedXml?: string;
}

export const DRY_RUN_ESTADO = 'No enviado';

/** A dry run: built, signed and checked, and DGII never contacted (DESIGN §1.5). */
export function dryRunResult<T extends Omit<IssueResult, keyof DryRunFields>>(signed: T): T & DryRunFields {
  return inGuideOrder({
    ...signed,
    trackId: null,
    dgiiEstado: DRY_RUN_ESTADO,
    submittedAt: null,
    success: true,
    statusMessage: 'dry run: built, signed and checked; not sent to DGII',
  });
}

type DryRunFields = Pick<IssueResult, 'trackId' | 'dgiiEstado' | 'submittedAt' | 'success' | 'statusMessage'>;

/** The guide's field order first (§3.2, §10), then ours, so responses read like the documentation. */
export function inGuideOrder<T extends IssueResult & { ecfNumber?: string }>(result: T): T {
  const { ecfNumber, trackId, dgiiEstado, signedXml, submittedAt, success, statusMessage, ...ext } = result;
  return {
    ...(ecfNumber !== undefined ? { ecfNumber } : {}),
    trackId,
    dgiiEstado,
    signedXml,
    submittedAt,
    success,
    statusMessage,
    ...ext,
  } as T;
}

/** HTTP status per DESIGN §3: accepted 200, still in process 202, business rejection 400. */
export function httpStatusOf(verdict: DgiiVerdict): number {
  if (verdict.accepted) return 200;
  return verdict.final ? 400 : 202;
}

export function verdictFields(
  verdict: DgiiVerdict,
): Pick<IssueResult, 'dgiiEstado' | 'success' | 'statusMessage' | 'mensajes' | 'secuenciaUtilizada'> {
  return {
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
