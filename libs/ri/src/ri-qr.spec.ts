import { ecfQrUrl, rfceQrUrl } from '@app/signing';
import { qrMatrix } from './ri-qr';

describe('the RI QR symbol (PROTOCOL §9.1)', () => {
  const ecfUrl = (montoTotal: string, rncComprador = '130000001') =>
    ecfQrUrl({
      environment: 'certecf',
      rncEmisor: '131793916',
      rncComprador,
      encf: 'E310000000001',
      fechaEmision: '01-04-2026',
      montoTotal,
      fechaFirma: '01-04-2026 10:15:00',
      codigoSeguridad: 'a+/b=C',
    });

  it('is version 8 (49 × 49 modules, level L) for a ConsultaTimbreFC URL', () => {
    const qr = qrMatrix(
      rfceQrUrl({
        environment: 'certecf',
        rncEmisor: '131793916',
        encf: 'E320000000001',
        montoTotal: '249999.99',
        codigoSeguridad: 'a+/b=C',
      }),
    );
    expect(qr.version).toBe(8);
    expect(qr.size).toBe(49);
    expect(qr.dark(0, 0)).toBe(true); // finder pattern corner
  });

  it('takes version 9, never less than 8, for a ConsultaTimbre URL (over the 192 bytes 8-L holds)', () => {
    for (const [total, buyer] of [
      ['1.00', '130000001'],
      ['9999999999999999.99', '40209547971'],
    ]) {
      const url = ecfUrl(total, buyer);
      expect(Buffer.byteLength(url)).toBeGreaterThan(192);
      const qr = qrMatrix(url);
      expect(qr.version).toBe(9);
      expect(qr.size).toBe(53);
    }
  });
});
