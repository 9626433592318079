import { buildDocument } from '../builder';
import { makeEcf } from '@app/testing';
import { rfceFromEcf32 } from './rfce-from-ecf32';

describe('RFCE from an e-CF 32 (PROTOCOL §5)', () => {
  it('copies only what the RFCE schema has and adds the security code', () => {
    const ecf = makeEcf('32', { scenario: 'additional-taxes' });
    const rfce = rfceFromEcf32(ecf, 'AI7Q2d');
    expect(Object.keys(rfce)).toEqual(['Encabezado']);
    const enc = rfce.Encabezado as Record<string, Record<string, unknown>>;
    expect(Object.keys(enc)).toEqual([
      'Version',
      'IdDoc',
      'Emisor',
      'Comprador',
      'Totales',
      'CodigoSeguridadeCF',
    ]);
    expect(Object.keys(enc.Emisor)).toEqual(['RNCEmisor', 'RazonSocialEmisor', 'FechaEmision']);
    expect(enc.Totales).not.toHaveProperty('ITBIS1');
    expect(enc.Totales.ImpuestosAdicionales).toEqual({
      ImpuestoAdicional: [{ TipoImpuesto: '001', OtrosImpuestosAdicionales: expect.any(Number) }],
    });
    const xml = buildDocument('RFCE', rfce);
    expect(xml).toMatch(/^<RFCE><Encabezado><Version>1.0<\/Version><IdDoc><TipoeCF>32<\/TipoeCF>/);
    expect(xml).toMatch(/<CodigoSeguridadeCF>AI7Q2d<\/CodigoSeguridadeCF><\/Encabezado><\/RFCE>$/);
  });

  it('keeps the anonymous buyer as the one allowed empty element', () => {
    const xml = buildDocument('RFCE', rfceFromEcf32(makeEcf('32', { scenario: 'anonymous' }), 'MXrAqV'));
    expect(xml).toContain('</Emisor><Comprador></Comprador><Totales>');
    const { Comprador: _c, ...encabezado } = makeEcf('32', { scenario: 'anonymous' }).Encabezado as Record<
      string,
      unknown
    >;
    expect(
      buildDocument('RFCE', rfceFromEcf32({ ...makeEcf('32'), Encabezado: encabezado }, 'MXrAqV')),
    ).toContain('<Comprador></Comprador>');
  });

  it('refuses an RFCE for an invoice of 250,000 or more', () => {
    expect(() =>
      buildDocument('RFCE', rfceFromEcf32(makeEcf('32', { scenario: 'large-consumo' }), 'MXrAqV')),
    ).toThrow(expect.objectContaining({ details: [expect.objectContaining({ rule: 'rfce-below-250k' })] }));
  });
});
