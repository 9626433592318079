import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** What a receptor route needs from the HTTP request; the body is read only on upload routes. */
export interface ReceptorCall {
  /** The RNC of the URL: `/receptor/{rnc}/fe/...`, or the host `{rnc}.{suffix}` rewritten to it. */
  rnc: string;
  authorization?: string;
  /** The source address, for the per-address rate limit (never logged with a document). */
  ip: string;
  contentType: string;
  /** The raw body, or `too-large` once it passes the limit (reading stops there). */
  body?: Buffer | 'too-large';
}

/** Largest receptor upload read; a 1,000-line e-CF is about 600 KB. */
export const MAX_RECEPTOR_UPLOAD_BYTES = 4 * 1024 * 1024;

async function readBody(req: Request, limit: number): Promise<Buffer | 'too-large'> {
  if (Buffer.isBuffer(req.body)) return req.body.length > limit ? 'too-large' : req.body;
  if (req.readableEnded) return Buffer.alloc(0);
  const declared = Number(req.headers['content-length']);
  // Refuse before reading a byte when the sender says it is too big (issue 10: huge files → 400 fast).
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Binds a receptor request (`@ReceptorCallOf({ upload: true })` reads the multipart body). */
export const ReceptorCallOf = createParamDecorator(
  async (data: { upload?: boolean } | undefined, context: ExecutionContext): Promise<ReceptorCall> => {
    const req = context.switchToHttp().getRequest<Request>();
    const authorization = req.headers.authorization;
    const call: ReceptorCall = {
      rnc: String(req.params.rnc ?? ''),
      authorization: typeof authorization === 'string' ? authorization : undefined,
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      contentType: String(req.headers['content-type'] ?? ''),
    };
    if (data?.upload) call.body = await readBody(req, MAX_RECEPTOR_UPLOAD_BYTES);
    return call;
  },
);
