import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { MultipartPart, parseMultipart } from '@app/dgii-protocol';

/** Largest upload the sandbox reads; a 1,000-line e-CF is well under it. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** What a sandbox route needs from the HTTP request. */
export interface SandboxCall {
  /** The environment segment as sent (`testecf`, `CerteCF`…); DGII routing ignores case (PROTOCOL §1.1). */
  segment: string;
  path: string;
  authorization?: string;
  query: Readonly<Record<string, string>>;
  /** The multipart parts, or why the body could not be read; only on upload routes. */
  upload?: MultipartPart[] | string;
}

async function readBody(req: Request): Promise<Buffer | string> {
  // Another parser may already have read the stream (a raw body parser in some host app).
  if (Buffer.isBuffer(req.body)) return req.body;
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) return 'Request body too large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const url = new URL(req.originalUrl ?? req.url, 'http://sandbox.invalid');
  // ASP.NET binds query parameters case-insensitively (`trackid`, `trackId`, `TrackId`).
  for (const [key, value] of url.searchParams) out[key.toLowerCase()] = value;
  return out;
}

/**
 * Binds a sandbox request: environment segment, path, Authorization, query, and for upload
 * routes (`@SandboxCallOf({ upload: true })`) the multipart body, read here because the API
 * registers no multipart parser (PROTOCOL §1.2).
 */
export const SandboxCallOf = createParamDecorator(
  async (data: { upload?: boolean } | undefined, context: ExecutionContext): Promise<SandboxCall> => {
    const req = context.switchToHttp().getRequest<Request>();
    const authorization = req.headers.authorization;
    const call: SandboxCall = {
      segment: String(req.params.env ?? ''),
      path: (req.originalUrl ?? req.url).split('?')[0],
      authorization: typeof authorization === 'string' ? authorization : undefined,
      query: queryOf(req),
    };
    if (data?.upload) {
      const body = await readBody(req);
      call.upload =
        typeof body === 'string' ? body : parseMultipart(body, String(req.headers['content-type'] ?? ''));
    }
    return call;
  },
);
