import { ITBIS_RATE_PERCENT, RFCE_THRESHOLD_DOP } from '@app/common';
import {
  amount,
  roundingTolerance,
  dateKey,
  differs,
  entries,
  get,
  isAbsent,
  items,
  memo,
  money,
  num,
  violation,
  type ItemView,
} from './rule-helpers';
import type { BusinessRule, RuleContext, Violation } from './rule.types';

/** Business rules every e-CF type shares. Each cites the PROTOCOL.md section that states it. */

const TOTALES = 'Encabezado.Totales';

function rule(
  id: string,
  section: string,
  description: string,
  check: (ctx: RuleContext) => Violation[],
): BusinessRule {
  return { id, section, description, check };
}

// PROTOCOL §4.1 and xsd/SOURCES.md: the per-type XSDs accept all ten TipoeCF values, so the type
// must be checked against the schema chosen.
export const tipoeCfMatchesSchema = rule(
  'tipoecf-matches-schema',
  'PROTOCOL §4.1, xsd/SOURCES.md',
  'TipoeCF equals the e-CF type whose schema the document is built with',
  (ctx) => {
    const tipo = get(ctx.doc, 'Encabezado.IdDoc.TipoeCF');
    return isAbsent(tipo) || String(tipo) === ctx.kind
      ? []
      : [
          violation(
            ctx,
            'Encabezado.IdDoc.TipoeCF',
            'tipoecf-matches-schema',
            `must be ${ctx.kind} for an e-CF ${ctx.kind}`,
          ),
        ];
  },
);

// PROTOCOL §4.2: e-NCF = series E + 2-digit type + 10-digit sequence.
export const encfPrefix = rule(
  'encf-prefix',
  'PROTOCOL §4.2',
  'eNCF is "E" + the TipoeCF + a 10-digit sequence (13 characters)',
  (ctx) => {
    const encf = get(ctx.doc, 'Encabezado.IdDoc.eNCF');
    const tipo = get(ctx.doc, 'Encabezado.IdDoc.TipoeCF') ?? ctx.kind;
    if (typeof encf !== 'string' || encf === '') return [];
    return /^E\d{12}$/.test(encf) && encf.slice(1, 3) === String(tipo)
      ? []
      : [
          violation(
            ctx,
            'Encabezado.IdDoc.eNCF',
            'encf-prefix',
            `must be E${String(tipo)} followed by 10 digits`,
          ),
        ];
  },
);

const RNC_PATHS = [
  'Encabezado.Emisor.RNCEmisor',
  'Encabezado.Comprador.RNCComprador',
  'InformacionReferencia.RNCOtroContribuyente',
  // ACECF / ARECF / ANECF spell their own paths
  'DetalleAprobacionComercial.RNCEmisor',
  'DetalleAprobacionComercial.RNCComprador',
  'DetalleAcusedeRecibo.RNCEmisor',
  'DetalleAcusedeRecibo.RNCComprador',
  'Encabezado.RncEmisor',
];

// PROTOCOL §4.2: RNC 9 digits, cédula 11 digits, ASCII digits only (XSD \d admits any Unicode digit).
export const rncFormat = rule(
  'rnc-format',
  'PROTOCOL §4.2',
  'RNC has 9 digits, cédula 11 digits, no dashes',
  (ctx) =>
    RNC_PATHS.flatMap((path) => {
      const value = get(ctx.doc, path);
      if (isAbsent(value)) return [];
      return /^([0-9]{9}|[0-9]{11})$/.test(String(value))
        ? []
        : [
            violation(
              ctx,
              path,
              'rnc-format',
              'must be an RNC (9 digits) or a cédula (11 digits), digits only',
            ),
          ];
    }),
);

