import { fechaRecepcion, dgiiShapedJwt, semillaFecha, semillaXml, universalSortable } from './dgii-formats';

describe('DGII formats', () => {
  it('writes fechaRecepcion like consulta resultado, in Santo Domingo time', () => {
    expect(fechaRecepcion(Date.parse('2023-08-15T10:06:57Z'))).toBe('8/15/2023 6:06:57 AM');
    expect(fechaRecepcion(Date.parse('2026-10-08T15:22:49Z'))).toBe('10/8/2026 11:22:49 AM');
    expect(fechaRecepcion(Date.parse('2026-01-01T04:00:00Z'))).toBe('1/1/2026 12:00:00 AM');
    expect(fechaRecepcion(Date.parse('2026-01-01T17:30:05Z'))).toBe('1/1/2026 1:30:05 PM');
  });

  it('writes the seed date and the token dates', () => {
    expect(semillaFecha(Date.parse('2022-12-06T14:50:14.968Z'))).toMatch(
      /^2022-12-06T10:50:14\.968\d{4}-04:00$/,
    );
    expect(universalSortable(Date.parse('2022-12-11T01:58:56.123Z'))).toBe('2022-12-11T01:58:56Z');
  });

  it('writes the seed like DGII (declaration, CRLF, indentation)', () => {
    expect(semillaXml('abc', 'f')).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\r\n<SemillaModel xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">\r\n  <valor>abc</valor>\r\n  <fecha>f</fecha>\r\n</SemillaModel>',
    );
  });

  it('issues DGII-shaped JWTs', () => {
    const token = dgiiShapedJwt(
      Buffer.alloc(32),
      '00100000001',
      Date.parse('2022-12-11T01:58:56Z'),
      3_600_000,
    );
    const [, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': '00100000001',
      iss: 'DGII.FE',
      aud: 'USUARIOS.DGII.FE',
      nbf: 1670723936,
      exp: 1670727536,
    });
  });
});
