import { DOCUMENTS, type EcfType, type ElementDef, type ParticleDef } from '@app/xml-builder';

/**
 * Realistic, valid e-CF documents in DGII JSON shape for every type, computed so that every
 * business rule holds (amounts in integer cents, taxes rounded half-up). Shared by unit and e2e
 * tests: `makeEcf('31')`, `makeEcf('32', { scenario: 'anonymous' })`, `makeEcf('31', { lines: 1000 })`.
 */

export type EcfScenario =
  | 'basic'
  | 'rich-text'
  | 'many-lines'
  | 'mixed-rates'
  | 'foreign-currency'
  | 'discounts-surcharges'
  | 'additional-taxes'
  | 'isr-withholding'
  | 'anonymous'
  | 'large-consumo'
  | 'credit-note'
  | 'debit-note';

/** Scenarios each type supports (every type has at least basic, rich-text and many-lines). */
export const ECF_SCENARIOS: Readonly<Record<EcfType, readonly EcfScenario[]>> = {
  '31': [
    'basic',
    'rich-text',
    'many-lines',
    'mixed-rates',
    'foreign-currency',
    'discounts-surcharges',
    'additional-taxes',
  ],
  '32': [
    'basic',
    'rich-text',
    'many-lines',
    'anonymous',
    'large-consumo',
    'mixed-rates',
    'discounts-surcharges',
    'additional-taxes',
  ],
  '33': ['basic', 'rich-text', 'many-lines', 'debit-note', 'foreign-currency'],
  '34': ['basic', 'rich-text', 'many-lines', 'credit-note', 'discounts-surcharges'],
  '41': ['basic', 'rich-text', 'many-lines', 'isr-withholding', 'foreign-currency'],
  '43': ['basic', 'rich-text', 'many-lines', 'foreign-currency'],
  '44': ['basic', 'rich-text', 'many-lines', 'additional-taxes', 'discounts-surcharges'],
  '45': ['basic', 'rich-text', 'many-lines', 'mixed-rates', 'additional-taxes'],
  '46': ['basic', 'rich-text', 'many-lines', 'foreign-currency', 'discounts-surcharges'],
  '47': ['basic', 'rich-text', 'many-lines', 'isr-withholding', 'foreign-currency'],
};

export type FixtureJson = Record<string, unknown>;

export interface EcfFixtureOverrides {
  readonly scenario?: EcfScenario;
  /** Number of item lines (default 3; `many-lines` means 1,000). */
  readonly lines?: number;
  /** Sequence number of the e-NCF (default 1). */
  readonly sequence?: number;
  /** Deep-merged into the result last; a key set to `undefined` is removed. */
  readonly patch?: FixtureJson;
}

export const FIXTURE_ISSUE_DATE = '01-04-2026';
export const FIXTURE_SIGNED_AT = '01-04-2026 10:15:00';
export const FIXTURE_RNC_EMISOR = '131793916';

const RICH = {
  emisor: 'Ñoño & Hijos <Importadora> "La Económica" \'S.R.L.\'',
  comprador: 'Cliente € & <Compañía> "Ñandú" \'Peña\' 😀',
  item: 'Café "Premium" & <Ñame> 1/2 kg € 😀',
  description: "Línea 1: acentos áéíóú, ñ, € y emoji 🚀\r\nLínea 2 con > y < y & y 'comillas'",
};

/** Default IndicadorFacturacion per type (PROTOCOL §4.4: 43/44/47 exento, 46 ITBIS 0%). */
const DEFAULT_INDICATOR: Readonly<Record<EcfType, number>> = {
  '31': 1,
  '32': 1,
  '33': 1,
  '34': 1,
  '41': 1,
  '43': 4,
  '44': 4,
  '45': 1,
  '46': 3,
  '47': 4,
};

const RATE_PERCENT: Readonly<Record<number, number>> = { 1: 18, 2: 16, 3: 0, 4: 0 };

const cents = (c: number): number => c / 100;
/** Integer-cent percentage, rounded half-up (IT §13). */
const pct = (c: number, percent: number): number => Math.round((c * percent) / 100);

interface Line {
  readonly item: FixtureJson;
  readonly indicator: number;
  readonly montoCents: number;
  readonly isrCents: number;
  readonly itbisRetCents: number;
}

function isObj(v: unknown): v is FixtureJson {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge, everything else replaces; `undefined` deletes. */
export function mergeJson(base: FixtureJson, patch: FixtureJson): FixtureJson {
  const out: FixtureJson = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = isObj(v) && isObj(out[k]) ? mergeJson(out[k] as FixtureJson, v) : v;
  }
  return out;
}

