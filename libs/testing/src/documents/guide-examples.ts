import type { AcecfRequest, FlatEcfRequest } from '@app/xml-builder';

/** The integration guide's e-CF example (§10), as an integrator sends it. */
export const guideEcfExample = (): FlatEcfRequest => ({
  rncEmisor: '40209547971',
  tipoeCF: '31',
  overrideEncf: 'E310000000005',
  issueDate: '2026-04-24',
  razonSocialEmisor: 'MI EMPRESA SRL',
  direccionEmisor: 'Av. 27 de Febrero 100',
  municipio: '010100',
  provincia: '010000',
  receiverRnc: '131793916',
  razonSocialComprador: 'CLIENTE SRL',
  subtotal: 1000.0,
  taxAmount: 180.0,
  totalAmount: 1180.0,
  lines: [{ description: 'Servicio de consultoría', quantity: 1, unitPrice: 1000.0, lineTotal: 1000.0 }],
});

/** The integration guide's commercial approval (§3.2). */
export const guideAcecfExample = (): AcecfRequest => ({
  rncEmisor: '131793916',
  rncComprador: '40209547971',
  eNCF: 'E310000000005',
  fechaEmisionOriginal: '2026-04-23',
  montoTotalOriginal: 1180.0,
  estado: 1,
});
