import { randomBytes } from 'node:crypto';

export interface MultipartBody {
  body: Buffer;
  /** `multipart/form-data; boundary=…` */
  contentType: string;
}

const SAFE_FILE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The multipart body of a DGII upload, built in memory so it has a known Content-Length
 * (PROTOCOL §1.2: an unsized stream produced "Multipart cannot be empty"). One file part named
 * `xml`, `Content-Type: text/xml`, the XML bytes exactly as signed.
 */
export function multipartXmlBody(xml: string, fileName: string, boundary?: string): MultipartBody {
  if (!SAFE_FILE_NAME.test(fileName)) {
    throw new Error(`unsafe multipart file name ${JSON.stringify(fileName)}`);
  }
  const content = Buffer.from(xml, 'utf8');
  let mark = boundary ?? `----fiscaliacore${randomBytes(12).toString('hex')}`;
  while (content.includes(`--${mark}`)) mark = `----fiscaliacore${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${mark}\r\n` +
      `Content-Disposition: form-data; name="xml"; filename="${fileName}"\r\n` +
      'Content-Type: text/xml\r\n\r\n',
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${mark}--\r\n`, 'utf8');
  return { body: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${mark}` };
}
