import {
  dgiiDateFromIso,
  ErrorDetail,
  ITBIS_RATE_PERCENT,
  ValidationFailedError,
  XmlBuildFailedError,
} from '@app/common';
import { hasElement, isEcfType, type EcfType } from '../catalogue';
import { decimalKey, decimalValue, formatDecimal } from '../builder/decimal-format';
import { RULES_BY_KIND } from '../rules/rules.registry';
import type { DgiiJson, Violation } from '../rules/rule.types';

/**
 * The integration guide's flat request (DESIGN §3) mapped onto the `ecf` object in DGII's JSON
 * shape. Flat fields fill the same elements as `ecf`; a flat field that contradicts its `ecf`
 * element is a VALIDATION_FAILED detail naming both paths. What the flat example leaves out is
 * filled with the documented `DEFAULTS`, never over a value the `ecf` object gives.
 *
 * Errors name the field the integrator sent: every element a flat field filled is remembered
 * (`FlatPaths`), so a builder or rule violation at `ecf.DetallesItems.Item[0].MontoItem` is
 * reported as `lines[0].lineTotal`, with the DGII path beside it as `ecfPath`.
 */

export interface FlatEcfLine {
  description?: string;
  quantity?: number | string;
  unitPrice?: number | string;
  lineTotal?: number | string;
}

export interface FlatEcfRequest {
  rncEmisor?: string;
  tipoeCF?: string | number;
  overrideEncf?: string;
  /** `yyyy-MM-dd`. */
  issueDate?: string;
  razonSocialEmisor?: string;
  direccionEmisor?: string;
  municipio?: string;
  provincia?: string;
  receiverRnc?: string;
  razonSocialComprador?: string;
  subtotal?: number | string;
  taxAmount?: number | string;
  totalAmount?: number | string;
  lines?: FlatEcfLine[];
  /** Anything else, in DGII JSON shape (`{Encabezado: {...}, DetallesItems: {Item: [...]}, ...}`). */
  ecf?: Record<string, unknown>;
}

export interface DefaultDoc {
  /** Dotted path below `ecf`; `Item[]` means every line. */
  readonly path: string;
  readonly value: string;
  readonly appliesTo: string;
  readonly note: string;
}

/** What the builder fills in when neither the flat fields nor `ecf` give it, for a request that uses the flat fields (only where the type's schema has the element); an `ecf`-only request gets none. */
export const DEFAULTS: readonly DefaultDoc[] = [
  { path: 'Encabezado.Version', value: '1.0', appliesTo: 'all', note: 'the only schema version' },
  {
    path: 'Encabezado.IdDoc.TipoIngresos',
    value: '01',
    appliesTo: '31, 32, 33, 34, 44, 45, 46',
    note: 'ingresos por operaciones (no financieros)',
  },
  { path: 'Encabezado.IdDoc.TipoPago', value: '1', appliesTo: 'all', note: 'contado' },
  {
    path: 'Encabezado.IdDoc.FechaVencimientoSecuencia',
    value: '31-12-(year of FechaEmision + 1)',
    appliesTo: 'all but 32, 34',
    note: 'sequences are valid until 31 December of the year after authorisation (PROTOCOL §4.2); send your real date',
  },
  {
    path: 'DetallesItems.Item[].NumeroLinea',
    value: '1, 2, 3…',
    appliesTo: 'all',
    note: 'position in `lines`',
  },
  {
    path: 'DetallesItems.Item[].IndicadorFacturacion',
    value: '1 (ITBIS 18%); 4 in 43/44/47; 3 in 46',
    appliesTo: 'all',
    note: 'PROTOCOL §4.4 fixes 43/44/47 to exento and 46 to ITBIS 0%',
  },
  {
    path: 'DetallesItems.Item[].IndicadorBienoServicio',
    value: '1 (bien); 2 in 47',
    appliesTo: 'all',
    note: '47 pays for services',
  },
  {
    path: 'Encabezado.Totales.*',
    value: 'derived from subtotal / taxAmount / totalAmount',
    appliesTo: 'when those flat fields are given',
    note:
      'one rate for all lines: MontoGravadoTotal = MontoGravadoI{n} = subtotal, ITBIS{n} = rate, TotalITBIS = TotalITBIS{n} = taxAmount ' +
      '(exento lines: MontoExento = subtotal); mixed rates: bases from the lines, TotalITBIS{n} = base × rate; MontoTotal = totalAmount. ' +
      'The business rules then cross-check them',
  },
];

