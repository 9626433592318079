import { ecfQrUrl, rfceQrUrl } from './qr-url';

describe('ecfQrUrl', () => {
  const base = {
    environment: 'certecf' as const,
    rncEmisor: '131880738',
    rncComprador: '131880681',
    encf: 'E310000000002',
    fechaEmision: '01-04-2020',
    montoTotal: '8230.00',
    fechaFirma: '16-05-2023 09:41:07',
    codigoSeguridad: 'AI7Q2d',
  };

  it('lists the parameters in DGII order and percent-encodes the signing date', () => {
    expect(ecfQrUrl(base)).toBe(
      'https://ecf.dgii.gov.do/certecf/ConsultaTimbre?RncEmisor=131880738&RncComprador=131880681' +
        '&ENCF=E310000000002&FechaEmision=01-04-2020&MontoTotal=8230.00' +
        '&FechaFirma=16-05-2023%2009%3A41%3A07&CodigoSeguridad=AI7Q2d',
    );
  });

  it('percent-encodes + and / of a base64 security code', () => {
    const url = ecfQrUrl({ ...base, codigoSeguridad: 'C7+q/V' });
    expect(url.endsWith('&CodigoSeguridad=C7%2Bq%2FV')).toBe(true);
    expect(new URL(url).searchParams.get('CodigoSeguridad')).toBe('C7+q/V');
  });

  it('omits RncComprador when there is no buyer RNC', () => {
    const url = ecfQrUrl({ ...base, rncComprador: undefined });
    expect(url).toContain('ConsultaTimbre?RncEmisor=131880738&ENCF=E310000000002&');
    expect(url).not.toContain('RncComprador');
  });

  it.each(['testecf', 'certecf', 'ecf'] as const)('uses the %s segment', (environment) => {
    expect(ecfQrUrl({ ...base, environment })).toMatch(
      new RegExp(`^https://ecf\\.dgii\\.gov\\.do/${environment}/`),
    );
  });
});

describe('rfceQrUrl', () => {
  it('builds the ConsultaTimbreFC URL with its four parameters', () => {
    expect(
      rfceQrUrl({
        environment: 'ecf',
        rncEmisor: '133470616',
        encf: 'E320000000018',
        montoTotal: '1180.00',
        codigoSeguridad: 'MX/A+q',
      }),
    ).toBe(
      'https://fc.dgii.gov.do/ecf/ConsultaTimbreFC?RncEmisor=133470616&ENCF=E320000000018&MontoTotal=1180.00&CodigoSeguridad=MX%2FA%2Bq',
    );
  });
});
