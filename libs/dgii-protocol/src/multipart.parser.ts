export interface MultipartPart {
  name: string;
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function boundaryOf(contentType: string): string | undefined {
  if (!/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return (match?.[1] ?? match?.[2])?.trim();
}

function parseHeaders(block: string): { name?: string; fileName?: string; contentType?: string } {
  const out: { name?: string; fileName?: string; contentType?: string } = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-disposition') {
      out.name =
        /(?:^|;)\s*name="([^"]*)"/i.exec(value)?.[1] ?? /(?:^|;)\s*name=([^;]+)/i.exec(value)?.[1]?.trim();
      out.fileName =
        /(?:^|;)\s*filename="([^"]*)"/i.exec(value)?.[1] ??
        /(?:^|;)\s*filename=([^;]+)/i.exec(value)?.[1]?.trim();
    } else if (header === 'content-type') {
      out.contentType = value;
    }
  }
  return out;
}

/**
 * A small multipart/form-data reader (RFC 7578) for DGII-style upload routes (sandbox,
 * receptor): parts with their name, file name and bytes. Returns a problem text when the body is not multipart.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] | string {
  const boundary = boundaryOf(contentType);
  if (!boundary) return 'Content-Type must be multipart/form-data with a boundary';
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) return 'Multipart body cannot be empty';
  const parts: MultipartPart[] = [];
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    if (!body.subarray(at, at + 2).equals(CRLF)) return 'Malformed multipart body';
    at += 2;
    const headerEnd = body.indexOf(HEADER_END, at);
    if (headerEnd < 0) return 'Malformed multipart part headers';
    const headers = parseHeaders(body.subarray(at, headerEnd).toString('utf8'));
    const dataStart = headerEnd + HEADER_END.length;
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), dataStart);
    if (next < 0) return 'Multipart body is truncated';
    if (headers.name !== undefined) {
      parts.push({
        name: headers.name,
        fileName: headers.fileName,
        contentType: headers.contentType,
        data: body.subarray(dataStart, next),
      });
    }
    at = next + CRLF.length;
  }
}
