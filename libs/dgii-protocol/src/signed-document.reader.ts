import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The facts of a signed document that DGII's side checks on receipt (PROTOCOL §4–6). */
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
