/** DGII URL segment of each environment (PROTOCOL §1.1, §9.1). */
export type QrEnvironment = 'testecf' | 'certecf' | 'ecf';

export interface EcfQrParams {
  environment: QrEnvironment;
  rncEmisor: string;
  /** Omitted from the URL when the buyer has no RNC (type 43, 47, foreign buyers; PROTOCOL §9.1). */
  rncComprador?: string;
  encf: string;
  /** FechaEmision as written in the document, `dd-MM-yyyy`. */
  fechaEmision: string;
  /** MontoTotal as written in the document, e.g. `118.00`. */
  montoTotal: string;
  /** The document's FechaHoraFirma, `dd-MM-yyyy HH:mm:ss`. */
  fechaFirma: string;
  /** Código de seguridad: first 6 chars of SignatureValue (PROTOCOL §3.4). */
  codigoSeguridad: string;
}

export interface RfceQrParams {
  environment: QrEnvironment;
  rncEmisor: string;
  encf: string;
  montoTotal: string;
  codigoSeguridad: string;
}

function query(params: readonly [name: string, value: string | undefined][]): string {
  // encodeURIComponent covers what DGII lists as reserved for a base64 prefix (+ / =) and the
  // space and colons of FechaFirma (PROTOCOL §9.1).
  return params
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

/** The timbre URL printed as QR on a standard e-CF's printed representation (PROTOCOL §9.1). */
export function ecfQrUrl(p: EcfQrParams): string {
  // Parameter order as DGII lists it.
  return `https://ecf.dgii.gov.do/${p.environment}/ConsultaTimbre?${query([
    ['RncEmisor', p.rncEmisor],
    ['RncComprador', p.rncComprador],
    ['ENCF', p.encf],
    ['FechaEmision', p.fechaEmision],
    ['MontoTotal', p.montoTotal],
    ['FechaFirma', p.fechaFirma],
    ['CodigoSeguridad', p.codigoSeguridad],
  ])}`;
}

/** The timbre URL of a consumo invoice under DOP 250,000 summarised as RFCE (PROTOCOL §9.1). */
export function rfceQrUrl(p: RfceQrParams): string {
  return `https://fc.dgii.gov.do/${p.environment}/ConsultaTimbreFC?${query([
    ['RncEmisor', p.rncEmisor],
    ['ENCF', p.encf],
    ['MontoTotal', p.montoTotal],
    ['CodigoSeguridad', p.codigoSeguridad],
  ])}`;
}
