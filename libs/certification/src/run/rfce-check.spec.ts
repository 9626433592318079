import { checkRfceAgainstSheet } from './rfce-check';

const sheet = {
  Encabezado: {
    Version: '1.0',
    IdDoc: { TipoeCF: '32', eNCF: 'E320000000011' },
    Totales: { MontoTotal: '40120.00' },
  },
};

describe('RFCE against the workbook RFCE row', () => {
  it('accepts the same leaves (decimal-equal), the security code being ours', () => {
    const ours = {
      Encabezado: {
        Version: '1.0',
        IdDoc: { TipoeCF: 32, eNCF: 'E320000000011' },
        Totales: { MontoTotal: '40120' },
        CodigoSeguridadeCF: 'aB3dE9',
      },
    };
    expect(() => checkRfceAgainstSheet(ours, sheet, 'E320000000011')).not.toThrow();
  });

  it('names what differs, what is missing and what is extra', () => {
    const ours = {
      Encabezado: {
        Version: '1.0',
        IdDoc: { TipoeCF: '32', TipoPago: '1' },
        Totales: { MontoTotal: '40120.01' },
      },
    };
    let details: { path?: string }[] = [];
    try {
      checkRfceAgainstSheet(ours, sheet, 'E320000000011');
    } catch (e) {
      details = (e as { details: { path?: string }[] }).details;
      expect(e).toMatchObject({ code: 'XML_BUILD_FAILED' });
    }
    expect(details.map((d) => d.path).sort()).toEqual([
      'rfce.Encabezado.IdDoc.TipoPago',
      'rfce.Encabezado.IdDoc.eNCF',
      'rfce.Encabezado.Totales.MontoTotal',
    ]);
  });
});
