import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The facts of an uploaded document the sandbox checks (PROTOCOL §4–6). */
export interface DocumentFacts {
  root: string;
  tipoeCF?: string;
  encf?: string;
  rncEmisor?: string;
  rncComprador?: string;
  montoTotal?: number;
  /** Sum of MontoGravadoTotal, MontoExento, TotalITBIS and MontoImpuestoAdicional. */
  montoComponentes: number;
  itemCount: number;
  fechaEmision?: string;
  /** ACECF `Estado`: 1 aceptado, 2 rechazado (PROTOCOL §6). */
  estado?: string;
}

/** One thing the sandbox found wrong, worded like DGII where DGII's words are known. */
export interface RuleFinding {
  codigo: number;
  valor: string;
  /** A rejection, or a remark that leaves the document "Aceptado Condicional" (IT §12). */
  effect: 'reject' | 'conditional';
  /** PROTOCOL §1.5: structural refusals leave the e-NCF unused; business-rule ones burn it. */
  burnsSequence: boolean;
}

type Node = { [name: string]: Node | Node[] | string | undefined };

// processEntities: false — no entity is ever expanded; DOCTYPE is refused before parsing.
const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'Item',
});

function child(node: Node | undefined, ...path: string[]): Node | undefined {
  let current: Node | undefined = node;
  for (const name of path) {
    const next: Node | Node[] | string | undefined = current?.[name];
    current = typeof next === 'object' && !Array.isArray(next) ? next : undefined;
  }
  return current;
}

function textOf(node: Node | undefined, name: string): string | undefined {
  const value = node?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function amount(node: Node | undefined, name: string): number | undefined {
  const value = textOf(node, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Reads the document, or says why it cannot be read (not well-formed, DOCTYPE, wrong root). */
export function readDocument(xml: string): { facts: DocumentFacts } | { problem: string } {
  const text = xml.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(text)) return { problem: 'El XML no puede contener DOCTYPE.' };
  const wellFormed = XMLValidator.validate(text);
  if (wellFormed !== true) return { problem: `El XML no está bien formado: ${wellFormed.err.msg}` };
  const parsed = parser.parse(text) as Node;
  const root = Object.keys(parsed).find((k) => !k.startsWith('?'));
  if (!root) return { problem: 'El XML no tiene elemento raíz.' };
  const doc = child(parsed, root);

  if (root === 'ACECF') {
    const detalle = child(doc, 'DetalleAprobacionComercial');
    const encf = textOf(detalle, 'eNCF');
    return {
      facts: {
        root,
        encf,
        tipoeCF: encf?.slice(1, 3),
        rncEmisor: textOf(detalle, 'RNCEmisor'),
        rncComprador: textOf(detalle, 'RNCComprador'),
        montoTotal: amount(detalle, 'MontoTotal'),
        montoComponentes: 0,
        itemCount: 0,
        fechaEmision: textOf(detalle, 'FechaEmision'),
        estado: textOf(detalle, 'Estado'),
      },
    };
  }

  const encabezado = child(doc, 'Encabezado');
  const totales = child(encabezado, 'Totales');
  const items = doc?.DetallesItems;
  const itemList = typeof items === 'object' && !Array.isArray(items) ? items.Item : undefined;
  const componentes = ['MontoGravadoTotal', 'MontoExento', 'TotalITBIS', 'MontoImpuestoAdicional'].reduce(
    (sum, name) => sum + (amount(totales, name) ?? 0),
    0,
  );
  return {
    facts: {
      root,
      tipoeCF: textOf(child(encabezado, 'IdDoc'), 'TipoeCF'),
      encf: textOf(child(encabezado, 'IdDoc'), 'eNCF'),
      rncEmisor: textOf(child(encabezado, 'Emisor'), 'RNCEmisor'),
      rncComprador: textOf(child(encabezado, 'Comprador'), 'RNCComprador'),
      montoTotal: amount(totales, 'MontoTotal'),
      montoComponentes: componentes,
      itemCount: Array.isArray(itemList) ? itemList.length : 0,
      fechaEmision: textOf(child(encabezado, 'Emisor'), 'FechaEmision'),
    },
  };
}

/** PROTOCOL §5: consumo (type 32) below this goes as RFCE to recepcionfc. */
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
