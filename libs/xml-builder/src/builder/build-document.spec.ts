import { ValidationFailedError, XmlBuildFailedError } from '@app/common';
import { FIXTURE_SIGNED_AT, makeEcf, mergeJson } from '@app/testing';
import { buildDocument, validateDocument } from './build-document';
import { decimalPlaces, exactDecimal, formatDecimal } from './decimal-format';

const xsdOnly = { businessRules: false, fechaHoraFirma: FIXTURE_SIGNED_AT } as const;

function violationsOf(
  kind: Parameters<typeof validateDocument>[0],
  json: Record<string, unknown>,
): unknown[] {
  return validateDocument(kind, json, xsdOnly).violations;
}

describe('buildDocument', () => {
  describe('canonical output', () => {
    const xml = buildDocument('31', makeEcf('31'), { fechaHoraFirma: FIXTURE_SIGNED_AT });

    it('is one compact string: no declaration, attributes, whitespace between tags or self-closing tags', () => {
      expect(xml.startsWith('<ECF><Encabezado>')).toBe(true);
      expect(xml).not.toMatch(/<\?xml|\/>|>\s+</);
      expect(xml).not.toMatch(/<[A-Za-z]+ /);
      expect(xml.endsWith('<FechaHoraFirma>01-04-2026 10:15:00</FechaHoraFirma></ECF>')).toBe(true);
    });

    it('writes elements in XSD order whatever the JSON key order', () => {
      const json = makeEcf('31');
      const reversed = Object.fromEntries(Object.entries(json).reverse());
      const shuffledItem = {
        MontoItem: 115,
        NombreItem: 'x',
        NumeroLinea: 1,
        PrecioUnitarioItem: 115,
        CantidadItem: 1,
        IndicadorFacturacion: 1,
        IndicadorBienoServicio: 1,
      };
      const a = buildDocument('31', reversed, xsdOnly);
      expect(a).toBe(buildDocument('31', json, xsdOnly));
      const b = buildDocument('31', mergeJson(json, { DetallesItems: { Item: [shuffledItem] } }), xsdOnly);
      expect(b).toContain(
        '<Item><NumeroLinea>1</NumeroLinea><IndicadorFacturacion>1</IndicadorFacturacion><NombreItem>x</NombreItem>' +
          '<IndicadorBienoServicio>1</IndicadorBienoServicio><CantidadItem>1.00</CantidadItem>' +
          '<PrecioUnitarioItem>115.0000</PrecioUnitarioItem><MontoItem>115.00</MontoItem></Item>',
      );
    });

    it('escapes text exactly as C14N 1.0 and keeps quotes, non-ASCII and emoji literal', () => {
      const json = mergeJson(makeEcf('31'), {
        Encabezado: { Emisor: { RazonSocialEmisor: 'A & B <c> "d" \'e\' ñ € 😀\r\nx' } },
      });
      expect(buildDocument('31', json, xsdOnly)).toContain(
        '<RazonSocialEmisor>A &amp; B &lt;c&gt; "d" \'e\' ñ € 😀&#xD;\nx</RazonSocialEmisor>',
      );
    });

    it('omits absent, null and empty values and optional containers with nothing inside', () => {
      const json = mergeJson(makeEcf('31'), {
        Encabezado: {
          Emisor: { NombreComercial: null, Sucursal: '' },
          Transporte: {},
          InformacionesAdicionales: { FechaEmbarque: '' },
        },
        Subtotales: { Subtotal: { NumeroSubTotal: null } },
      });
      const out = buildDocument('31', json, xsdOnly);
      expect(out).not.toMatch(/NombreComercial|Sucursal|Transporte|InformacionesAdicionales|Subtotales/);
    });

    it('writes <Comprador></Comprador> for an anonymous e-CF 32, given as {} or left out', () => {
      const anonymous = makeEcf('32', { scenario: 'anonymous' });
      expect(buildDocument('32', anonymous, xsdOnly)).toContain('</Emisor><Comprador></Comprador><Totales>');
      const { Comprador: _c, ...encabezado } = anonymous.Encabezado as Record<string, unknown>;
      expect(buildDocument('32', { ...anonymous, Encabezado: encabezado }, xsdOnly)).toContain(
        '<Comprador></Comprador>',
      );
    });

    it('accepts a single object where the schema allows a list', () => {
      const json = mergeJson(makeEcf('31', { lines: 1 }), {
        Encabezado: { Emisor: { TablaTelefonoEmisor: { TelefonoEmisor: '809-555-0199' } } },
      });
      (json.DetallesItems as Record<string, unknown>).Item = (
        json.DetallesItems as { Item: unknown[] }
      ).Item[0];
      const out = buildDocument('31', json, xsdOnly);
      expect(out).toContain(
        '<TablaTelefonoEmisor><TelefonoEmisor>809-555-0199</TelefonoEmisor></TablaTelefonoEmisor>',
      );
      expect(out.match(/<Item>/g)).toHaveLength(1);
    });

    it('writes numbers per type: 2 decimals for amounts, 4 for prices and exchange rates, enumeration literals', () => {
      const json = mergeJson(makeEcf('31', { scenario: 'foreign-currency' }), {
        Encabezado: { Version: 1, IdDoc: { TipoIngresos: 1 }, OtraMoneda: { TipoCambio: '58.1234' } },
      });
      const out = buildDocument('31', json, xsdOnly);
      expect(out).toContain('<Version>1.0</Version>');
      expect(out).toContain('<TipoIngresos>01</TipoIngresos>');
      expect(out).toContain('<TipoCambio>58.1234</TipoCambio>');
      expect(out).toMatch(/<PrecioUnitarioItem>\d+\.\d{4}<\/PrecioUnitarioItem>/);
      expect(out).toMatch(/<MontoTotal>\d+\.\d{2}<\/MontoTotal>/);
    });
  });

  describe('amounts are never rounded: more decimals than the field allows is a 400', () => {
    const base = makeEcf('31', { scenario: 'foreign-currency' });
    const item0 = (base.DetallesItems as { Item: Record<string, unknown>[] }).Item[0];
    it.each([
      ['Encabezado.OtraMoneda.TipoCambio', { Encabezado: { OtraMoneda: { TipoCambio: '58.12345' } } }, 4, 5],
      ['Encabezado.Totales.MontoTotal', { Encabezado: { Totales: { MontoTotal: 1e-7 } } }, 2, 7],
      ['Encabezado.Totales.MontoTotal', { Encabezado: { Totales: { MontoTotal: 5e-324 } } }, 2, 324],
      ['Encabezado.Totales.MontoTotal', { Encabezado: { Totales: { MontoTotal: '1180.001' } } }, 2, 3],
    ])('%s %p → VALIDATION_FAILED naming the field', (path, patch, allowed, has) => {
      const report = validateDocument('31', mergeJson(base, patch), xsdOnly);
      expect(report.characterViolations).toEqual([
        {
          path: `ecf.${path}`,
          rule: 'decimals',
          message: `must have at most ${allowed} decimals (has ${has})`,
        },
      ]);
      expect(() => buildDocument('31', mergeJson(base, patch), xsdOnly)).toThrow(ValidationFailedError);
    });

    it('counts significant decimals only: "1000.5000" is 1000.50', () => {
      const json = mergeJson(base, {
        DetallesItems: { Item: [{ ...item0, PrecioUnitarioItem: '1000.5000' }] },
      });
      expect(validateDocument('31', json, xsdOnly).characterViolations).toEqual([]);
    });

    it('MontoItem 1800.125 is refused, not rounded', () => {
      const json = mergeJson(base, { DetallesItems: { Item: [{ ...item0, MontoItem: 1800.125 }] } });
      expect(validateDocument('31', json, xsdOnly).characterViolations).toEqual([
        expect.objectContaining({ path: 'ecf.DetallesItems.Item[0].MontoItem', rule: 'decimals' }),
      ]);
    });
  });

  describe('decimalPlaces counts significant decimals on the decimal text', () => {
    it.each([
      [1180, 0],
      ['1180.00', 0],
      [1180.1, 1],
      ['1180.10', 1],
      [1800.125, 3],
      [1e-7, 7],
      [5e-324, 324],
      [1e21, 0],
      [0.1 + 0.2, 17],
      ['-0.50', 1],
    ])('%p → %p', (value, places) => {
      expect(decimalPlaces(value)).toBe(places);
    });

    it.each([NaN, Infinity, '1e5', '1,000.00', '', true, null])('%p is not a decimal', (value) => {
      expect(decimalPlaces(value)).toBeUndefined();
    });
  });

  describe('exactDecimal pads what fits and never rounds what does not', () => {
    it.each([
      [1180, 2, { text: '1180.00' }],
      ['1180.5000', 2, { text: '1180.50' }],
      [58.1234, 4, { text: '58.1234' }],
      ['-0.50', 2, { text: '-0.50' }],
      [1800.125, 2, { places: 3 }],
      [1e-7, 2, { places: 7 }],
      ['58.12345', 4, { places: 5 }],
    ])('%p with %p decimals → %p', (value, decimals, expected) => {
      expect(exactDecimal(value, decimals)).toEqual(expected);
    });

    it.each([NaN, '1e5', '', true])('%p is not a decimal', (value) => {
      expect(exactDecimal(value, 2)).toBeUndefined();
    });
  });

  describe('decimal formatting from the decimal string (PROTOCOL §4.2, IT §13)', () => {
    it.each([
      [1.005, 2, '1.01'],
      ['1.005', 2, '1.01'],
      [1.0049, 2, '1.00'],
      [0.1 + 0.2, 2, '0.30'],
      ['9999999999999999.995', 2, '10000000000000000.00'],
      ['12345678901234.565', 2, '12345678901234.57'],
      [1e21, 2, '1000000000000000000000.00'],
      [1.5e-7, 4, '0.0000'],
      [-2.345, 2, '-2.35'],
      [-0.001, 2, '0.00'],
      ['007.5', 2, '7.50'],
      ['.5', 4, '0.5000'],
      [42, 0, '42'],
    ])('%p with %p decimals → %p', (value, decimals, expected) => {
      expect(formatDecimal(value, decimals)).toBe(expected);
    });

    it.each([NaN, Infinity, '1e5', '1,000.00', ' 1', '', '.', true, null])('refuses %p', (value) => {
      expect(formatDecimal(value, 2)).toBeUndefined();
    });
  });

  describe('violations (every one, with its JSON path)', () => {
    const base = makeEcf('31');
    const at = (patch: Record<string, unknown>, kind: '31' | '32' | '43' = '31') =>
      violationsOf(kind, mergeJson(kind === '31' ? base : makeEcf(kind), patch));

    it.each([
      ['xsd:pattern', { Encabezado: { Emisor: { RNCEmisor: '1234' } } }, 'ecf.Encabezado.Emisor.RNCEmisor'],
      ['xsd:enumeration', { Encabezado: { IdDoc: { TipoPago: 9 } } }, 'ecf.Encabezado.IdDoc.TipoPago'],
      [
        'xsd:maxLength',
        { Encabezado: { Emisor: { RazonSocialEmisor: 'x'.repeat(151) } } },
        'ecf.Encabezado.Emisor.RazonSocialEmisor',
      ],
      [
        'xsd:minLength',
        {
          InformacionReferencia: {
            NCFModificado: 'E3100',
            FechaNCFModificado: '01-01-2026',
            CodigoModificacion: 4,
          },
        },
        'ecf.InformacionReferencia.NCFModificado',
      ],
      [
        'xsd:minExclusive',
        { Encabezado: { OtraMoneda: { TipoCambio: 0 } } },
        'ecf.Encabezado.OtraMoneda.TipoCambio',
      ],
      [
        'xsd:minInclusive',
        {
          DetallesItems: {
            Item: [{ ...(base.DetallesItems as { Item: object[] }).Item[0], NumeroLinea: 0 }],
          },
        },
        'ecf.DetallesItems.Item[0].NumeroLinea',
      ],
      [
        'xsd:maxInclusive',
        {
          DetallesItems: {
            Item: [{ ...(base.DetallesItems as { Item: object[] }).Item[0], NumeroLinea: 1001 }],
          },
        },
        'ecf.DetallesItems.Item[0].NumeroLinea',
      ],
      ['xsd:type', { Encabezado: { Totales: { MontoTotal: 'mil' } } }, 'ecf.Encabezado.Totales.MontoTotal'],
      ['xsd:type', { Encabezado: { IdDoc: { TipoPago: 1.5 } } }, 'ecf.Encabezado.IdDoc.TipoPago'],
      [
        'xsd:type',
        { Encabezado: { Emisor: { RazonSocialEmisor: { nested: true } } } },
        'ecf.Encabezado.Emisor.RazonSocialEmisor',
      ],
      ['xsd:type', { Encabezado: { Emisor: 'Comercial' } }, 'ecf.Encabezado.Emisor'],
      [
        'xsd:minOccurs',
        { Encabezado: { Emisor: { RazonSocialEmisor: null } } },
        'ecf.Encabezado.Emisor.RazonSocialEmisor',
      ],
      ['xsd:minOccurs', { DetallesItems: { Item: [] } }, 'ecf.DetallesItems.Item'],
      [
        'xsd:maxOccurs',
        {
          Encabezado: {
            Emisor: {
              TablaTelefonoEmisor: {
                TelefonoEmisor: ['809-555-0001', '809-555-0002', '809-555-0003', '809-555-0004'],
              },
            },
          },
        },
        'ecf.Encabezado.Emisor.TablaTelefonoEmisor.TelefonoEmisor',
      ],
      [
        'xsd:maxOccurs',
        { Encabezado: { Emisor: { RNCEmisor: ['131793916'] } } },
        'ecf.Encabezado.Emisor.RNCEmisor',
      ],
      [
        'xsd:unknown-element',
        { Encabezado: { Emisor: { RncEmisor: '131793916' } } },
        'ecf.Encabezado.Emisor.RncEmisor',
      ],
      ['xsd:type', { Subtotales: { Subtotal: [{}] } }, 'ecf.Subtotales.Subtotal[0]'],
      ['xsd:fixed', { FechaHoraFirma: '01-01-2020 00:00:00' }, 'ecf.FechaHoraFirma'],
    ])('%s at %j', (rule, patch, path) => {
      expect(at(patch)).toContainEqual(expect.objectContaining({ rule, path }));
    });

    it('reports totalDigits and fractionDigits in value space', () => {
      const many = violationsOf(
        '31',
        mergeJson(base, { Encabezado: { Totales: { MontoTotal: '12345678901234567.00' } } }),
      );
      expect(many).toContainEqual(
        expect.objectContaining({ path: 'ecf.Encabezado.Totales.MontoTotal', rule: 'xsd:pattern' }),
      );
    });

    it('suggests the right spelling of a mistyped element', () => {
      expect(at({ Encabezado: { Emisor: { RncEmisor: '131793916' } } })).toContainEqual(
        expect.objectContaining({ message: expect.stringContaining('did you mean RNCEmisor?') }),
      );
    });

    it('indexes repeated elements from 0', () => {
      const json = makeEcf('31', { lines: 5 });
      (json.DetallesItems as { Item: Record<string, unknown>[] }).Item[3].CantidadItem = -2;
      expect(violationsOf('31', json)).toEqual([
        {
          path: 'ecf.DetallesItems.Item[3].CantidadItem',
          message: expect.stringContaining('pattern'),
          rule: 'xsd:pattern',
        },
      ]);
    });

    it('rejects what the type has not (Comprador in 43) and requires FechaHoraFirma', () => {
      expect(at({ Encabezado: { Comprador: { RNCComprador: '130000001' } } }, '43')).toContainEqual(
        expect.objectContaining({ path: 'ecf.Encabezado.Comprador', rule: 'xsd:unknown-element' }),
      );
      expect(validateDocument('31', base, { businessRules: false }).violations).toEqual([
        { path: 'ecf.FechaHoraFirma', message: 'is required', rule: 'xsd:minOccurs' },
      ]);
    });

    it('rejects a document that is not an object', () => {
      expect(validateDocument('31', [] as unknown as Record<string, unknown>).violations).toEqual([
        expect.objectContaining({ path: 'ecf', rule: 'xsd:type' }),
      ]);
    });

    it('uses the path prefix it is given', () => {
      const report = validateDocument('31', mergeJson(base, { Encabezado: { IdDoc: { TipoPago: 9 } } }), {
        ...xsdOnly,
        pathPrefix: 'doc',
      });
      expect(report.violations[0].path).toBe('doc.Encabezado.IdDoc.TipoPago');
    });
  });

  describe('errors', () => {
    it('throws XmlBuildFailedError (422) with every violation, XSD and business rules together', () => {
      const json = mergeJson(makeEcf('31'), {
        Encabezado: { IdDoc: { TipoPago: 9 }, Totales: { MontoTotal: 1 } },
      });
      let error: unknown;
      try {
        buildDocument('31', json, { fechaHoraFirma: FIXTURE_SIGNED_AT });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(XmlBuildFailedError);
      expect((error as XmlBuildFailedError).code).toBe('XML_BUILD_FAILED');
      expect((error as XmlBuildFailedError).details.map((d) => d.rule)).toEqual([
        'xsd:enumeration',
        'monto-total',
      ]);
    });

    it.each([
      ...['\u0000', '\u0008', '\uFFFE', '\uD800', '\u0085', '\u2028', '\u2029'],
      // Bidirectional controls (issue 7 §2).
      ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'],
    ])('throws ValidationFailedError (400) for U+%s', (ch) => {
      const json = mergeJson(makeEcf('31'), { Encabezado: { Emisor: { RazonSocialEmisor: `A${ch}B` } } });
      expect(() => buildDocument('31', json, { fechaHoraFirma: FIXTURE_SIGNED_AT })).toThrow(
        ValidationFailedError,
      );
      expect(validateDocument('31', json, xsdOnly).characterViolations).toEqual([
        expect.objectContaining({ path: 'ecf.Encabezado.Emisor.RazonSocialEmisor', rule: 'xml:char' }),
      ]);
    });
  });
});
