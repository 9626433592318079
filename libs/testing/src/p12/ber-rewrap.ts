/**
 * Re-encodes a DER PFX in BER the way Windows and Java write it: indefinite lengths for the PFX,
 * the authSafe ContentInfo and its [0], and the content OCTET STRING split into constructed chunks.
 * The bytes inside the chunks (the SafeContents) and the MacData are untouched, so the MAC still holds.
 */

interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  body: number;
  /** Offset just past the content. */
  end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  if (at + 2 > der.length) throw new Error('DER: truncated header');
  const tag = der[at];
  let length = der[at + 1];
  let body = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: indefinite or oversized length');
    length = der.readUIntBE(body, count);
    body += count;
  }
  const end = body + length;
  if (end > der.length) throw new Error('DER: length past the end');
  return { tag, start: at, body, end };
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function expect(tlv: Tlv, tag: number, what: string): Tlv {
  if (tlv.tag !== tag) throw new Error(`DER: ${what} has tag 0x${tlv.tag.toString(16)}`);
  return tlv;
}

const EOC = Buffer.from([0x00, 0x00]);

export function berRewrapPfx(der: Buffer, chunkSize = 500): Buffer {
  const pfx = expect(readTlv(der, 0), 0x30, 'PFX');
  const version = expect(readTlv(der, pfx.body), 0x02, 'version');
  const authSafe = expect(readTlv(der, version.end), 0x30, 'authSafe');
  const contentType = expect(readTlv(der, authSafe.body), 0x06, 'contentType');
  const explicit = expect(readTlv(der, contentType.end), 0xa0, 'content [0]');
  const octets = expect(readTlv(der, explicit.body), 0x04, 'content OCTET STRING');
  const content = der.subarray(octets.body, octets.end);
  const macData = der.subarray(authSafe.end, pfx.end);

  const chunks: Buffer[] = [];
  for (let i = 0; i < content.length; i += chunkSize) {
    const piece = content.subarray(i, i + chunkSize);
    chunks.push(Buffer.from([0x04]), derLength(piece.length), piece);
  }
  return Buffer.concat([
    Buffer.from([0x30, 0x80]),
    der.subarray(version.start, version.end),
    Buffer.from([0x30, 0x80]),
    der.subarray(contentType.start, contentType.end),
    Buffer.from([0xa0, 0x80, 0x24, 0x80]),
    ...chunks,
    EOC, // constructed OCTET STRING
    EOC, // [0]
    EOC, // authSafe ContentInfo
    macData,
    EOC, // PFX
  ]);
}