/** Per-type line defaults live in the type's rules module (PROTOCOL §4.4: 43/44/47 exento, 46 ITBIS 0%, 47 servicio). */
const lineDefaults = (type: EcfType): { indicadorFacturacion: number; indicadorBienoServicio: number } =>
  RULES_BY_KIND[type].lineDefaults ?? { indicadorFacturacion: 1, indicadorBienoServicio: 1 };

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own properties only: a JSON key like `toString` or `__proto__` is data, never Object.prototype. */
/**
 * A copy of a parsed JSON tree (objects, arrays, primitives), so filling defaults never writes into
 * the caller's object. The body reader hands over plain JSON only, for which this is several times
 * cheaper than structuredClone (on the request path of every issue call).
 */
function copyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyJson);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Json = {};
  for (const name of Object.keys(value)) {
    const item = copyJson((value as Json)[name]);
    // An own `__proto__` key (JSON.parse makes one) must stay a key, so the catalogue names it
    // as unknown; plain assignment would set the copy's prototype and drop it silently.
    if (name === '__proto__') {
      Object.defineProperty(copy, name, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[name] = item;
    }
  }
  return copy;
}

const own = (obj: Json, name: string): unknown => (Object.hasOwn(obj, name) ? obj[name] : undefined);

const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';

/** The object at a dotted path, created on the way. */
function objectAt(root: Json, path: readonly string[]): Json {
  let current = root;
  for (const name of path) {
    if (!isObject(own(current, name))) current[name] = {};
    current = current[name] as Json;
  }
  return current;
}

/** The value at a path of own properties, or undefined; never creates anything. */
function valueAt(root: Json, path: readonly string[]): unknown {
  let current: unknown = root;
  for (const name of path) {
    if (!isObject(current)) return undefined;
    current = own(current, name);
  }
  return current;
}

/** Equal as the document would say them: amounts exactly (1000 = "1000.00", 1000 ≠ 1000.001), else as text. */
function same(a: unknown, b: unknown): boolean {
  const ka = decimalKey(a);
  const kb = decimalKey(b);
  if (ka !== undefined && kb !== undefined) return ka === kb;
  return String(a) === String(b);
}

/**
 * Which flat field filled which DGII element (`Encabezado.Totales.MontoTotal` → `totalAmount`),
 * to report a violation under the name the integrator sent (DESIGN §4: `details[].path`).
 */
export class FlatPaths {
  private readonly byEcfPath = new Map<string, string>();

  /** `ecfPath` is the DGII path below `ecf`: `DetallesItems.Item[0].NombreItem`. */
  record(ecfPath: string, flatPath: string): void {
    this.byEcfPath.set(ecfPath, flatPath);
  }

  flatPathOf(ecfPath: string): string | undefined {
    return this.byEcfPath.get(ecfPath);
  }

  /** `ecf.X` details whose element a flat field filled → `{path: flat, ecfPath: X}`; the rest unchanged. */
  translate<T extends ErrorDetail>(details: readonly T[]): T[] {
    return details.map((detail) => {
      const ecfPath = detail.path?.startsWith('ecf.') ? detail.path.slice(4) : undefined;
      const flat = ecfPath === undefined ? undefined : this.byEcfPath.get(ecfPath);
      return flat === undefined ? detail : { ...detail, path: flat, ecfPath };
    });
  }

  /** The same error with translated details; any other error unchanged. */
  translateError(error: unknown): unknown {
    if (this.byEcfPath.size === 0) return error;
    if (error instanceof ValidationFailedError)
      return new ValidationFailedError(error.message, this.translate(error.details));
    if (error instanceof XmlBuildFailedError)
      return new XmlBuildFailedError(error.message, this.translate(error.details));
    return error;
  }
}

class FlatMapper {
  readonly details: (Violation & { ecfPath?: string })[] = [];
  readonly paths = new FlatPaths();

  constructor(readonly ecf: Json) {}

