import type { DocumentKind } from '../catalogue';
import { acecfFromRequest, anecfFromRequest, arecfFromRequest } from '../receptor';
import { makeEcf, mergeJson, type EcfScenario, type FixtureJson } from '@app/testing';
import { checkBusinessRules, describeBusinessRules, RULES_BY_KIND } from './rules.registry';

type Patch = FixtureJson | ((json: FixtureJson) => FixtureJson);

/** Patches item `index` of a document. */
const item = (index: number, patch: FixtureJson) => (json: FixtureJson) => {
  const items = [...(json.DetallesItems as { Item: FixtureJson[] }).Item];
  items[index] = mergeJson(items[index], patch);
  return { ...json, DetallesItems: { Item: items } };
};

const totales = (patch: FixtureJson): FixtureJson => ({ Encabezado: { Totales: patch } });
const idDoc = (patch: FixtureJson): FixtureJson => ({ Encabezado: { IdDoc: patch } });
const plus = (
  kind: DocumentKind & `${number}`,
  field: string,
  delta: number,
  scenario: EcfScenario = 'basic',
): FixtureJson => {
  const t = (makeEcf(kind as '31', { scenario }).Encabezado as { Totales: Record<string, number> }).Totales;
  return totales({ [field]: t[field] + delta });
};

interface Case {
  readonly rule: string;
  readonly kind: '31' | '32' | '33' | '34' | '41' | '43' | '44' | '46' | '47';
  readonly scenario?: EcfScenario;
  readonly patch: Patch;
  readonly path: string;
}

