import { multipartXmlBody } from '@app/dgii-gateway';
import { parseMultipart } from './multipart.parser';

describe('parseMultipart', () => {
  it('reads the body the gateway writes, byte for byte', () => {
    const xml = '<ECF><A>año</A></ECF>';
    const { body, contentType } = multipartXmlBody(xml, '131880738E310000000001.xml');
    expect(parseMultipart(body, contentType)).toEqual([
      {
        name: 'xml',
        fileName: '131880738E310000000001.xml',
        contentType: 'text/xml',
        data: Buffer.from(xml),
      },
    ]);
  });

  it('reads several parts and unquoted boundaries', () => {
    const body = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="x.xml"\r\n\r\n<x/>\r\n--b--\r\n',
    );
    const parts = parseMultipart(body, 'multipart/form-data; boundary=b');
    expect(Array.isArray(parts) && parts.map((p) => [p.name, p.fileName, p.data.toString()])).toEqual([
      ['a', undefined, '1'],
      ['file', 'x.xml', '<x/>'],
    ]);
  });

  it('says what is wrong with a body that is not multipart', () => {
    expect(parseMultipart(Buffer.from('{}'), 'application/json')).toMatch(/multipart\/form-data/);
    expect(parseMultipart(Buffer.alloc(0), 'multipart/form-data; boundary=b')).toMatch(/empty/);
    expect(
      parseMultipart(
        Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'),
        'multipart/form-data; boundary=b',
      ),
    ).toMatch(/truncated/);
  });
});
