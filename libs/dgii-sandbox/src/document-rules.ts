import { DocumentFacts } from '@app/dgii-protocol';

/** One thing the sandbox found wrong, worded like DGII where DGII's words are known. */
export interface RuleFinding {
  codigo: number;
  valor: string;
  /** A rejection, or a remark that leaves the document "Aceptado Condicional" (IT §12). */
  effect: 'reject' | 'conditional';
  /** PROTOCOL §1.5: structural refusals leave the e-NCF unused; business-rule ones burn it. */
  burnsSequence: boolean;
}

/**
 * PROTOCOL §5: consumo (type 32) below this goes as RFCE to recepcionfc.
 *
 * Kept here on purpose, independent of the issuing side's copy (issue 8 item 4, STYLE §26): the
 * sandbox is an oracle for our own routing, so it must not import the threshold or these rules
 * from the code it judges; a wrong shared value would otherwise pass both sides unnoticed.
 */
export const RFCE_THRESHOLD = 250_000;

/** Types that take no aprobación comercial (PROTOCOL §6). */
const NO_COMMERCIAL_APPROVAL = new Set(['32', '41', '43', '46', '47']);

const ENCF = /^E\d{12}$/;

function reject(codigo: number, valor: string, burnsSequence: boolean): RuleFinding {
  return { codigo, valor, effect: 'reject', burnsSequence };
}

/**
 * The business rules the sandbox checks on an e-CF or RFCE (a small subset of DGII's): the
 * e-NCF matches TipoeCF (PROTOCOL §4.2), the routing of type 32 by amount (PROTOCOL §5), and
 * MontoTotal against its parts within the tolerance of IT §12 (beyond it: Aceptado Condicional).
 */
export function ecfFindings(facts: DocumentFacts, route: 'recepcion' | 'recepcionfc'): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const expectedRoot = route === 'recepcion' ? 'ECF' : 'RFCE';
  if (facts.root !== expectedRoot) {
    return [reject(0, `El tipo de documento ${facts.root} no es válido para este servicio.`, false)];
  }
  if (!facts.encf || !ENCF.test(facts.encf)) {
    return [reject(0, `El campo eNCF de la sección IdDoc no es válido.`, false)];
  }
  if (facts.tipoeCF !== facts.encf.slice(1, 3)) {
    findings.push(
      reject(0, `El eNCF ${facts.encf} no corresponde al TipoeCF ${facts.tipoeCF ?? ''}.`, false),
    );
  }
  const monto = facts.montoTotal;
  if (route === 'recepcion' && facts.tipoeCF === '32' && monto !== undefined && monto < RFCE_THRESHOLD) {
    findings.push(
      reject(
        0,
        'Las Facturas de Consumo Electrónicas con MontoTotal menor a 250,000.00 deben enviarse como RFCE al servicio de recepción FC.',
        false,
      ),
    );
  }
  if (route === 'recepcionfc' && (facts.tipoeCF !== '32' || monto === undefined || monto >= RFCE_THRESHOLD)) {
    findings.push(
      reject(
        0,
        'El RFCE solo aplica a Facturas de Consumo Electrónicas (32) con MontoTotal menor a 250,000.00.',
        false,
      ),
    );
  }
  if (monto === undefined) {
    findings.push(reject(0, 'El campo MontoTotal de la sección Totales no es válido.', true));
  } else {
    const tolerance = Math.max(1, facts.itemCount);
    if (Math.abs(monto - facts.montoComponentes) > tolerance + 1e-9) {
      findings.push({
        codigo: 0,
        valor:
          'El campo MontoTotal no coincide con la suma de MontoGravadoTotal, MontoExento, TotalITBIS y MontoImpuestoAdicional.',
        effect: 'conditional',
        burnsSequence: true,
      });
    }
  }
  return findings;
}

/** Rules on an ACECF before it is matched against the approved e-CF (PROTOCOL §6, §1.4 #9). */
export function acecfFindings(facts: DocumentFacts): RuleFinding[] {
  if (facts.root !== 'ACECF') {
    return [reject(0, `El tipo de documento ${facts.root} no es válido para este servicio.`, false)];
  }
  if (!facts.encf || !ENCF.test(facts.encf)) return [reject(0, 'El campo eNCF no es válido.', false)];
  if (NO_COMMERCIAL_APPROVAL.has(facts.encf.slice(1, 3))) {
    return [reject(0, 'Aprobación Comercial no es requerida para este tipo de e-CF', false)];
  }
  if (facts.estado !== '1' && facts.estado !== '2')
    return [reject(0, 'El campo Estado no es válido.', false)];
  return [];
}
