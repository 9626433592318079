import { DOMParser, Element, Node } from '@xmldom/xmldom';

/** The e-CF type names the RI prints in words (PROTOCOL §4.1, §9.2). */
export const ECF_TYPE_NAMES: Readonly<Record<string, string>> = {
  '31': 'Factura de Crédito Fiscal Electrónica',
  '32': 'Factura de Consumo Electrónica',
  '33': 'Nota de Débito Electrónica',
  '34': 'Nota de Crédito Electrónica',
  '41': 'Comprobante Electrónico de Compras',
  '43': 'Comprobante Electrónico para Gastos Menores',
  '44': 'Comprobante Electrónico para Regímenes Especiales',
  '45': 'Comprobante Electrónico Gubernamental',
  '46': 'Comprobante Electrónico para Exportaciones',
  '47': 'Comprobante Electrónico para Pagos al Exterior',
};

export interface RiItem {
  numeroLinea: string;
  /** IndicadorFacturacion: 1/2/3 ITBIS 18/16/0 %, 4 exento (printed with an "E", PROTOCOL §9.2). */
  indicadorFacturacion: string;
  nombre: string;
  descripcion?: string;
  cantidad: string;
  unidadMedida?: string;
  gradosAlcohol?: string;
  precioUnitarioReferencia?: string;
  precio: string;
  descuento?: string;
  recargo?: string;
  /** TipoImpuesto codes of the line's additional taxes (ISC, propina…). */
  impuestos: string[];
  monto: string;
  montoOtraMoneda?: string;
  precioOtraMoneda?: string;
}

export interface RiAdjustment {
  tipo: 'D' | 'R';
  descripcion?: string;
  tipoValor?: string;
  valor?: string;
  monto?: string;
  montoOtraMoneda?: string;
}

export interface RiAdditionalTax {
  tipo: string;
  tasa?: string;
  especifico?: string;
  advalorem?: string;
  otros?: string;
}

/** What the printed representation shows, read from the signed e-CF itself (PROTOCOL §9.2). */
export interface RiDocument {
  tipo: string;
  encf: string;
  fechaVencimientoSecuencia?: string;
  indicadorMontoGravado?: string;
  indicadorEnvioDiferido?: string;
  tipoPago?: string;
  fechaLimitePago?: string;
  emisor: {
    rnc: string;
    razonSocial: string;
    nombreComercial?: string;
    sucursal?: string;
    direccion?: string;
    municipio?: string;
    provincia?: string;
    telefonos: string[];
    correo?: string;
    fechaEmision: string;
  };
  comprador?: {
    rnc?: string;
    identificadorExtranjero?: string;
    razonSocial?: string;
    direccion?: string;
    municipio?: string;
    provincia?: string;
  };
  /** Every child of Totales, by element name, as written. */
  totales: Readonly<Record<string, string>>;
  impuestosAdicionales: RiAdditionalTax[];
  otraMoneda?: { tipoMoneda: string; tipoCambio?: string; totales: Readonly<Record<string, string>> };
  items: RiItem[];
  ajustes: RiAdjustment[];
  referencia?: {
    ncfModificado: string;
    fechaNcfModificado?: string;
    codigoModificacion?: string;
    razonModificacion?: string;
    rncOtroContribuyente?: string;
  };
  indicadorNotaCredito?: string;
  fechaHoraFirma: string;
}

export class RiDocumentError extends Error {}

function children(parent: Node | null | undefined, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent?.firstChild ?? null; n; n = n.nextSibling) {
    if (n.nodeType === n.ELEMENT_NODE && (name === undefined || (n as Element).localName === name)) {
      out.push(n as Element);
    }
  }
  return out;
}

function child(parent: Node | null | undefined, name: string): Element | undefined {
  return children(parent, name)[0];
}

function text(parent: Node | null | undefined, name: string): string | undefined {
  const el = child(parent, name);
  const value = el?.textContent ?? undefined;
  return value === undefined || value === '' ? undefined : value;
}

function leafMap(parent: Element | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const el of children(parent)) {
    if (children(el).length === 0 && el.textContent) out[el.localName ?? ''] = el.textContent;
  }
  return out;
}

/**
 * Reads the RI's facts from a signed e-CF (whose signature the caller has verified). Only the
 * document's own elements are read; nothing is recomputed from the integrator's JSON (issue 12 §1).
 */
