import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { withHttpStatus } from '@app/common';
import type { AnecfIssueResult, DgiiRuling } from '@app/issuance';
import { IssueResponseBase } from '../../ecf/dto/issue-ecf.response';

export class IssueAnecfResponse extends IssueResponseBase {
  @ApiProperty({ example: '131880738' }) rncEmisor!: string;
  @ApiProperty({ example: 10, description: 'Encabezado.CantidadeNCFAnulados: e-NCFs cancelled in total' })
  cantidadeNCFAnulados!: number;
  @ApiPropertyOptional({ example: '1', description: "DGII's codigo verbatim (DGII documents no values)" })
  dgiiCodigo?: string;
  @ApiPropertyOptional({ example: 'EMPRESA DEMO SRL', description: "DGII's nombre verbatim" })
  dgiiNombre?: string;
}

const STATUS_OF: Readonly<Record<DgiiRuling, number>> = {
  accepted: 200,
  'not-sent': 200,
  'in-process': 202,
  rejected: 400,
};

/** 200 annulled (or a dry run), 400 refused by DGII with its text (as the other issue routes). */
export function issueAnecfResponseOf(result: AnecfIssueResult): IssueAnecfResponse {
  const { ruling, trackId, dgiiEstado, signedXml, submittedAt, success, statusMessage, ...ext } = result;
  return withHttpStatus(
    { trackId, dgiiEstado, signedXml, submittedAt, success, statusMessage, ...ext },
    STATUS_OF[ruling],
  ) as IssueAnecfResponse;
}

const SIGNED = '<?xml version="1.0" encoding="utf-8"?><ANECF>…<Signature>…</Signature></ANECF>';
const body = (o: Partial<IssueAnecfResponse>): IssueAnecfResponse => ({
  trackId: null,
  dgiiEstado: 'Aceptado',
  signedXml: SIGNED,
  submittedAt: '2026-04-24T17:02:14Z',
  success: true,
  statusMessage: 'Las secuencias fueron anuladas correctamente.',
  mensajes: [{ codigo: '', valor: 'Las secuencias fueron anuladas correctamente.' }],
  securityCode: 'Qm9xY3',
  signedAt: '2026-04-24T13:02:14-04:00',
  rncEmisor: '131880738',
  cantidadeNCFAnulados: 10,
  dgiiCodigo: '1',
  ...o,
});

export const ANECF_OK_EXAMPLES = {
  anulado: { summary: 'DGII cancelled the ranges', value: body({}) },
  dryRun: {
    summary: 'dryRun: built and signed, not sent',
    value: body({
      dgiiEstado: 'No enviado',
      submittedAt: null,
      statusMessage: 'dry run: built, signed and checked; not sent to DGII',
      mensajes: undefined,
      dgiiCodigo: undefined,
    }),
  },
};

export const ANECF_REFUSED_EXAMPLES = {
  rechazado: {
    summary: 'Refused by DGII: success false, DGII text verbatim',
    value: body({
      dgiiEstado: 'Rechazado',
      success: false,
      statusMessage: 'Las secuencias que está intentando anular han sido utilizadas.',
      mensajes: [{ codigo: '', valor: 'Las secuencias que está intentando anular han sido utilizadas.' }],
      dgiiCodigo: '2',
    }),
  },
};