const CASES: readonly Case[] = [
  {
    rule: 'tipoecf-matches-schema',
    kind: '31',
    patch: idDoc({ TipoeCF: 32 }),
    path: 'ecf.Encabezado.IdDoc.TipoeCF',
  },
  {
    rule: 'encf-prefix',
    kind: '31',
    patch: idDoc({ eNCF: 'E320000000001' }),
    path: 'ecf.Encabezado.IdDoc.eNCF',
  },
  {
    rule: 'rnc-format',
    kind: '31',
    patch: { Encabezado: { Emisor: { RNCEmisor: '1317939' } } },
    path: 'ecf.Encabezado.Emisor.RNCEmisor',
  },
  {
    rule: 'comprador-250k',
    kind: '32',
    scenario: 'large-consumo',
    patch: { Encabezado: { Comprador: { RNCComprador: undefined, RazonSocialComprador: undefined } } },
    path: 'ecf.Encabezado.Comprador.RNCComprador',
  },
  {
    rule: 'comprador-id-exclusive',
    kind: '32',
    patch: { Encabezado: { Comprador: { IdentificadorExtranjero: 'P-1' } } },
    path: 'ecf.Encabezado.Comprador.IdentificadorExtranjero',
  },
  {
    rule: 'numero-linea-sequential',
    kind: '31',
    patch: item(1, { NumeroLinea: 5 }),
    path: 'ecf.DetallesItems.Item[1].NumeroLinea',
  },
  {
    rule: 'monto-item',
    kind: '31',
    patch: item(2, { MontoItem: 1 }),
    path: 'ecf.DetallesItems.Item[2].MontoItem',
  },
  {
    rule: 'descuento-monto-sum',
    kind: '31',
    scenario: 'discounts-surcharges',
    patch: item(0, {
      TablaSubDescuento: { SubDescuento: [{ TipoSubDescuento: '$', MontoSubDescuento: 1 }] },
    }),
    path: 'ecf.DetallesItems.Item[0].DescuentoMonto',
  },
  {
    rule: 'recargo-monto-sum',
    kind: '31',
    scenario: 'discounts-surcharges',
    patch: item(0, { TablaSubRecargo: { SubRecargo: { TipoSubRecargo: '$', MontoSubRecargo: 9 } } }),
    path: 'ecf.DetallesItems.Item[0].RecargoMonto',
  },
  {
    rule: 'monto-gravado-por-tasa',
    kind: '31',
    patch: plus('31', 'MontoGravadoI1', 10),
    path: 'ecf.Encabezado.Totales.MontoGravadoI1',
  },
  {
    rule: 'monto-gravado-total',
    kind: '31',
    patch: plus('31', 'MontoGravadoTotal', 1),
    path: 'ecf.Encabezado.Totales.MontoGravadoTotal',
  },
  {
    rule: 'monto-exento',
    kind: '31',
    patch: totales({ MontoExento: 50 }),
    path: 'ecf.Encabezado.Totales.MontoExento',
  },
  { rule: 'itbis-tasas', kind: '31', patch: totales({ ITBIS1: 16 }), path: 'ecf.Encabezado.Totales.ITBIS1' },
  { rule: 'itbis-tasas', kind: '31', patch: totales({ ITBIS2: 16 }), path: 'ecf.Encabezado.Totales.ITBIS2' },
  {
    rule: 'itbis-tasas',
    kind: '31',
    patch: totales({ ITBIS1: undefined }),
    path: 'ecf.Encabezado.Totales.ITBIS1',
  },
  {
    rule: 'total-itbis-por-tasa',
    kind: '31',
    patch: plus('31', 'TotalITBIS1', 5),
    path: 'ecf.Encabezado.Totales.TotalITBIS1',
  },
  {
    rule: 'total-itbis',
    kind: '31',
    patch: plus('31', 'TotalITBIS', 1),
    path: 'ecf.Encabezado.Totales.TotalITBIS',
  },
  {
    rule: 'monto-impuesto-adicional',
    kind: '31',
    scenario: 'additional-taxes',
    patch: plus('31', 'MontoImpuestoAdicional', 1, 'additional-taxes'),
    path: 'ecf.Encabezado.Totales.MontoImpuestoAdicional',
  },
  {
    rule: 'monto-total',
    kind: '31',
    patch: plus('31', 'MontoTotal', 100),
    path: 'ecf.Encabezado.Totales.MontoTotal',
  },
  {
    rule: 'monto-periodo',
    kind: '31',
    patch: totales({ MontoPeriodo: 1 }),
    path: 'ecf.Encabezado.Totales.MontoPeriodo',
  },
  {
    rule: 'isr-retencion',
    kind: '47',
    patch: totales({ TotalISRRetencion: undefined }),
    path: 'ecf.Encabezado.Totales.TotalISRRetencion',
  },
  {
    rule: 'isr-retencion',
    kind: '41',
    scenario: 'isr-withholding',
    patch: plus('41', 'TotalISRRetencion', 3, 'isr-withholding'),
    path: 'ecf.Encabezado.Totales.TotalISRRetencion',
  },
  {
    rule: 'itbis-retenido',
    kind: '41',
    patch: plus('41', 'TotalITBISRetenido', 1),
    path: 'ecf.Encabezado.Totales.TotalITBISRetenido',
  },
  {
    rule: 'fecha-limite-pago',
    kind: '31',
    patch: idDoc({ TipoPago: 2, FechaLimitePago: '31-3-2026' }),
    path: 'ecf.Encabezado.IdDoc.FechaLimitePago',
  },
  {
    rule: 'forma-pago-5',
    kind: '31',
    patch: idDoc({ TablaFormasPago: { FormaDePago: { FormaPago: 5, MontoPago: 1 } } }),
    path: 'ecf.Encabezado.IdDoc.TablaFormasPago.FormaDePago.FormaPago',
  },
  {
    rule: 'codigo-modificacion',
    kind: '31',
    patch: {
      InformacionReferencia: {
        NCFModificado: 'E310000000001',
        FechaNCFModificado: '01-03-2026',
        CodigoModificacion: 1,
      },
    },
    path: 'ecf.InformacionReferencia.CodigoModificacion',
  },
  {
    rule: 'codigo-modificacion',
    kind: '34',
    patch: { InformacionReferencia: { CodigoModificacion: 5 } },
    path: 'ecf.InformacionReferencia.CodigoModificacion',
  },
  {
    rule: 'total-paginas',
    kind: '31',
    patch: idDoc({ TotalPaginas: 2 }),
    path: 'ecf.Encabezado.IdDoc.TotalPaginas',
  },
  {
    rule: 'section-required',
    kind: '34',
    patch: idDoc({ IndicadorNotaCredito: undefined }),
    path: 'ecf.Encabezado.IdDoc.IndicadorNotaCredito',
  },
  {
    rule: 'section-required',
    kind: '33',
    patch: { InformacionReferencia: undefined },
    path: 'ecf.InformacionReferencia',
  },
  {
    rule: 'section-required',
    kind: '31',
    patch: { Encabezado: { Comprador: undefined } },
    path: 'ecf.Encabezado.Comprador',
  },
  {
    rule: 'section-required',
    kind: '41',
    patch: item(1, { Retencion: undefined }),
    path: 'ecf.DetallesItems.Item[1].Retencion',
  },
  {
    rule: 'section-forbidden',
    kind: '43',
    patch: { Encabezado: { Comprador: {} } },
    path: 'ecf.Encabezado.Comprador',
  },
  {
    rule: 'section-forbidden',
    kind: '34',
    patch: idDoc({ TablaFormasPago: { FormaDePago: { FormaPago: 1, MontoPago: 1 } } }),
    path: 'ecf.Encabezado.IdDoc.TablaFormasPago',
  },
  {
    rule: 'section-forbidden',
    kind: '47',
    patch: { Encabezado: { Comprador: { RNCComprador: '130000001' } } },
    path: 'ecf.Encabezado.Comprador.RNCComprador',
  },
  {
    rule: 'indicador-facturacion-tipo',
    kind: '43',
    patch: item(0, { IndicadorFacturacion: 1 }),
    path: 'ecf.DetallesItems.Item[0].IndicadorFacturacion',
  },
  {
    rule: 'indicador-facturacion-tipo',
    kind: '46',
    patch: item(2, { IndicadorFacturacion: 4 }),
    path: 'ecf.DetallesItems.Item[2].IndicadorFacturacion',
  },
  {
    rule: 'indicador-facturacion-tipo',
    kind: '44',
    patch: item(0, { IndicadorFacturacion: 3 }),
    path: 'ecf.DetallesItems.Item[0].IndicadorFacturacion',
  },
  {
    rule: 'bien-o-servicio-47',
    kind: '47',
    patch: item(0, { IndicadorBienoServicio: 1 }),
    path: 'ecf.DetallesItems.Item[0].IndicadorBienoServicio',
  },
  {
    rule: 'retencion-41-itbis',
    kind: '41',
    patch: item(0, { Retencion: { MontoITBISRetenido: undefined } }),
    path: 'ecf.DetallesItems.Item[0].Retencion.MontoITBISRetenido',
  },
  {
    rule: 'nota-credito-texto',
    kind: '34',
    patch: { InformacionReferencia: { CodigoModificacion: 2 } },
    path: 'ecf.DetallesItems.Item[0].MontoItem',
  },
];