export function readRiDocument(xml: string): RiDocument {
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new RiDocumentError(`not well-formed XML: ${message}`);
    },
  }).parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'ECF') {
    throw new RiDocumentError(
      `the root element is ${root?.localName ?? 'missing'}, not ECF: only an e-CF has a printed representation`,
    );
  }
  const encabezado = child(root, 'Encabezado');
  const idDoc = child(encabezado, 'IdDoc');
  const emisor = child(encabezado, 'Emisor');
  const tipo = text(idDoc, 'TipoeCF');
  const encf = text(idDoc, 'eNCF');
  const rnc = text(emisor, 'RNCEmisor');
  const fechaEmision = text(emisor, 'FechaEmision');
  const fechaHoraFirma = text(root, 'FechaHoraFirma');
  for (const [name, value] of Object.entries({
    TipoeCF: tipo,
    eNCF: encf,
    RNCEmisor: rnc,
    FechaEmision: fechaEmision,
    FechaHoraFirma: fechaHoraFirma,
  })) {
    if (!value) throw new RiDocumentError(`the e-CF has no ${name}`);
  }
  if (!ECF_TYPE_NAMES[tipo as string]) throw new RiDocumentError(`TipoeCF ${tipo} is not an e-CF type`);

  const comprador = child(encabezado, 'Comprador');
  const totales = child(encabezado, 'Totales');
  const otraMoneda = child(encabezado, 'OtraMoneda');
  const referencia = child(root, 'InformacionReferencia');
  const items = children(child(root, 'DetallesItems'), 'Item').map((item): RiItem => {
    const otra = child(item, 'OtraMonedaDetalle');
    return {
      numeroLinea: text(item, 'NumeroLinea') ?? '',
      indicadorFacturacion: text(item, 'IndicadorFacturacion') ?? '',
      nombre: text(item, 'NombreItem') ?? '',
      descripcion: text(item, 'DescripcionItem'),
      cantidad: text(item, 'CantidadItem') ?? '',
      unidadMedida: text(item, 'UnidadMedida'),
      gradosAlcohol: text(item, 'GradosAlcohol'),
      precioUnitarioReferencia: text(item, 'PrecioUnitarioReferencia'),
      precio: text(item, 'PrecioUnitarioItem') ?? '',
      descuento: text(item, 'DescuentoMonto'),
      recargo: text(item, 'RecargoMonto'),
      impuestos: children(child(item, 'TablaImpuestoAdicional'), 'ImpuestoAdicional')
        .map((t) => text(t, 'TipoImpuesto') ?? '')
        .filter((t) => t !== ''),
      monto: text(item, 'MontoItem') ?? '',
      precioOtraMoneda: text(otra, 'PrecioOtraMoneda'),
      montoOtraMoneda: text(otra, 'MontoItemOtraMoneda'),
    };
  });
  return {
    tipo: tipo as string,
    encf: encf as string,
    fechaVencimientoSecuencia: text(idDoc, 'FechaVencimientoSecuencia'),
    indicadorMontoGravado: text(idDoc, 'IndicadorMontoGravado'),
    indicadorEnvioDiferido: text(idDoc, 'IndicadorEnvioDiferido'),
    tipoPago: text(idDoc, 'TipoPago'),
    fechaLimitePago: text(idDoc, 'FechaLimitePago'),
    indicadorNotaCredito: text(idDoc, 'IndicadorNotaCredito'),
    emisor: {
      rnc: rnc as string,
      razonSocial: text(emisor, 'RazonSocialEmisor') ?? '',
      nombreComercial: text(emisor, 'NombreComercial'),
      sucursal: text(emisor, 'Sucursal'),
      direccion: text(emisor, 'DireccionEmisor'),
      municipio: text(emisor, 'Municipio'),
      provincia: text(emisor, 'Provincia'),
      telefonos: children(child(emisor, 'TablaTelefonoEmisor'), 'TelefonoEmisor').map(
        (t) => t.textContent ?? '',
      ),
      correo: text(emisor, 'CorreoEmisor'),
      fechaEmision: fechaEmision as string,
    },
    comprador:
      comprador && children(comprador).length > 0
        ? {
            rnc: text(comprador, 'RNCComprador'),
            identificadorExtranjero: text(comprador, 'IdentificadorExtranjero'),
            razonSocial: text(comprador, 'RazonSocialComprador'),
            direccion: text(comprador, 'DireccionComprador'),
            municipio: text(comprador, 'MunicipioComprador'),
            provincia: text(comprador, 'ProvinciaComprador'),
          }
        : undefined,
    totales: leafMap(totales),
    impuestosAdicionales: children(child(totales, 'ImpuestosAdicionales'), 'ImpuestoAdicional').map((t) => ({
      tipo: text(t, 'TipoImpuesto') ?? '',
      tasa: text(t, 'TasaImpuestoAdicional'),
      especifico: text(t, 'MontoImpuestoSelectivoConsumoEspecifico'),
      advalorem: text(t, 'MontoImpuestoSelectivoConsumoAdvalorem'),
      otros: text(t, 'OtrosImpuestosAdicionales'),
    })),
    otraMoneda: otraMoneda
      ? {
          tipoMoneda: text(otraMoneda, 'TipoMoneda') ?? '',
          tipoCambio: text(otraMoneda, 'TipoCambio'),
          totales: leafMap(otraMoneda),
        }
      : undefined,
    items,
    ajustes: children(child(root, 'DescuentosORecargos'), 'DescuentoORecargo').map((d) => ({
      tipo: text(d, 'TipoAjuste') === 'R' ? 'R' : 'D',
      descripcion: text(d, 'DescripcionDescuentooRecargo'),
      tipoValor: text(d, 'TipoValor'),
      valor: text(d, 'ValorDescuentooRecargo'),
      monto: text(d, 'MontoDescuentooRecargo'),
      montoOtraMoneda: text(d, 'MontoDescuentooRecargoOtraMoneda'),
    })),
    referencia: referencia
      ? {
          ncfModificado: text(referencia, 'NCFModificado') ?? '',
          fechaNcfModificado: text(referencia, 'FechaNCFModificado'),
          codigoModificacion: text(referencia, 'CodigoModificacion'),
          razonModificacion: text(referencia, 'RazonModificacion'),
          rncOtroContribuyente: text(referencia, 'RNCOtroContribuyente'),
        }
      : undefined,
    fechaHoraFirma: fechaHoraFirma as string,
  };
}