// PROTOCOL §4.1 / §4.4: a consumo invoice of DOP 250,000 or more identifies the buyer.
export const compradorAbove250k = rule(
  'comprador-250k',
  'PROTOCOL §4.1, §4.4',
  'e-CF 32 with MontoTotal ≥ 250,000.00: RNCComprador or IdentificadorExtranjero, and RazonSocialComprador',
  (ctx) => {
    if (ctx.kind !== '32' || amount(get(ctx.doc, `${TOTALES}.MontoTotal`)) < RFCE_THRESHOLD_DOP) return [];
    const out: Violation[] = [];
    const c = 'Encabezado.Comprador';
    if (
      isAbsent(get(ctx.doc, `${c}.RNCComprador`)) &&
      isAbsent(get(ctx.doc, `${c}.IdentificadorExtranjero`))
    ) {
      out.push(
        violation(
          ctx,
          `${c}.RNCComprador`,
          'comprador-250k',
          'RNCComprador or IdentificadorExtranjero is required from DOP 250,000',
        ),
      );
    }
    if (isAbsent(get(ctx.doc, `${c}.RazonSocialComprador`))) {
      out.push(violation(ctx, `${c}.RazonSocialComprador`, 'comprador-250k', 'is required from DOP 250,000'));
    }
    return out;
  },
);

// PROTOCOL §4.4 (Comprador): RNCComprador and IdentificadorExtranjero are mutually exclusive.
export const compradorIdExclusive = rule(
  'comprador-id-exclusive',
  'PROTOCOL §4.4',
  'RNCComprador and IdentificadorExtranjero are not given together',
  (ctx) =>
    !isAbsent(get(ctx.doc, 'Encabezado.Comprador.RNCComprador')) &&
    !isAbsent(get(ctx.doc, 'Encabezado.Comprador.IdentificadorExtranjero'))
      ? [
          violation(
            ctx,
            'Encabezado.Comprador.IdentificadorExtranjero',
            'comprador-id-exclusive',
            'cannot be given together with RNCComprador',
          ),
        ]
      : [],
);

// PROTOCOL §4.4 (Items): NumeroLinea runs 1, 2, 3… in document order; the same for global adjustments.
export const numeroLineaSequential = rule(
  'numero-linea-sequential',
  'PROTOCOL §4.4',
  'Item/NumeroLinea and DescuentoORecargo/NumeroLinea run 1, 2, 3… in order',
  (ctx) => {
    const out: Violation[] = [];
    const lists = [
      items(ctx),
      entries(get(ctx.doc, 'DescuentosORecargos'), 'DescuentoORecargo').map((e) => ({
        value: e.value,
        path: `DescuentosORecargos.${e.segment}`,
      })),
    ];
    for (const list of lists) {
      list.forEach((item, i) => {
        const n = item.value.NumeroLinea;
        if (!isAbsent(n) && Number(n) !== i + 1) {
          out.push(violation(ctx, `${item.path}.NumeroLinea`, 'numero-linea-sequential', `must be ${i + 1}`));
        }
      });
    }
    return out;
  },
);

/** Item-level subtotal of a line: price × quantity − discount + surcharge. */
function expectedMontoItem(item: ItemView): number | undefined {
  const price = num(item.value.PrecioUnitarioItem);
  const qty = num(item.value.CantidadItem);
  if (price === undefined || qty === undefined) return undefined;
  return price * qty - amount(item.value.DescuentoMonto) + amount(item.value.RecargoMonto);
}

// PROTOCOL §4.2 (IT §12 tolerance ±1 per line) and §4.4 (Items).
export const montoItem = rule(
  'monto-item',
  'PROTOCOL §4.2 (IT §12), §4.4',
  'MontoItem = PrecioUnitarioItem × CantidadItem − DescuentoMonto + RecargoMonto, within ±1',
  (ctx) =>
    items(ctx).flatMap((item) => {
      const expected = expectedMontoItem(item);
      const actual = num(item.value.MontoItem);
      return expected === undefined || actual === undefined || !differs(actual, expected, 1)
        ? []
        : [
            violation(
              ctx,
              `${item.path}.MontoItem`,
              'monto-item',
              `must be ${money(expected)} (price × quantity − discount + surcharge, ±1)`,
            ),
          ];
    }),
);

