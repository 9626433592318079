import { buildDocument } from '../builder';
import { dgiiDateTime } from '@app/common';
import { acecfFromRequest, anecfFromRequest, arecfFromRequest } from './receptor-documents';

describe('ACECF / ARECF / ANECF helpers (PROTOCOL §6, §7)', () => {
  const at = new Date(Date.UTC(2026, 3, 24, 18, 5, 9)); // 14:05:09 in Santo Domingo

  it('formats DGII date-times in Dominican time', () => {
    expect(dgiiDateTime(at)).toBe('24-04-2026 14:05:09');
    expect(dgiiDateTime('01-01-2026 00:00:00')).toBe('01-01-2026 00:00:00');
  });

  it('builds an ACECF approval and rejection', () => {
    const request = {
      rncEmisor: '131793916',
      rncComprador: '40209547971',
      eNCF: 'E310000000005',
      fechaEmisionOriginal: '2026-04-24',
      montoTotalOriginal: 35400,
      estado: 1,
    };
    expect(buildDocument('ACECF', acecfFromRequest(request, at))).toBe(
      '<ACECF><DetalleAprobacionComercial><Version>1.0</Version><RNCEmisor>131793916</RNCEmisor><eNCF>E310000000005</eNCF>' +
        '<FechaEmision>24-04-2026</FechaEmision><MontoTotal>35400.00</MontoTotal><RNCComprador>40209547971</RNCComprador>' +
        '<Estado>1</Estado><FechaHoraAprobacionComercial>24-04-2026 14:05:09</FechaHoraAprobacionComercial>' +
        '</DetalleAprobacionComercial></ACECF>',
    );
    const rejected = buildDocument(
      'ACECF',
      acecfFromRequest({ ...request, estado: 2, detalleMotivoRechazo: 'Precio & cantidad' }, at),
    );
    expect(rejected).toContain(
      '<Estado>2</Estado><DetalleMotivoRechazo>Precio &amp; cantidad</DetalleMotivoRechazo>',
    );
    expect(() =>
      buildDocument('ACECF', acecfFromRequest({ ...request, detalleMotivoRechazo: 'x' }, at)),
    ).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ rule: 'acecf-motivo-rechazo' })] }),
    );
  });

  it('builds an ARECF', () => {
    const base = { rncEmisor: '131793916', rncComprador: '40209547971', eNCF: 'E310000000005' };
    expect(buildDocument('ARECF', arecfFromRequest({ ...base, estado: 0 }, at))).toContain(
      '<Estado>0</Estado><FechaHoraAcuseRecibo>',
    );
    expect(
      buildDocument('ARECF', arecfFromRequest({ ...base, estado: 1, codigoMotivoNoRecibido: 2 }, at)),
    ).toContain('<Estado>1</Estado><CodigoMotivoNoRecibido>2</CodigoMotivoNoRecibido>');
  });

  it('builds an ANECF with line numbers and counts', () => {
    const json = anecfFromRequest(
      {
        rncEmisor: '131793916',
        anulaciones: [
          { tipoeCF: 31, rangos: [{ desde: 'E310000000010', hasta: 'E310000000019' }] },
          {
            tipoeCF: 32,
            rangos: [
              { desde: 'E320000000001', hasta: 'E320000000001' },
              { desde: 'E320000000005', hasta: 'E320000000006' },
            ],
          },
        ],
      },
      at,
    );
    const xml = buildDocument('ANECF', json);
    expect(xml).toContain('<RncEmisor>131793916</RncEmisor><CantidadeNCFAnulados>13</CantidadeNCFAnulados>');
    expect(xml).toContain(
      '</TablaRangoSecuenciasAnuladaseNCF><CantidadeNCFAnulados>3</CantidadeNCFAnulados></Anulacion></DetalleAnulacion></ANECF>',
    );
  });
});