  /** Puts a flat value at an `ecf` path unless `ecf` already says something else there. */
  fill(
    flatPath: string,
    value: unknown,
    ecfPath: string,
    compare: (a: unknown, b: unknown) => boolean = same,
  ): void {
    if (isAbsent(value)) return;
    const names = ecfPath.split('.');
    const parent = objectAt(this.ecf, names.slice(0, -1));
    const name = names[names.length - 1];
    const existing = own(parent, name);
    this.paths.record(ecfPath, flatPath);
    if (isAbsent(existing)) parent[name] = value;
    else if (!compare(existing, value)) this.contradiction(flatPath, value, ecfPath, existing);
  }

  /** `ecfPath` is the DGII path below `ecf`, as in every detail (`Encabezado.Totales.MontoTotal`). */
  contradiction(flatPath: string, value: unknown, ecfPath: string, existing: unknown): void {
    this.details.push({
      path: flatPath,
      message: `${JSON.stringify(value)} contradicts ecf.${ecfPath} (${JSON.stringify(existing)})`,
      rule: 'flat-contradiction',
      ecfPath,
    });
  }

  invalid(path: string, message: string): void {
    this.details.push({ path, message, rule: 'flat-field' });
  }
}

/** The guide's flat fields: a request that gives none of them is in DGII's own shape. */
const FLAT_FIELDS: readonly (keyof FlatEcfRequest)[] = [
  'rncEmisor',
  'tipoeCF',
  'overrideEncf',
  'issueDate',
  'razonSocialEmisor',
  'direccionEmisor',
  'municipio',
  'provincia',
  'receiverRnc',
  'razonSocialComprador',
  'subtotal',
  'taxAmount',
  'totalAmount',
  'lines',
];

function usesFlatFields(request: FlatEcfRequest): boolean {
  return FLAT_FIELDS.some((name) =>
    name === 'lines' ? Array.isArray(request.lines) && request.lines.length > 0 : !isAbsent(request[name]),
  );
}

/** Sets `name` when `ecf` leaves it out; true when it did. */
function defaultValue(obj: Json, name: string, value: unknown): boolean {
  if (!isAbsent(own(obj, name))) return false;
  obj[name] = value;
  return true;
}

const sameDate = (a: unknown, b: unknown): boolean => {
  const key = (v: unknown): string =>
    typeof v === 'string'
      ? v
          .split('-')
          .map((p) => p.padStart(2, '0'))
          .join('-')
      : String(v);
  return key(a) === key(b);
};

function itemsOf(ecf: Json): Json[] {
  const detalles = own(ecf, 'DetallesItems');
  const raw = isObject(detalles) ? own(detalles, 'Item') : undefined;
  if (Array.isArray(raw)) return raw.filter(isObject);
  return isObject(raw) ? [raw] : [];
}

const money = (n: number): number => Number(formatDecimal(n, 2));