function subTableRule(
  id: string,
  total: 'DescuentoMonto' | 'RecargoMonto',
  table: string,
  row: string,
  rowAmount: string,
): BusinessRule {
  // PROTOCOL §4.4 (Items): DGII rejects inconsistent sub-tables (codes 2020/2030).
  return rule(id, 'PROTOCOL §4.4', `${total} = Σ ${table}/${row}/${rowAmount}`, (ctx) =>
    items(ctx).flatMap((item) => {
      const rows = entries(item.value[table], row);
      if (rows.length === 0) return [];
      const sum = rows.reduce((s, r) => s + amount(r.value[rowAmount]), 0);
      return differs(amount(item.value[total]), sum, roundingTolerance(rows.length))
        ? [
            violation(
              ctx,
              `${item.path}.${total}`,
              id,
              `must equal the sum of ${table} (${money(sum)}, ± rounding)`,
            ),
          ]
        : [];
    }),
  );
}

export const descuentoMontoSum = subTableRule(
  'descuento-monto-sum',
  'DescuentoMonto',
  'TablaSubDescuento',
  'SubDescuento',
  'MontoSubDescuento',
);
export const recargoMontoSum = subTableRule(
  'recargo-monto-sum',
  'RecargoMonto',
  'TablaSubRecargo',
  'SubRecargo',
  'MontoSubRecargo',
);

/** Per IndicadorFacturacion: Σ MontoItem, minus global discounts and plus global surcharges on that indicator. */
const basesByIndicator = memo(
  (ctx: RuleContext): { sums: Map<number, number>; counts: Map<number, number> } => {
    const sums = new Map<number, number>();
    const counts = new Map<number, number>();
    for (const item of items(ctx)) {
      const ind = num(item.value.IndicadorFacturacion);
      if (ind === undefined) continue;
      sums.set(ind, (sums.get(ind) ?? 0) + amount(item.value.MontoItem));
      counts.set(ind, (counts.get(ind) ?? 0) + 1);
    }
    for (const adj of entries(get(ctx.doc, 'DescuentosORecargos'), 'DescuentoORecargo')) {
      const ind = num(adj.value.IndicadorFacturacionDescuentooRecargo);
      if (ind === undefined) continue;
      const sign = adj.value.TipoAjuste === 'D' ? -1 : 1;
      sums.set(ind, (sums.get(ind) ?? 0) + sign * amount(adj.value.MontoDescuentooRecargo));
    }
    return { sums, counts };
  },
);

const lineCount = (ctx: RuleContext): number => Math.max(1, items(ctx).length);

// PROTOCOL §4.4 (Totales): gravado bases per rate when item amounts exclude ITBIS.
export const montoGravadoPorTasa = rule(
  'monto-gravado-por-tasa',
  'PROTOCOL §4.4, §4.2 (IT §12)',
  'MontoGravadoI1/I2/I3 = Σ MontoItem of lines with IndicadorFacturacion 1/2/3 (∓ global discounts/surcharges), ± line count, when IndicadorMontoGravado is 0 or absent',
  (ctx) => {
    if (Number(get(ctx.doc, 'Encabezado.IdDoc.IndicadorMontoGravado') ?? 0) === 1) return [];
    const { sums } = basesByIndicator(ctx);
    const out: Violation[] = [];
    for (const n of [1, 2, 3]) {
      const field = `${TOTALES}.MontoGravadoI${n}`;
      const stated = get(ctx.doc, field);
      const expected = sums.get(n) ?? 0;
      if ((isAbsent(stated) && expected === 0) || !differs(amount(stated), expected, lineCount(ctx)))
        continue;
      out.push(
        violation(
          ctx,
          field,
          'monto-gravado-por-tasa',
          `must be ${money(expected)} (Σ MontoItem of lines with IndicadorFacturacion ${n})`,
        ),
      );
    }
    return out;
  },
);

