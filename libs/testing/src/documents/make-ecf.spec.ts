import { buildDocument, ECF_TYPES } from '@app/xml-builder';
import { allEcfFixtures, ECF_SCENARIOS, FIXTURE_SIGNED_AT, makeEcf } from './make-ecf';

describe('e-CF fixtures', () => {
  it('define at least three scenarios for every e-CF type', () => {
    for (const type of ECF_TYPES) expect(ECF_SCENARIOS[type].length).toBeGreaterThanOrEqual(3);
  });

  it.each(allEcfFixtures().map((f) => [f.type, f.scenario, f.json] as const))(
    'e-CF %s %s builds without violations',
    (type, _scenario, json) => {
      const xml = buildDocument(type, json, { fechaHoraFirma: FIXTURE_SIGNED_AT });
      expect(xml.startsWith('<ECF><Encabezado><Version>1.0</Version>')).toBe(true);
      expect(xml.endsWith(`<FechaHoraFirma>${FIXTURE_SIGNED_AT}</FechaHoraFirma></ECF>`)).toBe(true);
    },
  );

  it('cover the cases the e2e tests need', () => {
    expect(
      (makeEcf('31', { scenario: 'many-lines' }).DetallesItems as { Item: unknown[] }).Item,
    ).toHaveLength(1000);
    expect(makeEcf('32', { scenario: 'anonymous' }).Encabezado).toMatchObject({ Comprador: {} });
    expect(makeEcf('31', { scenario: 'foreign-currency' }).Encabezado).toMatchObject({
      OtraMoneda: { TipoMoneda: 'USD' },
    });
    expect(makeEcf('47').Encabezado).toMatchObject({ Totales: { TotalISRRetencion: expect.any(Number) } });
    expect(makeEcf('34')).toMatchObject({ InformacionReferencia: { NCFModificado: 'E310000000001' } });
    expect(
      buildDocument('31', makeEcf('31', { scenario: 'rich-text' }), { fechaHoraFirma: FIXTURE_SIGNED_AT }),
    ).toContain('&amp; Hijos &lt;Importadora&gt; "La Económica" \'S.R.L.\'');
  });

  it('apply deep patches and reject unknown scenarios', () => {
    const patched = makeEcf('31', {
      patch: { Encabezado: { Emisor: { NombreComercial: undefined, Sucursal: 'Santiago' } } },
    });
    expect(patched.Encabezado).toMatchObject({ Emisor: { Sucursal: 'Santiago' } });
    expect((patched.Encabezado as { Emisor: object }).Emisor).not.toHaveProperty('NombreComercial');
    expect(() => makeEcf('43', { scenario: 'anonymous' })).toThrow(/not defined/);
  });
});