function deriveTotales(type: EcfType, request: FlatEcfRequest, ecf: Json, mapper: FlatMapper): void {
  const totales = objectAt(ecf, ['Encabezado', 'Totales']);
  const has = (name: string): boolean => hasElement(type, `Encabezado.Totales.${name}`);
  const set = (flatPath: string, value: unknown, name: string): void => {
    if (!has(name)) {
      if (decimalValue(value) !== 0)
        mapper.invalid(flatPath, `e-CF ${type} has no ${name}; ${flatPath} must be 0 or omitted`);
      return;
    }
    mapper.fill(flatPath, value, `Encabezado.Totales.${name}`);
  };
  /** A total the flat field stands for, filled unless `ecf` gives it. */
  const fromFlat = (flatPath: string, name: string, value: unknown): void => {
    if (defaultValue(totales, name, value)) mapper.paths.record(`Encabezado.Totales.${name}`, flatPath);
  };
  const lines = itemsOf(ecf);
  const sums = new Map<number, number>();
  for (const item of lines) {
    const ind = Number(item.IndicadorFacturacion);
    sums.set(ind, (sums.get(ind) ?? 0) + (decimalValue(item.MontoItem) ?? 0));
  }
  const groups = [...sums.keys()].filter((g) => g >= 1 && g <= 4);
  // One indicator for every line (or no lines yet: the type's default) vs. mixed rates.
  const single =
    groups.length === 1
      ? groups[0]
      : groups.length === 0
        ? lineDefaults(type).indicadorFacturacion
        : undefined;
  const rated = single === undefined ? groups.filter((g) => g <= 3) : single <= 3 ? [single] : [];

  if (!isAbsent(request.subtotal)) {
    if (single === 4) {
      set('subtotal', request.subtotal, 'MontoExento');
    } else if (single !== undefined) {
      set('subtotal', request.subtotal, 'MontoGravadoTotal');
      if (has(`MontoGravadoI${single}`)) fromFlat('subtotal', `MontoGravadoI${single}`, request.subtotal);
    } else {
      const exento = sums.get(4) ?? 0;
      set('subtotal', money((decimalValue(request.subtotal) ?? 0) - exento), 'MontoGravadoTotal');
      if (exento && has('MontoExento')) defaultValue(totales, 'MontoExento', money(exento));
      for (const g of rated)
        if (has(`MontoGravadoI${g}`)) defaultValue(totales, `MontoGravadoI${g}`, money(sums.get(g) ?? 0));
    }
  }
  for (const g of rated) if (has(`ITBIS${g}`)) defaultValue(totales, `ITBIS${g}`, ITBIS_RATE_PERCENT[g]);
  if (!isAbsent(request.taxAmount)) {
    set('taxAmount', request.taxAmount, 'TotalITBIS');
    if (single !== undefined && rated.length === 1 && has(`TotalITBIS${single}`)) {
      fromFlat('taxAmount', `TotalITBIS${single}`, request.taxAmount);
    } else {
      for (const g of rated) {
        if (has(`TotalITBIS${g}`))
          defaultValue(totales, `TotalITBIS${g}`, money(((sums.get(g) ?? 0) * ITBIS_RATE_PERCENT[g]) / 100));
      }
    }
  }
  set('totalAmount', request.totalAmount, 'MontoTotal');
}

/**
 * Flat request (+ optional `ecf`) → e-CF type and document in DGII JSON shape, with the flat
 * field behind each element it filled (`paths.translateError` renames the builder's violations).
 *
 * @throws ValidationFailedError listing every contradiction and malformed flat field.
 */