// PROTOCOL §4.4 (Totales): MontoGravadoTotal = I1 + I2 + I3.
export const montoGravadoTotal = rule(
  'monto-gravado-total',
  'PROTOCOL §4.4',
  'MontoGravadoTotal = MontoGravadoI1 + MontoGravadoI2 + MontoGravadoI3',
  (ctx) => {
    const t = (f: string): unknown => get(ctx.doc, `${TOTALES}.${f}`);
    const sum = amount(t('MontoGravadoI1')) + amount(t('MontoGravadoI2')) + amount(t('MontoGravadoI3'));
    if (isAbsent(t('MontoGravadoTotal')) && sum === 0) return [];
    return differs(amount(t('MontoGravadoTotal')), sum, roundingTolerance(3))
      ? [
          violation(
            ctx,
            `${TOTALES}.MontoGravadoTotal`,
            'monto-gravado-total',
            `must be ${money(sum)} (I1 + I2 + I3)`,
          ),
        ]
      : [];
  },
);

// PROTOCOL §4.4 (Totales): MontoExento = Σ lines with IndicadorFacturacion 4.
export const montoExento = rule(
  'monto-exento',
  'PROTOCOL §4.4, §4.2 (IT §12)',
  'MontoExento = Σ MontoItem of lines with IndicadorFacturacion 4 (∓ global adjustments), ± line count',
  (ctx) => {
    const expected = basesByIndicator(ctx).sums.get(4) ?? 0;
    const stated = get(ctx.doc, `${TOTALES}.MontoExento`);
    if ((isAbsent(stated) && expected === 0) || !differs(amount(stated), expected, lineCount(ctx))) return [];
    return [
      violation(
        ctx,
        `${TOTALES}.MontoExento`,
        'monto-exento',
        `must be ${money(expected)} (Σ MontoItem of exento lines)`,
      ),
    ];
  },
);

// PROTOCOL §4.4 (Totales): ITBIS1/2/3 = 18/16/0, present only when there are lines at that rate.
export const itbisTasas = rule(
  'itbis-tasas',
  'PROTOCOL §4.4',
  'ITBIS1 = 18, ITBIS2 = 16, ITBIS3 = 0, each present exactly when there are lines with IndicadorFacturacion 1/2/3',
  (ctx) => {
    const { counts } = basesByIndicator(ctx);
    const out: Violation[] = [];
    for (const n of [1, 2, 3]) {
      const field = `${TOTALES}.ITBIS${n}`;
      const stated = get(ctx.doc, field);
      const lines = counts.get(n) ?? 0;
      if (lines > 0 && isAbsent(stated)) {
        out.push(
          violation(
            ctx,
            field,
            'itbis-tasas',
            `is required (${ITBIS_RATE_PERCENT[n]}) when there are lines with IndicadorFacturacion ${n}`,
          ),
        );
      } else if (lines === 0 && !isAbsent(stated)) {
        out.push(
          violation(ctx, field, 'itbis-tasas', `must be omitted: no line has IndicadorFacturacion ${n}`),
        );
      } else if (!isAbsent(stated) && Number(stated) !== ITBIS_RATE_PERCENT[n]) {
        out.push(violation(ctx, field, 'itbis-tasas', `must be ${ITBIS_RATE_PERCENT[n]}`));
      }
    }
    return out;
  },
);

/** ISC codes 006–039 are added to the ITBIS 18% base (PROTOCOL §4.4, Formato Tabla I). */
function iscInItbisBase(ctx: RuleContext): number {
  return entries(get(ctx.doc, `${TOTALES}.ImpuestosAdicionales`), 'ImpuestoAdicional').reduce((s, e) => {
    const code = Number(e.value.TipoImpuesto);
    if (!(code >= 6 && code <= 39)) return s;
    return (
      s +
      amount(e.value.MontoImpuestoSelectivoConsumoEspecifico) +
      amount(e.value.MontoImpuestoSelectivoConsumoAdvalorem)
    );
  }, 0);
}

