import type { IncomingMessage } from 'node:http';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors/domain-error';
import { JsonBodyError, parseStrictJson } from './strict-json.parser';

/**
 * Deepest object/array nesting a request body may have. A full e-CF is under 10 levels deep;
 * without a bound, 2,000 nested arrays overflowed the stack in the validation pipe (a 500).
 */
export const MAX_JSON_DEPTH = 64;

interface MediaType {
  type: string;
  charset?: string;
}

/** `application/json; charset=UTF-8` → {type: 'application/json', charset: 'utf-8'}. */
function mediaTypeOf(header: string | undefined): MediaType | undefined {
  if (header === undefined) return undefined;
  const [type, ...params] = header.split(';');
  const out: MediaType = { type: type.trim().toLowerCase() };
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    out.charset = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return out;
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Content-Type test for the raw body reader: only JSON bodies are read into memory. */
export function isJsonRequest(req: IncomingMessage): boolean {
  const media = mediaTypeOf(req.headers['content-type']);
  return media !== undefined && isJsonType(media.type);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Byte offset of a UTF-16 index in the UTF-8 text (the BOM, when present, counts). */
function byteOffset(text: string, index: number, bom: boolean): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8') + (bom ? 3 : 0);
}

/**
 * Turns the raw bytes of a JSON body into its value, strictly: UTF-8 only (a stray Latin-1 byte
 * used to become U+FFFD and get signed), at most MAX_JSON_DEPTH levels, no duplicate keys, and
 * errors that give a position, never a quote of the body (it may hold a password).
 */
export function decodeJsonBody(raw: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new BadRequestError('request body is not valid UTF-8');
  }
  const bom = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  // An empty body with a JSON Content-Type reads as {}, as express.json did.
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = parseStrictJson(text, maxDepth);
  } catch (error) {
    if (!(error instanceof JsonBodyError)) throw error;
    const at = byteOffset(text, error.index, bom);
    if (error.problem === 'depth') {
      throw new BadRequestError(`request body nests deeper than ${maxDepth} levels (at byte ${at})`);
    }
    if (error.problem === 'duplicate-key') {
      throw new BadRequestError(`request body repeats the key ${error.path} (at byte ${at})`, [
        { path: error.path, message: 'duplicate key', rule: 'duplicate-key' },
      ]);
    }
    throw new BadRequestError(`request body is not valid JSON (at byte ${at})`);
  }
  // As express.json's `strict`: every route takes an object (or an array of them).
  if (typeof value !== 'object' || value === null) {
    throw new BadRequestError('request body must be a JSON object');
  }
  return value;
}

type Next = (error?: unknown) => void;

/**
 * Express middleware after the raw body reader (which leaves a JSON body as a Buffer in
 * `req.body` and honours BODY_LIMIT_BYTES): checks the charset and decodes the bytes. Bodies of
 * other media types stay unread; a JSON route then answers 415 from the validation pipe.
 */
export function jsonBodyMiddleware(
  maxDepth = MAX_JSON_DEPTH,
): (req: IncomingMessage & { body?: unknown }, res: unknown, next: Next) => void {
  return (req, _res, next) => {
    const media = mediaTypeOf(req.headers['content-type']);
    if (media === undefined || !isJsonType(media.type)) {
      next();
      return;
    }
    if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
      next(new UnsupportedMediaTypeError('JSON request bodies must be UTF-8 (charset=utf-8)'));
      return;
    }
    try {
      req.body = Buffer.isBuffer(req.body) ? decodeJsonBody(req.body, maxDepth) : {};
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** What `useStrictJsonBody` needs of a Nest Express app. */
interface BodyParserHost {
  useBodyParser(
    type: 'raw',
    options: { limit: number; type: (req: IncomingMessage) => boolean; inflate: boolean },
  ): unknown;
  use(middleware: ReturnType<typeof jsonBodyMiddleware>): unknown;
}

/**
 * Raw bytes first (BODY_LIMIT_BYTES → 413), then the strict reader: UTF-8 only, bounded depth,
 * no duplicate keys, errors without quotes of the body (issue 7 §2). Other media types stay
 * unread (the sandbox's multipart uploads); a JSON route answers them 415. The app must be
 * created with `bodyParser: false`. Used by the API and the standalone sandbox alike.
 */
export function useStrictJsonBody(app: BodyParserHost, limitBytes: number): void {
  app.useBodyParser('raw', { limit: limitBytes, type: isJsonRequest, inflate: false });
  app.use(jsonBodyMiddleware());
}
