import { XMLParser } from 'fast-xml-parser';

/** One range of an ANECF block (PROTOCOL §7.2). */
export interface AnnulledRange {
  tipoeCF: string;
  desde: string;
  hasta: string;
}

export interface AnecfFacts {
  rncEmisor: string;
  ranges: AnnulledRange[];
}

type Node = { [name: string]: Node | Node[] | string | undefined };

// processEntities: false — no entity is ever expanded (the reader refused DOCTYPE before).
const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'Anulacion' || name === 'Secuencias',
});

const asArray = (value: Node | Node[] | string | undefined): Node[] =>
  Array.isArray(value) ? value : typeof value === 'object' ? [value] : [];
const textOf = (node: Node | undefined, name: string): string => {
  const value = node?.[name];
  return typeof value === 'string' ? value : '';
};
const E_NCF = /^E\d{12}$/;

/**
 * The sandbox's own reading of an ANECF and DGII's documented refusals for it (PROTOCOL §1.4
 * "Anulación (#10) documented messages", §7.2): the facts, or DGII's words for what is wrong.
 */
export function readAnecf(xml: string): { facts: AnecfFacts; problems: string[] } | { problem: string } {
  if (/<!DOCTYPE/i.test(xml)) return { problem: 'El XML no puede contener DOCTYPE.' };
  let parsed: Node;
  try {
    parsed = parser.parse(xml.replace(/^\uFEFF/, '')) as Node;
  } catch {
    return { problem: 'El XML no está bien formado.' };
  }
  const root = parsed.ANECF;
  if (typeof root !== 'object' || Array.isArray(root)) return { problem: 'El tipo de archivo no es válido.' };
  const encabezado = asArray(root.Encabezado)[0];
  const blocks = asArray(asArray(root.DetalleAnulacion)[0]?.Anulacion);
  const problems: string[] = [];
  const ranges: AnnulledRange[] = [];
  blocks.forEach((block, i) => {
    if (textOf(block, 'NoLinea') !== String(i + 1)) {
      problems.push('El campo NoLinea no es válido, no cumple orden secuencial.');
    }
    const tipo = textOf(block, 'TipoeCF');
    for (const seq of asArray(asArray(block.TablaRangoSecuenciasAnuladaseNCF)[0]?.Secuencias)) {
      const desde = textOf(seq, 'SecuenciaeNCFDesde');
      const hasta = textOf(seq, 'SecuenciaeNCFHasta');
      if (
        !E_NCF.test(desde) ||
        !E_NCF.test(hasta) ||
        desde.slice(1, 3) !== tipo ||
        hasta.slice(1, 3) !== tipo
      ) {
        problems.push('El tipo de comprobante no es válido.');
      } else if (Number(desde.slice(3)) > Number(hasta.slice(3))) {
        problems.push('La secuencia desde no puede ser mayor que la secuencia hasta.');
      } else {
        ranges.push({ tipoeCF: tipo, desde, hasta });
      }
    }
  });
  return { facts: { rncEmisor: textOf(encabezado, 'RncEmisor'), ranges }, problems: [...new Set(problems)] };
}

/** True when `encf` lies in the inclusive range (same type and series, PROTOCOL §7.2). */
export function inRange(range: AnnulledRange, encf: string): boolean {
  if (!E_NCF.test(encf) || encf.slice(0, 3) !== range.desde.slice(0, 3)) return false;
  const n = Number(encf.slice(3));
  return n >= Number(range.desde.slice(3)) && n <= Number(range.hasta.slice(3));
}