// PROTOCOL §4.4 (Totales) with the ±1 tolerance of §4.2 (IT §12).
export const totalItbisPorTasa = rule(
  'total-itbis-por-tasa',
  'PROTOCOL §4.4, §4.2 (IT §12)',
  'TotalITBIS1 = (MontoGravadoI1 + ISC 006–039) × 18%, TotalITBIS2 = MontoGravadoI2 × 16%, TotalITBIS3 = 0, each ±1',
  (ctx) => {
    const t = (f: string): unknown => get(ctx.doc, `${TOTALES}.${f}`);
    const expected: Record<number, number> = {
      1:
        (amount(t('MontoGravadoI1')) + (amount(t('MontoGravadoI1')) > 0 ? iscInItbisBase(ctx) : 0)) *
        (ITBIS_RATE_PERCENT[1] / 100),
      2: amount(t('MontoGravadoI2')) * (ITBIS_RATE_PERCENT[2] / 100),
      3: 0,
    };
    const out: Violation[] = [];
    for (const n of [1, 2, 3]) {
      const field = `${TOTALES}.TotalITBIS${n}`;
      const stated = t(`TotalITBIS${n}`);
      if (isAbsent(stated) && (n === 3 || isAbsent(t(`MontoGravadoI${n}`)))) continue;
      if (differs(amount(stated), expected[n], 1)) {
        out.push(violation(ctx, field, 'total-itbis-por-tasa', `must be ${money(expected[n])} (±1)`));
      }
    }
    return out;
  },
);

// PROTOCOL §4.4 (Totales): TotalITBIS = TotalITBIS1 + TotalITBIS2 + TotalITBIS3.
export const totalItbis = rule(
  'total-itbis',
  'PROTOCOL §4.4',
  'TotalITBIS = TotalITBIS1 + TotalITBIS2 + TotalITBIS3',
  (ctx) => {
    const t = (f: string): unknown => get(ctx.doc, `${TOTALES}.${f}`);
    const sum = amount(t('TotalITBIS1')) + amount(t('TotalITBIS2')) + amount(t('TotalITBIS3'));
    if (isAbsent(t('TotalITBIS')) && sum === 0) return [];
    return differs(amount(t('TotalITBIS')), sum, roundingTolerance(3))
      ? [
          violation(
            ctx,
            `${TOTALES}.TotalITBIS`,
            'total-itbis',
            `must be ${money(sum)} (TotalITBIS1 + 2 + 3)`,
          ),
        ]
      : [];
  },
);

// PROTOCOL §4.4 (Totales): MontoImpuestoAdicional = Σ ISC específico + ISC ad-valorem + otros.
export const montoImpuestoAdicional = rule(
  'monto-impuesto-adicional',
  'PROTOCOL §4.4',
  'MontoImpuestoAdicional = Σ of the ImpuestoAdicional amounts (específico + ad-valorem + otros)',
  (ctx) => {
    const rows = entries(get(ctx.doc, `${TOTALES}.ImpuestosAdicionales`), 'ImpuestoAdicional');
    const terms = rows.reduce(
      (n, r) =>
        n +
        [
          r.value.MontoImpuestoSelectivoConsumoEspecifico,
          r.value.MontoImpuestoSelectivoConsumoAdvalorem,
          r.value.OtrosImpuestosAdicionales,
        ].filter((v) => !isAbsent(v)).length,
      0,
    );
    const sum = rows.reduce(
      (s, r) =>
        s +
        amount(r.value.MontoImpuestoSelectivoConsumoEspecifico) +
        amount(r.value.MontoImpuestoSelectivoConsumoAdvalorem) +
        amount(r.value.OtrosImpuestosAdicionales),
      0,
    );
    const stated = get(ctx.doc, `${TOTALES}.MontoImpuestoAdicional`);
    if (rows.length === 0 && isAbsent(stated)) return [];
    return differs(amount(stated), sum, roundingTolerance(terms))
      ? [
          violation(
            ctx,
            `${TOTALES}.MontoImpuestoAdicional`,
            'monto-impuesto-adicional',
            `must be ${money(sum)} (Σ ImpuestoAdicional, ± rounding)`,
          ),
        ]
      : [];
  },
);