export function ecfFromFlatRequest(request: FlatEcfRequest): {
  type: EcfType;
  ecf: DgiiJson;
  paths: FlatPaths;
} {
  // Flat fields are merged into a copy, so the request itself is never written into. A request in
  // DGII's own shape alone is only read from here on (builder, rules, signer), so it is not copied:
  // that copy of every element was duplicate work on each issue call (issue 7 §5).
  const flat = usesFlatFields(request);
  const ecf: Json = isObject(request.ecf) ? (flat ? (copyJson(request.ecf) as Json) : request.ecf) : {};
  const mapper = new FlatMapper(ecf);

  mapper.fill(
    'tipoeCF',
    isAbsent(request.tipoeCF) ? undefined : Number(request.tipoeCF),
    'Encabezado.IdDoc.TipoeCF',
  );
  const tipo = String(valueAt(ecf, ['Encabezado', 'IdDoc', 'TipoeCF']) ?? '');
  if (!isEcfType(tipo)) {
    mapper.invalid(
      isAbsent(request.tipoeCF) ? 'ecf.Encabezado.IdDoc.TipoeCF' : 'tipoeCF',
      'must be one of 31, 32, 33, 34, 41, 43, 44, 45, 46, 47',
    );
    throw new ValidationFailedError('the e-CF request is not valid', mapper.details);
  }
  const type: EcfType = tipo;

  let fechaEmision: string | undefined;
  if (!isAbsent(request.issueDate)) {
    fechaEmision = dgiiDateFromIso(String(request.issueDate));
    if (fechaEmision === undefined) mapper.invalid('issueDate', 'must be a date yyyy-MM-dd');
  }
  mapper.fill('rncEmisor', request.rncEmisor, 'Encabezado.Emisor.RNCEmisor');
  mapper.fill('overrideEncf', request.overrideEncf, 'Encabezado.IdDoc.eNCF');
  mapper.fill('issueDate', fechaEmision, 'Encabezado.Emisor.FechaEmision', sameDate);
  mapper.fill('razonSocialEmisor', request.razonSocialEmisor, 'Encabezado.Emisor.RazonSocialEmisor');
  mapper.fill('direccionEmisor', request.direccionEmisor, 'Encabezado.Emisor.DireccionEmisor');
  mapper.fill('municipio', request.municipio, 'Encabezado.Emisor.Municipio');
  mapper.fill('provincia', request.provincia, 'Encabezado.Emisor.Provincia');
  mapper.fill('receiverRnc', request.receiverRnc, 'Encabezado.Comprador.RNCComprador');
  mapper.fill(
    'razonSocialComprador',
    request.razonSocialComprador,
    'Encabezado.Comprador.RazonSocialComprador',
  );

  const flatLines = Array.isArray(request.lines) ? request.lines : [];
  if (flatLines.length) {
    const existing = itemsOf(ecf);
    if (existing.length && existing.length !== flatLines.length) {
      mapper.contradiction(
        'lines',
        `${flatLines.length} lines`,
        'DetallesItems.Item',
        `${existing.length} items`,
      );
    } else {
      const list = flatLines.map((_, i) => existing[i] ?? {});
      objectAt(ecf, ['DetallesItems']).Item = list;
      flatLines.forEach((line, i) => {
        const fill = (field: keyof FlatEcfLine, name: string): void => {
          const value = line[field];
          if (isAbsent(value)) return;
          const flatPath = `lines[${i}].${field}`;
          const ecfPath = `DetallesItems.Item[${i}].${name}`;
          mapper.paths.record(ecfPath, flatPath);
          const existingValue = own(list[i], name);
          if (isAbsent(existingValue)) list[i][name] = value;
          else if (!same(existingValue, value)) mapper.contradiction(flatPath, value, ecfPath, existingValue);
        };
        fill('description', 'NombreItem');
        fill('quantity', 'CantidadItem');
        fill('unitPrice', 'PrecioUnitarioItem');
        fill('lineTotal', 'MontoItem');
      });
    }
  }

  // Defaults (DEFAULTS above), only where this type's schema has the element, and only for a
  // request in the guide's flat shape: a document in DGII's own shape (`ecf` alone) is taken
  // literally, so nothing is added that the integrator did not send (DGII's certification sets
  // have type 43 and 47 cases without TipoPago, PROTOCOL §10); what it lacks is an error naming it.
  if (flat) {
    const encabezado = objectAt(ecf, ['Encabezado']);
    const idDoc = objectAt(ecf, ['Encabezado', 'IdDoc']);
    defaultValue(encabezado, 'Version', '1.0');
    if (hasElement(type, 'Encabezado.IdDoc.TipoIngresos')) defaultValue(idDoc, 'TipoIngresos', '01');
    if (hasElement(type, 'Encabezado.IdDoc.TipoPago')) defaultValue(idDoc, 'TipoPago', 1);
    const issued = objectAt(ecf, ['Encabezado', 'Emisor']).FechaEmision;
    const year = typeof issued === 'string' ? /-(\d{4})$/.exec(issued)?.[1] : undefined;
    if (year && hasElement(type, 'Encabezado.IdDoc.FechaVencimientoSecuencia')) {
      defaultValue(idDoc, 'FechaVencimientoSecuencia', `31-12-${Number(year) + 1}`);
    }
  }
  // Line defaults only for the lines the flat `lines` gave.
  if (flatLines.length) {
    itemsOf(ecf).forEach((item, i) => {
      defaultValue(item, 'NumeroLinea', i + 1);
      defaultValue(item, 'IndicadorFacturacion', lineDefaults(type).indicadorFacturacion);
      defaultValue(item, 'IndicadorBienoServicio', lineDefaults(type).indicadorBienoServicio);
    });
  }
  if (!isAbsent(request.subtotal) || !isAbsent(request.taxAmount) || !isAbsent(request.totalAmount)) {
    deriveTotales(type, request, ecf, mapper);
  }
  if (mapper.details.length) throw new ValidationFailedError('the e-CF request is not valid', mapper.details);
  return { type, ecf, paths: mapper.paths };
}
