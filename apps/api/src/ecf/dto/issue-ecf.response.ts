import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { withHttpStatus } from '@app/common';
import type { DgiiRuling, EcfIssueResult, IssueResult } from '@app/issuance';

export class DgiiMessageDto {
  @ApiProperty({ example: '0' }) codigo!: string;
  @ApiProperty({ example: '' }) valor!: string;
}

export class ArecfDto {
  @ApiProperty({ example: '0', description: 'ARECF Estado: 0 e-CF recibido, 1 no recibido (PROTOCOL §7.1)' })
  estado!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      '1 especificación, 2 firma, 3 envío duplicado, 4 RNC comprador no corresponde; null when received',
  })
  codigoMotivoNoRecibido!: string | null;

  @ApiProperty({
    description: 'The receptor’s signed ARECF, exactly as received (verified before it is returned)',
  })
  signedXml!: string;
}

export class ReceptorAprobacionDto {
  @ApiProperty({
    example: true,
    description: 'HTTP 200 from the issuer’s receptor (PROTOCOL §8.3); 400 = false',
  })
  accepted!: boolean;

  @ApiProperty({ example: 200 }) httpStatus!: number;
}

/** What the other party's receptor answered (issue 11 §4): delivered, or `error` alone. */
export class ReceptorResultDto {
  @ApiPropertyOptional({ example: 'https://receptor.example.do/fe/recepcion/api/ecf' })
  url?: string;

  @ApiPropertyOptional({ type: ArecfDto, description: 'e-CF deliveries' })
  arecf?: ArecfDto;

  @ApiPropertyOptional({ type: ReceptorAprobacionDto, description: 'ACECF deliveries' })
  aprobacion?: ReceptorAprobacionDto;

  @ApiPropertyOptional({ example: '2026-04-24T17:02:15Z' })
  deliveredAt?: string;

  @ApiPropertyOptional({
    example: 'could not reach the receptor (ECONNREFUSED)',
    description: 'Why it was not delivered; the issue itself keeps its DGII result',
  })
  error?: string;
}

/** What every issue route returns (guide §3.2 and §10, plus our `ext` fields). */
export class IssueResponseBase {
  @ApiProperty({ nullable: true, type: String, example: 'd2b6e27c-3908-46f3-afaa-2207b9501b4b' })
  trackId!: string | null;

  @ApiProperty({
    example: 'Aceptado',
    description:
      'DGII state verbatim (Aceptado, Aceptado Condicional, Rechazado, En Proceso, …); "No enviado" on dry runs',
  })
  dgiiEstado!: string;

  @ApiProperty({ description: 'The exact signed bytes. Archive them: fiscaliacore keeps nothing.' })
  signedXml!: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-04-24T17:02:14Z' })
  submittedAt!: string | null;

  @ApiProperty({ example: true }) success!: boolean;

  @ApiProperty({ description: "DGII's text verbatim when it has one", example: 'Aceptado' })
  statusMessage!: string;

  @ApiPropertyOptional({ type: [DgiiMessageDto] })
  mensajes?: DgiiMessageDto[];

  @ApiPropertyOptional({ description: 'false: DGII says the e-NCF may be reused (PROTOCOL §1.5)' })
  secuenciaUtilizada?: boolean;

  @ApiProperty({
    description: 'ext: first 6 characters of SignatureValue (PROTOCOL §3.4)',
    example: 'AI7Q2d',
  })
  securityCode!: string;

  @ApiProperty({
    description:
      'ext: the signing instant, ISO-8601 with the Santo Domingo offset; the same instant as FechaHoraFirma (dd-MM-yyyy HH:mm:ss) in the e-CF',
    example: '2026-04-24T13:02:14-04:00',
  })
  signedAt!: string;

  @ApiPropertyOptional({
    type: ReceptorResultDto,
    description: 'ext: with deliverToReceptor, what the other party’s receptor answered (PROTOCOL §8)',
  })
  receptor?: ReceptorResultDto;
}

export class IssueEcfResponse extends IssueResponseBase {
  @ApiProperty({ example: 'E310000000005' }) ecfNumber!: string;

  @ApiProperty({ description: 'ext: DGII timbre URL for the QR (PROTOCOL §9.1)' })
  qrUrl!: string;

  @ApiPropertyOptional({
    description: 'ext: the signed RFCE summary, for a type 32 under RD$250,000.00 (PROTOCOL §5)',
  })
  rfceSignedXml?: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'ext: on a retry of /ecf/issue after an unknown outcome, every trackId DGII holds for the e-NCF ' +
      '(asked before any resend), or the original and the resend when DGII answered 1209 to the resend',
    example: ['d2b6e27c-3908-46f3-afaa-2207b9501b4b'],
  })
  trackIds?: string[];

  @ApiPropertyOptional({
    description: 'ext: the RI as PDF, base64, when the request asked for `ri` (PROTOCOL §9)',
  })
  riPdfBase64?: string;
}

export class IssueAcecfResponse extends IssueResponseBase {}

const STATUS_OF: Readonly<Record<DgiiRuling, number>> = {
  accepted: 200,
  'not-sent': 200,
  'in-process': 202,
  rejected: 400,
};

/**
 * The body in the guide's field order (§3.2, §10), then ours, so responses read like the
 * documentation; with its HTTP status per DESIGN §3: accepted (or a dry run) 200, still in
 * process 202, business rejection 400.
 */
function responseOf<T extends IssueResult & { ecfNumber?: string }>(result: T): Omit<T, 'ruling'> {
  const { ruling, ecfNumber, trackId, dgiiEstado, signedXml, submittedAt, success, statusMessage, ...ext } =
    result;
  return withHttpStatus(
    {
      ...(ecfNumber !== undefined ? { ecfNumber } : {}),
      trackId,
      dgiiEstado,
      signedXml,
      submittedAt,
      success,
      statusMessage,
      ...ext,
    },
    STATUS_OF[ruling],
  ) as Omit<T, 'ruling'>;
}

export function issueEcfResponseOf(result: EcfIssueResult): IssueEcfResponse {
  return responseOf(result);
}

export function issueAcecfResponseOf(result: IssueResult): IssueAcecfResponse {
  return responseOf(result);
}

/** `POST /api/v1/ecf/deliver` (issue 11 §4). */
export class DeliverEcfResponse {
  @ApiProperty({ example: 'E310000000005' }) ecfNumber!: string;

  @ApiProperty({ type: ReceptorResultDto }) receptor!: ReceptorResultDto;
}