// PROTOCOL §4.4 (Totales) with the document tolerance of §4.2 (IT §12: up to the number of lines).
export const montoTotal = rule(
  'monto-total',
  'PROTOCOL §4.4, §4.2 (IT §12)',
  'MontoTotal = MontoGravadoTotal + MontoExento + TotalITBIS + MontoImpuestoAdicional, ± line count',
  (ctx) => {
    const t = (f: string): number => amount(get(ctx.doc, `${TOTALES}.${f}`));
    const stated = get(ctx.doc, `${TOTALES}.MontoTotal`);
    if (isAbsent(stated)) return [];
    const expected =
      t('MontoGravadoTotal') + t('MontoExento') + t('TotalITBIS') + t('MontoImpuestoAdicional');
    return differs(amount(stated), expected, lineCount(ctx))
      ? [
          violation(
            ctx,
            `${TOTALES}.MontoTotal`,
            'monto-total',
            `must be ${money(expected)} (gravado + exento + ITBIS + impuestos adicionales)`,
          ),
        ]
      : [];
  },
);

// PROTOCOL §4.4 (Totales): MontoPeriodo = MontoTotal + MontoNoFacturable.
export const montoPeriodo = rule(
  'monto-periodo',
  'PROTOCOL §4.4',
  'MontoPeriodo = MontoTotal + MontoNoFacturable',
  (ctx) => {
    const stated = get(ctx.doc, `${TOTALES}.MontoPeriodo`);
    if (isAbsent(stated)) return [];
    const expected =
      amount(get(ctx.doc, `${TOTALES}.MontoTotal`)) + amount(get(ctx.doc, `${TOTALES}.MontoNoFacturable`));
    return differs(amount(stated), expected, roundingTolerance(2))
      ? [
          violation(
            ctx,
            `${TOTALES}.MontoPeriodo`,
            'monto-periodo',
            `must be ${money(expected)} (MontoTotal + MontoNoFacturable)`,
          ),
        ]
      : [];
  },
);

function retentionRule(
  id: string,
  total: string,
  line: string,
  requiredFor: readonly string[],
  section: string,
): BusinessRule {
  return rule(
    id,
    section,
    `${total} = Σ Item/Retencion/${line}${requiredFor.length ? `; required in e-CF ${requiredFor.join(', ')}` : ''}`,
    (ctx) => {
      const field = `${TOTALES}.${total}`;
      const stated = get(ctx.doc, field);
      const lines = items(ctx).filter((i) => !isAbsent(get(i.value, `Retencion.${line}`)));
      const sum = lines.reduce((s, i) => s + amount(get(i.value, `Retencion.${line}`)), 0);
      if (isAbsent(stated)) {
        if (requiredFor.includes(ctx.kind))
          return [violation(ctx, field, id, `is required in e-CF ${ctx.kind}`)];
        return lines.length
          ? [violation(ctx, field, id, `is required when lines carry ${line} (${money(sum)})`)]
          : [];
      }
      return differs(amount(stated), sum, roundingTolerance(lines.length))
        ? [violation(ctx, field, id, `must be ${money(sum)} (Σ ${line}, ± rounding)`)]
        : [];
    },
  );
}

// PROTOCOL §4.4 (Totales and Items) and §4.5 (47: ISR withholding mandatory; field code 11170).
export const isrRetencion = retentionRule(
  'isr-retencion',
  'TotalISRRetencion',
  'MontoISRRetenido',
  ['47'],
  'PROTOCOL §4.4, §4.5',
);
// PROTOCOL §4.4 (Totales).
export const itbisRetenido = retentionRule(
  'itbis-retenido',
  'TotalITBISRetenido',
  'MontoITBISRetenido',
  [],
  'PROTOCOL §4.4',
);

