import type { IssueAcecfResponse, IssueEcfResponse } from './issue-ecf.response';

/**
 * Named examples of the issue routes' bodies, one per DGII state, shaped exactly as the
 * issuance service writes them (libs/issuance issue-result.ts: guide order, then ext fields).
 */
const SIGNED_XML =
  '<?xml version="1.0" encoding="utf-8"?><ECF><Encabezado>…</Encabezado>…<Signature>…</Signature></ECF>';
const TRACK_ID = 'd2b6e27c-3908-46f3-afaa-2207b9501b4b';
const QR_URL =
  'https://ecf.dgii.gov.do/certecf/ConsultaTimbre?RncEmisor=131793916&RncComprador=40209547971&ENCF=E310000000005' +
  '&FechaEmision=24-04-2026&MontoTotal=1180.00&FechaFirma=24-04-2026%2013%3A02%3A14&CodigoSeguridad=AI7Q2d';

const ecfBody = (fields: Partial<IssueEcfResponse>): IssueEcfResponse => ({
  ecfNumber: 'E310000000005',
  trackId: TRACK_ID,
  dgiiEstado: 'Aceptado',
  signedXml: SIGNED_XML,
  submittedAt: '2026-04-24T17:02:14Z',
  success: true,
  statusMessage: 'Aceptado',
  ...fields,
  securityCode: 'AI7Q2d',
  signedAt: '2026-04-24T13:02:14-04:00',
  qrUrl: QR_URL,
});

export const ECF_ACCEPTED_EXAMPLES = {
  aceptado: { summary: 'Aceptado by DGII', value: ecfBody({ secuenciaUtilizada: true }) },
  aceptadoCondicional: {
    summary: 'Aceptado Condicional: valid, with DGII remarks (a real DGII answer, PROTOCOL §1.6)',
    value: ecfBody({
      dgiiEstado: 'Aceptado Condicional',
      statusMessage: 'El campo RNCComprador del área Comprador de la sección Encabezado no es válido.',
      mensajes: [
        {
          codigo: '1385',
          valor: 'El campo RNCComprador del área Comprador de la sección Encabezado no es válido.',
        },
      ],
      secuenciaUtilizada: true,
    }),
  },
  dryRun: {
    summary: 'dryRun: built and signed, never sent',
    value: ecfBody({
      trackId: null,
      dgiiEstado: 'No enviado',
      submittedAt: null,
      statusMessage: 'dry run: built, signed and checked; not sent to DGII',
    }),
  },
};

export const ECF_IN_PROCESS_EXAMPLES = {
  enProceso: {
    summary: 'En Proceso: DGII has the document and has not ruled yet',
    value: ecfBody({
      dgiiEstado: 'En Proceso',
      statusMessage: `En Proceso: DGII has not ruled yet; query GET /api/v1/status/${TRACK_ID}`,
    }),
  },
};

export const ECF_REJECTED_EXAMPLES = {
  rechazado: {
    summary: 'Rechazado by DGII: success false, DGII text verbatim',
    value: ecfBody({
      dgiiEstado: 'Rechazado',
      success: false,
      statusMessage: 'El eNCF E310000000005 ya fue utilizado por el emisor 131793916.',
      mensajes: [
        { codigo: '1209', valor: 'El eNCF E310000000005 ya fue utilizado por el emisor 131793916.' },
      ],
      secuenciaUtilizada: true,
    }),
  },
};

const acecfBody = (fields: Partial<IssueAcecfResponse>): IssueAcecfResponse => ({
  trackId: null,
  dgiiEstado: 'Aceptado',
  signedXml:
    '<?xml version="1.0" encoding="utf-8"?><ACECF><DetalleAprobacionComercial>…</DetalleAprobacionComercial><Signature>…</Signature></ACECF>',
  submittedAt: '2026-04-24T17:02:14Z',
  success: true,
  statusMessage: 'Aceptado',
  ...fields,
  securityCode: 'Vb3kQ9',
  signedAt: '2026-04-24T13:02:14-04:00',
});

export const ACECF_ACCEPTED_EXAMPLES = {
  aceptado: { summary: 'DGII took the approval copy', value: acecfBody({}) },
};

export const ACECF_REJECTED_EXAMPLES = {
  rechazado: {
    summary: 'Rechazado by DGII: success false, DGII text verbatim',
    value: acecfBody({
      dgiiEstado: 'Rechazado',
      success: false,
      statusMessage: 'No se encuentra un e-CF válido para esta aprobación comercial',
      mensajes: [{ codigo: '0', valor: 'No se encuentra un e-CF válido para esta aprobación comercial' }],
    }),
  },
};