/** Drops what the type's schema does not have, so one rich template serves every type. */
function prune(element: ElementDef, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => prune(element, v));
  if (!element.children || !isObj(value)) return value;
  const children = new Map<string, ElementDef>();
  const visit = (p: ParticleDef): void => {
    if (p.kind === 'element') children.set(p.name, p);
    else if (p.kind === 'choice') p.branches.forEach((b) => b.forEach(visit));
  };
  element.children.forEach(visit);
  const out: FixtureJson = {};
  for (const [k, v] of Object.entries(value)) {
    const child = children.get(k);
    if (child) out[k] = prune(child, v);
  }
  return out;
}

function has(type: EcfType, path: string): boolean {
  let current: ElementDef | undefined = DOCUMENTS[type].root;
  for (const name of path.split('.')) {
    current = current?.children?.find((c): c is ElementDef => c.kind === 'element' && c.name === name);
  }
  return current !== undefined;
}

function makeLine(type: EcfType, n: number, scenario: EcfScenario): Line {
  const mixed = scenario === 'mixed-rates' ? [1, 2, 4][(n - 1) % 3] : undefined;
  const indicator = mixed ?? DEFAULT_INDICATOR[type];
  const qty = (n % 5) + 1;
  // large-consumo: prices × 25 push 30 lines above DOP 250,000 (the buyer must then be identified, §4.1).
  const priceCents = (10000 + (n % 7) * 1250) * (scenario === 'large-consumo' ? 25 : 1);
  let montoCents = qty * priceCents;
  const item: FixtureJson = {
    NumeroLinea: n,
    IndicadorFacturacion: indicator,
    NombreItem: scenario === 'rich-text' && n === 1 ? RICH.item : `Artículo de prueba ${n}`,
    IndicadorBienoServicio: type === '47' ? 2 : n % 2 === 0 ? 2 : 1,
    CantidadItem: qty,
    UnidadMedida: 43,
    PrecioUnitarioItem: cents(priceCents),
  };
  if (scenario === 'rich-text' && n === 1) item.DescripcionItem = RICH.description;
  if (scenario === 'discounts-surcharges') {
    const discount = pct(montoCents, 10);
    const surcharge = 500;
    item.DescuentoMonto = cents(discount);
    item.TablaSubDescuento = {
      SubDescuento: [
        { TipoSubDescuento: '%', SubDescuentoPorcentaje: 10, MontoSubDescuento: cents(discount) },
      ],
    };
    item.RecargoMonto = cents(surcharge);
    item.TablaSubRecargo = { SubRecargo: { TipoSubRecargo: '$', MontoSubRecargo: cents(surcharge) } };
    montoCents += surcharge - discount;
  }
  if (scenario === 'additional-taxes')
    item.TablaImpuestoAdicional = { ImpuestoAdicional: [{ TipoImpuesto: '001' }] };
  let isrCents = 0;
  let itbisRetCents = 0;
  if (type === '41' || type === '47') {
    // 41: the buyer withholds the seller's ITBIS and ISR; 47: ISR of a non-resident (PROTOCOL §4.4, §4.5).
    isrCents = type === '47' || scenario === 'isr-withholding' ? pct(montoCents, type === '47' ? 27 : 10) : 0;
    itbisRetCents = type === '41' ? pct(montoCents, RATE_PERCENT[indicator]) : 0;
    item.Retencion = {
      IndicadorAgenteRetencionoPercepcion: 1,
      MontoITBISRetenido: type === '41' ? cents(itbisRetCents) : undefined,
      MontoISRRetenido: isrCents ? cents(isrCents) : undefined,
    };
  }
  item.MontoItem = cents(montoCents);
  return { item, indicator, montoCents, isrCents, itbisRetCents };
}

const RATE_USD = 58.5;
const usd = (c: number): number => Math.round(c / RATE_USD) / 100;