// PROTOCOL §4.4 (IdDoc): FechaLimitePago ≥ emission date.
export const fechaLimitePago = rule(
  'fecha-limite-pago',
  'PROTOCOL §4.4',
  'FechaLimitePago is on or after FechaEmision',
  (ctx) => {
    const limit = dateKey(get(ctx.doc, 'Encabezado.IdDoc.FechaLimitePago'));
    const issued = dateKey(get(ctx.doc, 'Encabezado.Emisor.FechaEmision'));
    return limit !== undefined && issued !== undefined && limit < issued
      ? [
          violation(
            ctx,
            'Encabezado.IdDoc.FechaLimitePago',
            'fecha-limite-pago',
            'must not be before FechaEmision',
          ),
        ]
      : [];
  },
);

// PROTOCOL §4.4 (IdDoc) and §4.5 (32): FormaPago 5 (bonos / certificados de regalo) only in e-CF 32.
export const formaPago5 = rule(
  'forma-pago-5',
  'PROTOCOL §4.4, §4.5',
  'FormaPago 5 (gift certificates) only in e-CF 32',
  (ctx) =>
    ctx.kind === '32'
      ? []
      : entries(get(ctx.doc, 'Encabezado.IdDoc.TablaFormasPago'), 'FormaDePago')
          .filter((f) => Number(f.value.FormaPago) === 5)
          .map((f) =>
            violation(
              ctx,
              `Encabezado.IdDoc.TablaFormasPago.${f.segment}.FormaPago`,
              'forma-pago-5',
              'FormaPago 5 is only allowed in e-CF 32',
            ),
          ),
);

// PROTOCOL §4.4 (InformacionReferencia): codes 1–3 only in notes (33/34), 5 only in a 31 referencing a 32.
export const codigoModificacion = rule(
  'codigo-modificacion',
  'PROTOCOL §4.4',
  'CodigoModificacion 1–3 only in e-CF 33/34; 5 only in e-CF 31',
  (ctx) => {
    const code = num(get(ctx.doc, 'InformacionReferencia.CodigoModificacion'));
    if (code === undefined) return [];
    const path = 'InformacionReferencia.CodigoModificacion';
    if (code >= 1 && code <= 3 && ctx.kind !== '33' && ctx.kind !== '34') {
      return [
        violation(ctx, path, 'codigo-modificacion', 'codes 1–3 are only for debit/credit notes (33, 34)'),
      ];
    }
    if (code === 5 && ctx.kind !== '31') {
      return [
        violation(
          ctx,
          path,
          'codigo-modificacion',
          'code 5 is only for an e-CF 31 that references an e-CF 32',
        ),
      ];
    }
    return [];
  },
);

// PROTOCOL §4.4 (IdDoc): TotalPaginas only with pagination.
export const totalPaginas = rule(
  'total-paginas',
  'PROTOCOL §4.4, §12',
  'TotalPaginas only together with Paginacion',
  (ctx) =>
    !isAbsent(get(ctx.doc, 'Encabezado.IdDoc.TotalPaginas')) && isAbsent(get(ctx.doc, 'Paginacion'))
      ? [
          violation(
            ctx,
            'Encabezado.IdDoc.TotalPaginas',
            'total-paginas',
            'only allowed together with Paginacion',
          ),
        ]
      : [],
);

/** Rules of every e-CF type (the registry adds its PRESENCE_BY_KIND row and its type module). */
export const ECF_COMMON_RULES: readonly BusinessRule[] = [
  tipoeCfMatchesSchema,
  encfPrefix,
  rncFormat,
  compradorIdExclusive,
  numeroLineaSequential,
  montoItem,
  descuentoMontoSum,
  recargoMontoSum,
  montoGravadoPorTasa,
  montoGravadoTotal,
  montoExento,
  itbisTasas,
  totalItbisPorTasa,
  totalItbis,
  montoImpuestoAdicional,
  montoTotal,
  montoPeriodo,
  isrRetencion,
  itbisRetenido,
  fechaLimitePago,
  formaPago5,
  codigoModificacion,
  totalPaginas,
];
