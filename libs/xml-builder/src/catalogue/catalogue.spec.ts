import { describeWithOfficialFiles, hasOfficialFiles, officialDir } from '@app/testing';
import { childElements, findElement, hasElement } from './catalogue';
import type { ElementDef } from './catalogue.types';
import {
  CURRENT_VERSION,
  DOCUMENT_KINDS,
  DOCUMENT_VERSIONS,
  DOCUMENTS,
  ECF_TYPES,
  SIMPLE_TYPES,
} from './ecf-catalogue.generated';
import { kindOfSchemaFile, parseXsdCatalogue, readXsdSources } from './xsd-catalogue.parser';

const xsdDir = officialDir('xsd');

const names = (e: ElementDef | undefined): string[] => (e ? childElements(e).map((c) => c.name) : []);

describe('e-CF catalogue', () => {
  describeWithOfficialFiles(
    'drift check against the official XSDs',
    () => {
      // Skipped without the XSDs; the placeholder only lets it.each declare its (skipped) rows.
      const parsed = hasOfficialFiles('xsd')
        ? parseXsdCatalogue(readXsdSources(xsdDir))
        : ({ documents: { '(no XSDs)': undefined }, simpleTypes: {} } as unknown as ReturnType<
            typeof parseXsdCatalogue
          >);

      it('has exactly the document kinds the schemas define', () => {
        expect([...DOCUMENT_KINDS]).toEqual(Object.keys(parsed.documents));
      });

      it.each(Object.keys(parsed.documents))('document %s matches its schema', (kind) => {
        expect(DOCUMENTS[kind as keyof typeof DOCUMENTS]).toEqual(parsed.documents[kind]);
      });

      it('has every (kind, version) the schemas define, and the newest of each as current', () => {
        expect(DOCUMENT_VERSIONS).toEqual(parsed.versions);
        expect(CURRENT_VERSION).toEqual(
          Object.fromEntries(Object.values(parsed.documents).map((d) => [d.kind, d.schemaVersion])),
        );
      });

      it('has exactly the simple types the schemas define', () => {
        expect(SIMPLE_TYPES).toEqual(parsed.simpleTypes);
      });
    },
    ['xsd'],
  );

  describe('known facts', () => {
    it('lists the ten e-CF types', () => {
      expect([...ECF_TYPES]).toEqual(['31', '32', '33', '34', '41', '43', '44', '45', '46', '47']);
    });

    it('keeps e-CF 31 Item children in XSD order', () => {
      expect(names(findElement('31', ['DetallesItems', 'Item']))).toEqual([
        'NumeroLinea',
        'TablaCodigosItem',
        'IndicadorFacturacion',
        'Retencion',
        'NombreItem',
        'IndicadorBienoServicio',
        'DescripcionItem',
        'CantidadItem',
        'UnidadMedida',
        'CantidadReferencia',
        'UnidadReferencia',
        'TablaSubcantidad',
        'GradosAlcohol',
        'PrecioUnitarioReferencia',
        'FechaElaboracion',
        'FechaVencimientoItem',
        'PrecioUnitarioItem',
        'DescuentoMonto',
        'TablaSubDescuento',
        'RecargoMonto',
        'TablaSubRecargo',
        'TablaImpuestoAdicional',
        'OtraMonedaDetalle',
        'MontoItem',
      ]);
      expect(findElement('31', ['DetallesItems', 'Item'])).toMatchObject({ minOccurs: 1, maxOccurs: 1000 });
    });

    it('gives 34 IndicadorNotaCredito and no FechaVencimientoSecuencia', () => {
      expect(findElement('34', ['Encabezado', 'IdDoc', 'IndicadorNotaCredito'])).toMatchObject({
        minOccurs: 1,
      });
      expect(hasElement('34', 'Encabezado.IdDoc.FechaVencimientoSecuencia')).toBe(false);
      expect(hasElement('32', 'Encabezado.IdDoc.FechaVencimientoSecuencia')).toBe(false);
      expect(hasElement('31', 'Encabezado.IdDoc.IndicadorNotaCredito')).toBe(false);
    });

    it('has no Comprador in 43 and a required, all-optional Comprador in 32 and RFCE', () => {
      expect(hasElement('43', 'Encabezado.Comprador')).toBe(false);
      for (const kind of ['32', 'RFCE'] as const) {
        const comprador = findElement(kind, ['Encabezado', 'Comprador']) as ElementDef;
        expect(comprador.minOccurs).toBe(1);
        expect(childElements(comprador).every((c) => c.minOccurs === 0)).toBe(true);
        expect(names(comprador).slice(0, 2)).toEqual(['RNCComprador', 'IdentificadorExtranjero']);
      }
    });

    it('requires InformacionReferencia in 33/34 only', () => {
      expect(findElement('33', ['InformacionReferencia'])?.minOccurs).toBe(1);
      expect(findElement('34', ['InformacionReferencia'])?.minOccurs).toBe(1);
      expect(findElement('31', ['InformacionReferencia'])?.minOccurs).toBe(0);
    });

    it('ends every e-CF with FechaHoraFirma and the Signature slot', () => {
      for (const kind of ECF_TYPES) {
        const tail = DOCUMENTS[kind].root.children?.slice(-2);
        expect(tail?.[0]).toMatchObject({ kind: 'element', name: 'FechaHoraFirma', minOccurs: 1 });
        expect(tail?.[1]).toEqual({ kind: 'any', minOccurs: 1, maxOccurs: 1 });
      }
      expect(DOCUMENTS.ACECF.root.children?.slice(-1)).toEqual([{ kind: 'any', minOccurs: 0, maxOccurs: 1 }]);
    });

    it('resolves the leading-space type name of e-CF 31', () => {
      expect(findElement('31', ['Encabezado', 'IdDoc', 'IndicadorServicioTodoIncluido'])?.type).toBe(
        'IndicadorServicioTodoIncluidoType',
      );
    });

    it('keeps DGII spellings and root names', () => {
      expect(DOCUMENTS['31'].root.name).toBe('ECF');
      expect(DOCUMENTS.RFCE.root.name).toBe('RFCE');
      expect(DOCUMENTS.Semilla.root.name).toBe('SemillaModel');
      expect(hasElement('ANECF', 'Encabezado.RncEmisor')).toBe(true);
      expect(hasElement('31', 'Subtotales.Subtotal.SubTotaITBIS')).toBe(true);
    });

    it('separates differing redefinitions of one type name', () => {
      expect(findElement('31', ['DetallesItems', 'Item', 'NumeroLinea'])?.type).toBe('NumeroLineaType');
      expect(findElement('33', ['DetallesItems', 'Item', 'NumeroLinea'])?.type).toBe('NumeroLineaType@33');
      expect(SIMPLE_TYPES['NumeroLineaType@33'].maxInclusive).toBe('10000');
      expect(findElement('33', ['DetallesItems', 'Item'])?.maxOccurs).toBe(10000);
    });

    it('derives the decimals to write from each type (PROTOCOL §4.2)', () => {
      const decimalsAt = (kind: '31' | '46', path: string): number | undefined => {
        const type = findElement(kind, path.split('.'))?.type;
        return type === undefined ? undefined : SIMPLE_TYPES[type].decimals;
      };
      expect(decimalsAt('31', 'DetallesItems.Item.MontoItem')).toBe(2);
      expect(decimalsAt('31', 'DetallesItems.Item.PrecioUnitarioItem')).toBe(4);
      expect(decimalsAt('31', 'Encabezado.OtraMoneda.TipoCambio')).toBe(4);
      expect(decimalsAt('31', 'DetallesItems.Item.TablaSubcantidad.SubcantidadItem.Subcantidad')).toBe(3);
      expect(decimalsAt('31', 'Encabezado.Totales.MontoTotal')).toBe(2);
      expect(SIMPLE_TYPES.Decimal18D2Validation.decimals).toBe(2);
    });

    it('keeps enumeration labels from the XSD comments', () => {
      const type = SIMPLE_TYPES.TipoPagoType;
      expect(type.enumeration).toEqual(['1', '2', '3']);
      expect(type.enumerationLabels).toEqual(['Contado', 'Crédito', 'Gratuito']);
    });
  });

  describe('parser', () => {
    const xsd = (body: string): string =>
      `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\r\n${body}\r\n</xs:schema>`;

    it('names kinds after DGII file names', () => {
      expect(kindOfSchemaFile('e-CF-31-v1.0.xsd')).toEqual({ kind: '31', version: '1.0' });
      expect(kindOfSchemaFile('RFCE-32-v1.0.xsd')).toEqual({ kind: 'RFCE', version: '1.0' });
      expect(kindOfSchemaFile('ACECF-v1.0.xsd')).toEqual({ kind: 'ACECF', version: '1.0' });
      expect(kindOfSchemaFile('notes.txt')).toBeUndefined();
    });

    it('reads BOM + CRLF files, choices, inline types and built-ins; newest version wins', () => {
      const body = `<xs:element name="Doc"><xs:complexType><xs:sequence>
        <xs:choice minOccurs="0">
          <xs:element name="A" type="xs:string"/>
          <xs:sequence><xs:element name="B" type="xs:int"/><xs:element name="C" type="xs:date"/></xs:sequence>
        </xs:choice>
        <xs:element name="D" maxOccurs="unbounded"><xs:simpleType><xs:restriction base="xs:decimal">
          <xs:totalDigits value="5"/><xs:fractionDigits value="3"/><xs:pattern value="\\d+(\\.\\d{1,3})?"/>
        </xs:restriction></xs:simpleType></xs:element>
        <xs:any processContents="skip" minOccurs="0"/>
      </xs:sequence></xs:complexType></xs:element>`;
      const data = parseXsdCatalogue([
        { fileName: 'X-v1.0.xsd', text: xsd('<xs:element name="Old" type="xs:string"/>') },
        { fileName: 'X-v1.1.xsd', text: xsd(body) },
      ]);
      const root = data.documents.X.root;
      expect(data.documents.X.schemaVersion).toBe('1.1');
      expect(root.name).toBe('Doc');
      expect(root.children?.[0]).toMatchObject({ kind: 'choice', minOccurs: 0, maxOccurs: 1 });
      expect(root.children?.[1]).toMatchObject({ name: 'D', maxOccurs: 'unbounded', type: 'D~inline' });
      expect(root.children?.[2]).toEqual({ kind: 'any', minOccurs: 0, maxOccurs: 1 });
      expect(data.simpleTypes['D~inline']).toMatchObject({ base: 'decimal', totalDigits: 5, decimals: 3 });
      expect(data.simpleTypes['xs:int']).toEqual({ name: 'xs:int', base: 'int' });
    });

    it('fails loudly on constructs it does not model', () => {
      const attr = `<xs:element name="R"><xs:complexType><xs:sequence/><xs:attribute name="Id"/></xs:complexType></xs:element>`;
      expect(() => parseXsdCatalogue([{ fileName: 'Y-v1.0.xsd', text: xsd(attr) }])).toThrow(
        /one xs:sequence/,
      );
      const unknown = `<xs:element name="R" type="Missing"/>`;
      expect(() => parseXsdCatalogue([{ fileName: 'Y-v1.0.xsd', text: xsd(unknown) }])).toThrow(
        /unknown type/,
      );
    });
  });
});