/** A valid e-CF of `type` in DGII JSON shape (without FechaHoraFirma: pass `FIXTURE_SIGNED_AT` to the builder). */
export function makeEcf(type: EcfType, overrides: EcfFixtureOverrides = {}): FixtureJson {
  const scenario = overrides.scenario ?? 'basic';
  if (!ECF_SCENARIOS[type].includes(scenario))
    throw new Error(`scenario ${scenario} is not defined for e-CF ${type}`);
  const count = overrides.lines ?? (scenario === 'many-lines' ? 1000 : scenario === 'large-consumo' ? 30 : 3);
  const lines = Array.from({ length: count }, (_, i) => makeLine(type, i + 1, scenario));
  const base = new Map<number, number>();
  for (const l of lines) base.set(l.indicator, (base.get(l.indicator) ?? 0) + l.montoCents);
  const globalAdjustments: FixtureJson[] = [];
  if (scenario === 'discounts-surcharges' && has(type, 'DescuentosORecargos')) {
    const ind = lines[0].indicator;
    globalAdjustments.push(
      {
        NumeroLinea: 1,
        TipoAjuste: 'D',
        DescripcionDescuentooRecargo: 'Descuento por pronto pago',
        TipoValor: '$',
        ValorDescuentooRecargo: 50,
        MontoDescuentooRecargo: 50,
        IndicadorFacturacionDescuentooRecargo: ind,
      },
      {
        NumeroLinea: 2,
        TipoAjuste: 'R',
        DescripcionDescuentooRecargo: 'Cargo por entrega',
        TipoValor: '%',
        ValorDescuentooRecargo: 2,
        MontoDescuentooRecargo: cents(pct(base.get(ind) ?? 0, 2)),
        IndicadorFacturacionDescuentooRecargo: ind,
      },
    );
    base.set(ind, (base.get(ind) ?? 0) - 5000 + pct(base.get(ind) ?? 0, 2));
  }

  const g = (n: number): number => base.get(n) ?? 0;
  const itbis = { 1: pct(g(1), 18), 2: pct(g(2), 16), 3: 0 };
  const gravado = g(1) + g(2) + g(3);
  const totalItbis = itbis[1] + itbis[2] + itbis[3];
  const adicionalCents = scenario === 'additional-taxes' ? pct(gravado + g(4), 10) : 0;
  const totalCents = gravado + g(4) + totalItbis + adicionalCents;
  const isr = lines.reduce((s, l) => s + l.isrCents, 0);
  const itbisRet = lines.reduce((s, l) => s + l.itbisRetCents, 0);
  const present = (n: number): boolean => lines.some((l) => l.indicator === n);

  const totales: FixtureJson = {
    MontoGravadoTotal: gravado > 0 || present(1) || present(2) || present(3) ? cents(gravado) : undefined,
    MontoGravadoI1: present(1) ? cents(g(1)) : undefined,
    MontoGravadoI2: present(2) ? cents(g(2)) : undefined,
    MontoGravadoI3: present(3) ? cents(g(3)) : undefined,
    MontoExento: present(4) ? cents(g(4)) : undefined,
    ITBIS1: present(1) ? 18 : undefined,
    ITBIS2: present(2) ? 16 : undefined,
    ITBIS3: present(3) ? 0 : undefined,
    TotalITBIS: present(1) || present(2) || present(3) ? cents(totalItbis) : undefined,
    TotalITBIS1: present(1) ? cents(itbis[1]) : undefined,
    TotalITBIS2: present(2) ? cents(itbis[2]) : undefined,
    TotalITBIS3: present(3) ? 0 : undefined,
    MontoImpuestoAdicional: adicionalCents ? cents(adicionalCents) : undefined,
    ImpuestosAdicionales: adicionalCents
      ? {
          ImpuestoAdicional: [
            {
              TipoImpuesto: '001',
              TasaImpuestoAdicional: 10,
              OtrosImpuestosAdicionales: cents(adicionalCents),
            },
          ],
        }
      : undefined,
    MontoTotal: cents(totalCents),
    TotalITBISRetenido: itbisRet ? cents(itbisRet) : undefined,
    TotalISRRetencion: isr ? cents(isr) : undefined,
  };

  const foreign = scenario === 'foreign-currency';
  if (foreign) {
    lines.forEach((l) => {
      l.item.OtraMonedaDetalle = {
        PrecioOtraMoneda: usd(Number(l.item.PrecioUnitarioItem) * 100),
        MontoItemOtraMoneda: usd(l.montoCents),
      };
    });
  }
  const otraMoneda: FixtureJson | undefined = foreign
    ? {
        TipoMoneda: 'USD',
        TipoCambio: RATE_USD,
        MontoGravadoTotalOtraMoneda: gravado ? usd(gravado) : undefined,
        MontoGravado1OtraMoneda: present(1) ? usd(g(1)) : undefined,
        MontoGravado3OtraMoneda: present(3) ? usd(g(3)) : undefined,
        MontoExentoOtraMoneda: present(4) ? usd(g(4)) : undefined,
        TotalITBISOtraMoneda: present(1) || present(3) ? usd(totalItbis) : undefined,
        TotalITBIS1OtraMoneda: present(1) ? usd(itbis[1]) : undefined,
        TotalITBIS3OtraMoneda: present(3) ? 0 : undefined,
        MontoTotalOtraMoneda: usd(totalCents),
      }
    : undefined;

  const sequence = String(overrides.sequence ?? 1).padStart(10, '0');
  const referencia =
    type === '33' || type === '34'
      ? {
          NCFModificado: scenario === 'credit-note' ? 'E310000000007' : 'E310000000001',
          FechaNCFModificado: scenario === 'credit-note' ? '10-01-2026' : '15-03-2026',
          // credit-note: cancels an invoice older than 30 days (IndicadorNotaCredito 1, §4.4)
          CodigoModificacion: scenario === 'credit-note' ? 1 : 3,
          RazonModificacion:
            type === '34' ? 'Devolución parcial de mercancía' : 'Cargos por flete no facturados',
        }
      : undefined;
  const foreignBuyer = type === '46' || type === '47';
  const comprador: FixtureJson | undefined =
    type === '43'
      ? undefined
      : scenario === 'anonymous'
        ? {}
        : {
            RNCComprador: foreignBuyer ? undefined : type === '41' ? '00112345678' : '130000001',
            IdentificadorExtranjero: foreignBuyer ? 'P-998877' : undefined,
            RazonSocialComprador:
              scenario === 'rich-text'
                ? RICH.comprador
                : type === '41'
                  ? 'Juan Pérez (suplidor informal)'
                  : 'Cliente Ejemplo SRL',
            CorreoComprador: foreignBuyer ? undefined : 'compras@cliente.com.do',
            DireccionComprador: foreignBuyer ? undefined : 'Calle El Conde 5, Zona Colonial',
            PaisComprador: type === '46' ? 'Estados Unidos' : undefined,
          };

  const doc: FixtureJson = {
    Encabezado: {
      Version: '1.0',
      IdDoc: {
        TipoeCF: Number(type),
        eNCF: `E${type}${sequence}`,
        FechaVencimientoSecuencia: '31-12-2027',
        IndicadorNotaCredito: type === '34' ? (scenario === 'credit-note' ? 1 : 0) : undefined,
        TipoIngresos: '01',
        // debit-note: sold on credit with a payment deadline (FechaLimitePago ≥ FechaEmision, §4.4)
        TipoPago: scenario === 'debit-note' ? 2 : 1,
        FechaLimitePago: scenario === 'debit-note' ? '30-04-2026' : undefined,
        TablaFormasPago:
          type === '34'
            ? undefined
            : {
                FormaDePago: [{ FormaPago: scenario === 'debit-note' ? 4 : 1, MontoPago: cents(totalCents) }],
              },
      },
      Emisor: {
        RNCEmisor: FIXTURE_RNC_EMISOR,
        RazonSocialEmisor: scenario === 'rich-text' ? RICH.emisor : 'Comercial Fiscalía SRL',
        NombreComercial: 'Fiscalía Comercial',
        DireccionEmisor: 'Av. 27 de Febrero 100, Ensanche Piantini',
        Municipio: '010100',
        Provincia: '010000',
        TablaTelefonoEmisor: { TelefonoEmisor: ['809-555-0100', '809-555-0101'] },
        CorreoEmisor: 'facturacion@fiscalia.com.do',
        FechaEmision: FIXTURE_ISSUE_DATE,
      },
      Comprador: comprador,
      Transporte: type === '47' ? { PaisDestino: 'Estados Unidos' } : undefined,
      Totales: totales,
      OtraMoneda: otraMoneda,
    },
    DetallesItems: { Item: lines.map((l) => l.item) },
    DescuentosORecargos: globalAdjustments.length ? { DescuentoORecargo: globalAdjustments } : undefined,
    InformacionReferencia: referencia,
  };
  const clean = stripUndefined(prune(DOCUMENTS[type].root, doc)) as FixtureJson;
  return overrides.patch ? mergeJson(clean, overrides.patch) : clean;
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefined);
  if (!isObj(value)) return value;
  const out: FixtureJson = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
  return out;
}

/** Every defined fixture: `{ type, scenario, json }` for each type and scenario. */
export function allEcfFixtures(): { type: EcfType; scenario: EcfScenario; json: FixtureJson }[] {
  return (Object.keys(ECF_SCENARIOS) as EcfType[]).flatMap((type) =>
    ECF_SCENARIOS[type].map((scenario) => ({ type, scenario, json: makeEcf(type, { scenario }) })),
  );
}
