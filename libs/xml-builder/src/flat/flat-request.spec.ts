import { ValidationFailedError } from '@app/common';
import { buildDocument } from '../builder';
import { FIXTURE_SIGNED_AT, guideEcfExample } from '@app/testing';
import { DEFAULTS, ecfFromFlatRequest } from './flat-request';

const guideExample = guideEcfExample;

function detailsOf(fn: () => unknown): unknown[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationFailedError);
    return (e as ValidationFailedError).details;
  }
  throw new Error('expected a ValidationFailedError');
}

describe('ecfFromFlatRequest', () => {
  it('maps the guide example to a complete, valid e-CF 31 with the documented defaults', () => {
    const { type, ecf } = ecfFromFlatRequest(guideExample());
    expect(type).toBe('31');
    expect(ecf).toEqual({
      Encabezado: {
        Version: '1.0',
        IdDoc: {
          TipoeCF: 31,
          eNCF: 'E310000000005',
          TipoIngresos: '01',
          TipoPago: 1,
          FechaVencimientoSecuencia: '31-12-2027',
        },
        Emisor: {
          RNCEmisor: '40209547971',
          FechaEmision: '24-04-2026',
          RazonSocialEmisor: 'MI EMPRESA SRL',
          DireccionEmisor: 'Av. 27 de Febrero 100',
          Municipio: '010100',
          Provincia: '010000',
        },
        Comprador: { RNCComprador: '131793916', RazonSocialComprador: 'CLIENTE SRL' },
        Totales: {
          MontoGravadoTotal: 1000,
          MontoGravadoI1: 1000,
          ITBIS1: 18,
          TotalITBIS: 180,
          TotalITBIS1: 180,
          MontoTotal: 1180,
        },
      },
      DetallesItems: {
        Item: [
          {
            NombreItem: 'Servicio de consultoría',
            CantidadItem: 1,
            PrecioUnitarioItem: 1000,
            MontoItem: 1000,
            NumeroLinea: 1,
            IndicadorFacturacion: 1,
            IndicadorBienoServicio: 1,
          },
        ],
      },
    });
    const xml = buildDocument(type, ecf, { fechaHoraFirma: FIXTURE_SIGNED_AT });
    expect(xml).toContain(
      '<Totales><MontoGravadoTotal>1000.00</MontoGravadoTotal><MontoGravadoI1>1000.00</MontoGravadoI1>',
    );
  });

  it('lets ecf fill and override defaults, and merges items by position', () => {
    const request = guideExample();
    request.ecf = {
      Encabezado: { IdDoc: { TipoPago: 2, FechaLimitePago: '24-05-2026' }, Emisor: { Sucursal: 'Santiago' } },
      DetallesItems: { Item: [{ UnidadMedida: 43, IndicadorBienoServicio: 2 }] },
    };
    const sent = JSON.parse(JSON.stringify(request.ecf)) as unknown;
    const { ecf } = ecfFromFlatRequest(request);
    expect(ecf.Encabezado).toMatchObject({
      IdDoc: { TipoPago: 2, FechaLimitePago: '24-05-2026' },
      Emisor: { Sucursal: 'Santiago' },
    });
    expect(ecf.DetallesItems).toMatchObject({
      Item: [{ UnidadMedida: 43, IndicadorBienoServicio: 2, NombreItem: 'Servicio de consultoría' }],
    });
    // The request is not mutated: defaults go into a copy, at every depth.
    expect(request.ecf).toEqual(sent);
    expect(ecf.DetallesItems).not.toBe(request.ecf.DetallesItems);
  });

  it('takes a request in DGII shape alone as it is: not copied, nothing written into it', () => {
    const { ecf: built } = ecfFromFlatRequest(guideExample());
    const request = { ecf: JSON.parse(JSON.stringify(built)) as Record<string, unknown> };
    const sent = JSON.parse(JSON.stringify(request.ecf)) as unknown;
    const { ecf } = ecfFromFlatRequest(request);
    expect(ecf).toBe(request.ecf);
    expect(request.ecf).toEqual(sent);
    // Without a TipoeCF it is refused, and still nothing is added to it (no empty Encabezado.IdDoc).
    const untyped = { ecf: { DetallesItems: { Item: [{ NombreItem: 'x' }] } } };
    expect(() => ecfFromFlatRequest(untyped)).toThrow(ValidationFailedError);
    expect(untyped.ecf).toEqual({ DetallesItems: { Item: [{ NombreItem: 'x' }] } });
  });

  it('accepts ecf alone, and equal values given both ways', () => {
    const { ecf } = ecfFromFlatRequest(guideExample());
    expect(ecfFromFlatRequest({ ecf }).ecf).toEqual(ecf);
    expect(
      ecfFromFlatRequest({
        ...guideExample(),
        ecf: { Encabezado: { Emisor: { FechaEmision: '24-4-2026' } } },
      }).type,
    ).toBe('31');
  });

  it('adds nothing to a document in DGII shape: no TipoPago, Version or line defaults', () => {
    const { ecf } = ecfFromFlatRequest(guideExample());
    const bare = structuredClone(ecf) as {
      Encabezado: { Version?: unknown; IdDoc: Record<string, unknown> };
      DetallesItems: { Item: Record<string, unknown>[] };
    };
    delete bare.Encabezado.IdDoc.TipoPago;
    delete bare.Encabezado.Version;
    delete bare.DetallesItems.Item[0].IndicadorBienoServicio;
    const literal = ecfFromFlatRequest({ ecf: bare }).ecf as typeof bare;
    expect(literal.Encabezado.IdDoc.TipoPago).toBeUndefined();
    expect(literal.Encabezado.Version).toBeUndefined();
    expect(literal.DetallesItems.Item[0].IndicadorBienoServicio).toBeUndefined();
    // The flat guide fields still get their defaults.
    const flat = ecfFromFlatRequest({ ...guideExample(), ecf: bare }).ecf as typeof bare;
    expect(flat.Encabezado.IdDoc.TipoPago).toBe(1);
    expect(flat.Encabezado.Version).toBe('1.0');
  });

  it('a required element missing from a DGII-shape document is an error naming it', () => {
    const { ecf } = ecfFromFlatRequest(guideExample());
    const bare = structuredClone(ecf) as { Encabezado: { Version?: unknown } };
    delete bare.Encabezado.Version;
    const literal = ecfFromFlatRequest({ ecf: bare }).ecf;
    let error: unknown;
    try {
      buildDocument('31', literal, { fechaHoraFirma: FIXTURE_SIGNED_AT });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'XML_BUILD_FAILED' });
    expect(JSON.stringify((error as { details: unknown }).details)).toContain('Version');
  });

  it('reports every flat field that contradicts its ecf element, naming both paths', () => {
    const details = detailsOf(() =>
      ecfFromFlatRequest({
        ...guideExample(),
        ecf: {
          Encabezado: { Comprador: { RNCComprador: '101010101' }, Totales: { MontoTotal: 1200 } },
          DetallesItems: { Item: [{ MontoItem: 999 }] },
        },
      }),
    );
    expect(details).toEqual([
      expect.objectContaining({
        path: 'receiverRnc',
        rule: 'flat-contradiction',
        ecfPath: 'Encabezado.Comprador.RNCComprador',
      }),
      expect.objectContaining({ path: 'lines[0].lineTotal', ecfPath: 'DetallesItems.Item[0].MontoItem' }),
      expect.objectContaining({ path: 'totalAmount', ecfPath: 'Encabezado.Totales.MontoTotal' }),
    ]);
    expect(String((details[0] as { message: string }).message)).toContain(
      'ecf.Encabezado.Comprador.RNCComprador',
    );
  });

  it('compares amounts exactly: 1000.0001 contradicts 1000, "1000.00" does not', () => {
    const line = guideExample().lines![0];
    const withPrice = (unitPrice: number | string) =>
      ecfFromFlatRequest({
        ...guideExample(),
        lines: [{ ...line, unitPrice }],
        ecf: { DetallesItems: { Item: [{ PrecioUnitarioItem: 1000 }] } },
      });
    expect(detailsOf(() => withPrice(1000.0001))).toEqual([
      expect.objectContaining({
        path: 'lines[0].unitPrice',
        ecfPath: 'DetallesItems.Item[0].PrecioUnitarioItem',
      }),
    ]);
    expect(() => withPrice('1000.00')).not.toThrow();
  });

  it('translates builder and rule violations back to the flat field that filled the element', () => {
    const { type, ecf, paths } = ecfFromFlatRequest({
      ...guideExample(),
      lines: [{ ...guideExample().lines![0], description: 'bad\u0001text', lineTotal: 900 }],
    });
    let thrown: unknown;
    try {
      buildDocument(type, ecf, { fechaHoraFirma: FIXTURE_SIGNED_AT });
    } catch (e) {
      thrown = paths.translateError(e);
    }
    expect(thrown).toBeInstanceOf(ValidationFailedError);
    expect((thrown as ValidationFailedError).details).toEqual([
      expect.objectContaining({ path: 'lines[0].description', ecfPath: 'DetallesItems.Item[0].NombreItem' }),
    ]);
    expect(paths.flatPathOf('Encabezado.Totales.MontoGravadoI1')).toBe('subtotal');
    expect(paths.flatPathOf('Encabezado.Totales.TotalITBIS1')).toBe('taxAmount');
    expect(paths.flatPathOf('DetallesItems.Item[0].MontoItem')).toBe('lines[0].lineTotal');
    expect(paths.translate([{ path: 'ecf.Encabezado.IdDoc.TipoPago', message: 'x' }])).toEqual([
      { path: 'ecf.Encabezado.IdDoc.TipoPago', message: 'x' },
    ]);
  });

  it('rejects a missing or unknown type, a bad date and a line count mismatch', () => {
    expect(detailsOf(() => ecfFromFlatRequest({ lines: [] }))).toEqual([
      expect.objectContaining({ path: 'ecf.Encabezado.IdDoc.TipoeCF' }),
    ]);
    expect(detailsOf(() => ecfFromFlatRequest({ tipoeCF: 35 }))).toEqual([
      expect.objectContaining({ path: 'tipoeCF' }),
    ]);
    expect(detailsOf(() => ecfFromFlatRequest({ ...guideExample(), issueDate: '24/04/2026' }))).toEqual([
      expect.objectContaining({ path: 'issueDate', rule: 'flat-field' }),
    ]);
    expect(
      detailsOf(() => ecfFromFlatRequest({ ...guideExample(), ecf: { DetallesItems: { Item: [{}, {}] } } })),
    ).toEqual([expect.objectContaining({ path: 'lines', ecfPath: 'DetallesItems.Item' })]);
  });

  it('uses the type: no FechaVencimientoSecuencia for 32/34, exento lines and MontoExento for 43', () => {
    const e32 = ecfFromFlatRequest({ ...guideExample(), tipoeCF: 32, overrideEncf: 'E320000000005' }).ecf;
    expect(e32.Encabezado).not.toHaveProperty('IdDoc.FechaVencimientoSecuencia');
    const e43 = ecfFromFlatRequest({
      ...guideExample(),
      tipoeCF: 43,
      overrideEncf: 'E430000000005',
      receiverRnc: undefined,
      razonSocialComprador: undefined,
      taxAmount: 0,
      totalAmount: 1000,
    }).ecf;
    expect(e43.Encabezado).toMatchObject({ Totales: { MontoExento: 1000, MontoTotal: 1000 } });
    expect(e43.DetallesItems).toMatchObject({ Item: [{ IndicadorFacturacion: 4 }] });
    expect(() => buildDocument('43', e43, { fechaHoraFirma: FIXTURE_SIGNED_AT })).not.toThrow();
    expect(
      detailsOf(() => ecfFromFlatRequest({ ...guideExample(), tipoeCF: 43, receiverRnc: undefined })),
    ).toEqual([expect.objectContaining({ path: 'taxAmount', rule: 'flat-field' })]);
  });

  it('derives per-rate totals for mixed lines', () => {
    const { ecf } = ecfFromFlatRequest({
      ...guideExample(),
      subtotal: 1500,
      taxAmount: 180,
      totalAmount: 1680,
      lines: [
        { description: 'Gravado', quantity: 1, unitPrice: 1000, lineTotal: 1000 },
        { description: 'Exento', quantity: 1, unitPrice: 500, lineTotal: 500 },
      ],
      ecf: { DetallesItems: { Item: [{}, { IndicadorFacturacion: 4 }] } },
    });
    expect(ecf.Encabezado).toMatchObject({
      Totales: {
        MontoGravadoTotal: 1000,
        MontoGravadoI1: 1000,
        MontoExento: 500,
        ITBIS1: 18,
        TotalITBIS: 180,
        TotalITBIS1: 180,
        MontoTotal: 1680,
      },
    });
    expect(() => buildDocument('31', ecf, { fechaHoraFirma: FIXTURE_SIGNED_AT })).not.toThrow();
  });

  it('documents its defaults', () => {
    expect(DEFAULTS.map((d) => d.path)).toContain('Encabezado.IdDoc.FechaVencimientoSecuencia');
  });
});
