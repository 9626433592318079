import { multipartXmlBody } from './multipart-body';

describe('multipartXmlBody (PROTOCOL §1.2)', () => {
  it('writes one part named xml, text/xml, the exact bytes, and a known length', () => {
    const xml = '<ECF><A>año ñ</A></ECF>';
    const { body, contentType } = multipartXmlBody(xml, '131880738E310000000001.xml', 'BOUNDARY');
    expect(contentType).toBe('multipart/form-data; boundary=BOUNDARY');
    expect(body.toString('utf8')).toBe(
      '--BOUNDARY\r\n' +
        'Content-Disposition: form-data; name="xml"; filename="131880738E310000000001.xml"\r\n' +
        'Content-Type: text/xml\r\n' +
        '\r\n' +
        xml +
        '\r\n--BOUNDARY--\r\n',
    );
    // Content-Length is the byte length, not the character count.
    expect(body.length).toBe(Buffer.byteLength(body.toString('utf8')));
    expect(body.includes(Buffer.from(xml, 'utf8'))).toBe(true);
  });

  it('picks a boundary that does not occur in the document', () => {
    const { body, contentType } = multipartXmlBody('<a>--x</a>', 'semilla.xml');
    const boundary = contentType.split('boundary=')[1];
    expect(boundary).toMatch(/^----fiscaliacore[0-9a-f]{24}$/);
    expect(body.toString().split(`--${boundary}`)).toHaveLength(3);
  });

  it('refuses a file name that could break the part headers', () => {
    expect(() => multipartXmlBody('<a/>', 'x"; name="y.xml')).toThrow(/unsafe/);
  });
});
