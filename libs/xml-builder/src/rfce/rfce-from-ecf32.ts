import { DOCUMENTS, type ElementDef, type ParticleDef } from '../catalogue';
import type { DgiiJson } from '../rules/rule.types';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function elementsOf(element: ElementDef): ElementDef[] {
  const out: ElementDef[] = [];
  const visit = (p: ParticleDef): void => {
    if (p.kind === 'element') out.push(p);
    else if (p.kind === 'choice') p.branches.forEach((b) => b.forEach(visit));
  };
  element.children?.forEach(visit);
  return out;
}

/** Keeps from `source` exactly what the RFCE schema has at the same place (PROTOCOL §5: "copy only what RFCE has"). */
function project(element: ElementDef, source: unknown): unknown {
  if (Array.isArray(source)) return source.map((s) => project(element, s));
  if (!element.children) return source;
  if (!isObject(source)) return undefined;
  const out: Json = {};
  for (const child of elementsOf(element)) {
    const value = project(child, source[child.name]);
    if (value !== undefined && value !== null && value !== '') out[child.name] = value;
  }
  return out;
}

const RFCE_ROOT = DOCUMENTS.RFCE.root;

/**
 * The RFCE summary of a full e-CF 32 (PROTOCOL §5), in DGII JSON shape for `buildDocument('RFCE', …)`:
 * every element the RFCE schema has is copied from the same place in the e-CF 32 (Version, IdDoc
 * TipoeCF/eNCF/TipoIngresos/TipoPago/TablaFormasPago, Emisor RNC/razón social/FechaEmision,
 * Comprador, Totales without the rates), plus `CodigoSeguridadeCF` — the first 6 characters of the
 * signed e-CF 32's SignatureValue (PROTOCOL §3.4). The anonymous buyer stays `{}`.
 */
export function rfceFromEcf32(ecf32: DgiiJson, codigoSeguridadeCF: string): DgiiJson {
  const rfce = project(RFCE_ROOT, ecf32) as Json;
  const encabezado = isObject(rfce.Encabezado) ? rfce.Encabezado : {};
  const sourceComprador = isObject(ecf32.Encabezado) ? ecf32.Encabezado.Comprador : undefined;
  if (encabezado.Comprador === undefined && sourceComprador === undefined) encabezado.Comprador = {};
  encabezado.CodigoSeguridadeCF = codigoSeguridadeCF;
  return { ...rfce, Encabezado: encabezado };
}