describe('business rules', () => {
  it.each(CASES.map((c) => [c.rule, c.kind, c.path, c] as const))(
    '%s fires on e-CF %s at %s',
    (_rule, _kind, _path, c) => {
      const base = makeEcf(c.kind, { scenario: c.scenario });
      expect(checkBusinessRules(c.kind, base).filter((v) => v.rule === c.rule)).toEqual([]);
      const broken = typeof c.patch === 'function' ? c.patch(base) : mergeJson(base, c.patch);
      const fired = checkBusinessRules(c.kind, broken);
      expect(fired).toContainEqual(
        expect.objectContaining({ rule: c.rule, path: c.path, message: expect.any(String) }),
      );
    },
  );

  it('accepts amounts within the tolerances of IT §12', () => {
    const base = makeEcf('31', { lines: 4 });
    const t = (base.Encabezado as { Totales: Record<string, number> }).Totales;
    const nudged = mergeJson(
      item(0, {
        MontoItem: (base.DetallesItems as { Item: { MontoItem: number }[] }).Item[0].MontoItem + 0.9,
      })(base),
      {
        Encabezado: {
          Totales: {
            MontoTotal: t.MontoTotal + 3.5,
            TotalITBIS1: t.TotalITBIS1 + 0.8,
            TotalITBIS: t.TotalITBIS + 0.8,
          },
        },
      },
    );
    const fired = checkBusinessRules('31', nudged).map((v) => v.rule);
    expect(fired).not.toContain('monto-item');
    expect(fired).not.toContain('monto-total');
    expect(fired).not.toContain('total-itbis-por-tasa');
  });

  // IT §12/§13: DGII rounds the sum of unrounded amounts, so a total may be 0.01 off the sum of
  // its rounded lines (its own Paso 2 set does it); a whole unit is a wrong total.
  it.each([
    ['monto-impuesto-adicional', '31', 'additional-taxes', 'MontoImpuestoAdicional'],
    ['isr-retencion', '41', 'isr-withholding', 'TotalISRRetencion'],
    ['itbis-retenido', '41', 'basic', 'TotalITBISRetenido'],
    ['total-itbis', '31', 'basic', 'TotalITBIS'],
    ['monto-gravado-total', '31', 'basic', 'MontoGravadoTotal'],
  ] as const)('%s accepts a rounding difference of 0.01 and refuses 1.00', (rule, kind, scenario, field) => {
    const base = makeEcf(kind, { scenario });
    const fired = (delta: number): string[] =>
      checkBusinessRules(kind, mergeJson(base, plus(kind, field, delta, scenario))).map((v) => v.rule);
    expect(fired(0)).not.toContain(rule);
    expect(fired(0.01)).not.toContain(rule);
    expect(fired(-0.01)).not.toContain(rule);
    expect(fired(1)).toContain(rule);
    expect(fired(-1)).toContain(rule);
  });

  it('nota-credito-texto lets a non-billable line (IndicadorFacturacion 0) carry an amount', () => {
    const base = mergeJson(makeEcf('34', { lines: 1 }), { InformacionReferencia: { CodigoModificacion: 2 } });
    const nonBillable = item(0, { IndicadorFacturacion: 0 })(base);
    expect(checkBusinessRules('34', nonBillable).map((v) => v.rule)).not.toContain('nota-credito-texto');
    expect(checkBusinessRules('34', base).map((v) => v.rule)).toContain('nota-credito-texto');
  });

  it('skips the per-rate bases when amounts include ITBIS (IndicadorMontoGravado 1)', () => {
    const json = mergeJson(makeEcf('31'), {
      Encabezado: { IdDoc: { IndicadorMontoGravado: 1 }, Totales: { MontoGravadoI1: 1 } },
    });
    expect(checkBusinessRules('31', json).map((v) => v.rule)).not.toContain('monto-gravado-por-tasa');
  });

  describe('receptor documents', () => {
    const at = '24-04-2026 14:05:09';
    const acecf = {
      rncEmisor: '131793916',
      rncComprador: '40209547971',
      eNCF: 'E310000000005',
      fechaEmisionOriginal: '2026-04-24',
      montoTotalOriginal: 1,
      estado: 1,
    };

    it('ACECF: motive only when rejected, only for types that take approvals', () => {
      expect(checkBusinessRules('ACECF', acecfFromRequest(acecf, at))).toEqual([]);
      expect(
        checkBusinessRules('ACECF', acecfFromRequest({ ...acecf, detalleMotivoRechazo: 'no' }, at)),
      ).toEqual([
        expect.objectContaining({
          rule: 'acecf-motivo-rechazo',
          path: 'ecf.DetalleAprobacionComercial.DetalleMotivoRechazo',
        }),
      ]);
      expect(checkBusinessRules('ACECF', acecfFromRequest({ ...acecf, eNCF: 'E320000000005' }, at))).toEqual([
        expect.objectContaining({ rule: 'acecf-tipo-aplicable' }),
      ]);
    });

    it('ARECF: CodigoMotivoNoRecibido exactly when not received', () => {
      const base = { rncEmisor: '131793916', rncComprador: '40209547971', eNCF: 'E310000000005' };
      expect(checkBusinessRules('ARECF', arecfFromRequest({ ...base, estado: 0 }, at))).toEqual([]);
      expect(checkBusinessRules('ARECF', arecfFromRequest({ ...base, estado: 1 }, at))).toEqual([
        expect.objectContaining({ rule: 'arecf-motivo' }),
      ]);
      expect(
        checkBusinessRules('ARECF', arecfFromRequest({ ...base, estado: 0, codigoMotivoNoRecibido: 3 }, at)),
      ).toEqual([expect.objectContaining({ rule: 'arecf-motivo' })]);
    });

    it('ANECF: line numbers, ranges and counts', () => {
      const good = anecfFromRequest(
        {
          rncEmisor: '131793916',
          anulaciones: [{ tipoeCF: 31, rangos: [{ desde: 'E310000000001', hasta: 'E310000000003' }] }],
        },
        at,
      );
      expect(checkBusinessRules('ANECF', good)).toEqual([]);
      const bad = mergeJson(good, {
        Encabezado: { CantidadeNCFAnulados: 4 },
        DetalleAnulacion: {
          Anulacion: [
            {
              NoLinea: 2,
              TipoeCF: 31,
              TablaRangoSecuenciasAnuladaseNCF: {
                Secuencias: [{ SecuenciaeNCFDesde: 'E310000000009', SecuenciaeNCFHasta: 'E310000000003' }],
              },
              CantidadeNCFAnulados: 3,
            },
          ],
        },
      });
      expect([...new Set(checkBusinessRules('ANECF', bad).map((v) => v.rule))].sort()).toEqual([
        'anecf-cantidades',
        'anecf-no-linea',
        'anecf-rangos',
      ]);
      const wrongType = mergeJson(good, {
        DetalleAnulacion: {
          Anulacion: { ...(good.DetalleAnulacion as { Anulacion: FixtureJson[] }).Anulacion[0], TipoeCF: 32 },
        },
      });
      expect(checkBusinessRules('ANECF', wrongType)).toContainEqual(
        expect.objectContaining({ rule: 'anecf-rangos' }),
      );
    });
  });

  it('has a rules module for every document kind, and every rule cites PROTOCOL', () => {
    expect(Object.keys(RULES_BY_KIND).sort()).toEqual(
      [
        '31',
        '32',
        '33',
        '34',
        '41',
        '43',
        '44',
        '45',
        '46',
        '47',
        'ACECF',
        'ANECF',
        'ARECF',
        'RFCE',
        'Semilla',
      ].sort(),
    );
    const described = describeBusinessRules();
    for (const rule of described) expect(rule.section).toMatch(/PROTOCOL §/);
    const ids = new Set(described.map((r) => r.id));
    for (const c of CASES) expect(ids).toContain(c.rule);
  });
});
