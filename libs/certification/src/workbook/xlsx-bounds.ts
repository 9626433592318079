import { inflateRawSync } from 'node:zlib';

/**
 * An .xlsx is a zip; exceljs (through JSZip) inflates every part into memory with no bound of
 * its own, so a small upload can expand without limit (a zip bomb). Before exceljs sees the
 * bytes, every entry is inflated here with `maxOutputLength` set to what is left of the budget:
 * inflation stops at the cap instead of trusting the sizes the archive declares.
 */
export interface XlsxBounds {
  /** Largest upload accepted (bytes). */
  readonly maxUploadBytes: number;
  /** Largest sum of every part's inflated size (bytes). */
  readonly maxUncompressedBytes: number;
  /** Most parts an archive may hold. */
  readonly maxEntries: number;
}

export const DEFAULT_XLSX_BOUNDS: XlsxBounds = {
  maxUploadBytes: 5 * 1024 * 1024,
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxEntries: 500,
};

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** Why the bytes cannot be read as a bounded xlsx, or undefined when they can. */
export function xlsxBoundsProblem(
  bytes: Buffer,
  bounds: XlsxBounds = DEFAULT_XLSX_BOUNDS,
): string | undefined {
  if (bytes.length > bounds.maxUploadBytes)
    return `the workbook is larger than ${bounds.maxUploadBytes} bytes`;
  // The end-of-central-directory record is in the last 22 + 65535 bytes (comment length ≤ 65535).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (bytes.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return 'the workbook is not an .xlsx file (no zip directory)';
  const entries = bytes.readUInt16LE(eocd + 10);
  const centralOffset = bytes.readUInt32LE(eocd + 16);
  if (entries > bounds.maxEntries) return `the workbook has more than ${bounds.maxEntries} parts`;
  let budget = bounds.maxUncompressedBytes;
  let at = centralOffset;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      return 'the workbook is not a well-formed .xlsx file';
    const method = bytes.readUInt16LE(at + 10);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const localOffset = bytes.readUInt32LE(at + 42);
    at += 46 + nameLength + extraLength + commentLength;
    if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== LOCAL_SIGNATURE)
      return 'the workbook is not a well-formed .xlsx file';
    const dataStart =
      localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    if (data.length !== compressedSize) return 'the workbook is not a well-formed .xlsx file';
    let size: number;
    if (method === 0) size = compressedSize;
    else if (method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) }).length;
      } catch (error) {
        // By code, not `instanceof RangeError`: node's error may come from another realm (jest's vm).
        return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE'
          ? `the workbook expands to more than ${bounds.maxUncompressedBytes} bytes`
          : 'the workbook is not a well-formed .xlsx file';
      }
    } else return 'the workbook uses a compression .xlsx files do not use';
    budget -= size;
    if (budget < 0) return `the workbook expands to more than ${bounds.maxUncompressedBytes} bytes`;
  }
  return undefined;
}
