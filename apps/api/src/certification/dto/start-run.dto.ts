import type { Request } from 'express';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BadRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationFailedError,
  type ErrorDetail,
} from '@app/common';
import { DGII_ENVIRONMENTS, type DgiiEnvironment } from '@app/config';
import type { RunMode, StartRunOptions } from '@app/certification';
import { parseMultipart } from '@app/dgii-protocol';

/** Room for the multipart envelope and the two text fields around the workbook. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const MODES: readonly RunMode[] = ['validate', 'send'];

/** The multipart body of `POST /api/v1/certification/runs`, for Swagger. */
export class StartRunDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description:
      "DGII's Paso 2 (dataset.xlsx: sheets ECF and RFCE) or Paso 3 (ACECF) workbook, as downloaded",
  })
  workbook!: unknown;

  @ApiPropertyOptional({
    enum: MODES,
    default: 'validate',
    description: 'validate: build, sign and check only; send: validate, then send',
  })
  mode?: RunMode;

  @ApiPropertyOptional({
    enum: DGII_ENVIRONMENTS.filter((e) => e !== 'PRODUCTION'),
    default: 'CERTIFICATION',
    description: 'PRODUCTION is refused (400)',
  })
  environment?: DgiiEnvironment;
}

export interface StartRunUpload {
  workbook: Buffer;
  options: StartRunOptions;
}

async function readBody(req: Request, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new PayloadTooLargeError(`the workbook upload is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The multipart fields → workbook bytes and run options; every problem is a 400 naming the field. */
export function startRunUploadOf(parts: { name: string; data: Buffer; fileName?: string }[]): StartRunUpload {
  const problems: ErrorDetail[] = [];
  const text = (name: string): string | undefined =>
    parts
      .find((p) => p.name === name)
      ?.data.toString('utf8')
      .trim();
  const workbook = parts.find((p) => p.name === 'workbook');
  const known = new Set(['workbook', 'mode', 'environment']);
  for (const p of parts)
    if (!known.has(p.name))
      problems.push({ path: p.name, message: `${p.name} is not a field of this route` });
  const mode = (text('mode') || 'validate') as RunMode;
  if (!MODES.includes(mode)) problems.push({ path: 'mode', message: 'mode must be validate or send' });
  const environment = (text('environment') || 'CERTIFICATION').toUpperCase() as DgiiEnvironment;
  if (!DGII_ENVIRONMENTS.includes(environment))
    problems.push({
      path: 'environment',
      message: `environment must be one of ${DGII_ENVIRONMENTS.join(', ')}`,
    });
  if (!workbook || workbook.data.length === 0)
    problems.push({ path: 'workbook', message: 'workbook (the .xlsx file) is required' });
  if (problems.length)
    throw new ValidationFailedError(
      `request validation failed: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems,
    );
  return { workbook: (workbook as { data: Buffer }).data, options: { mode, environment } };
}

/**
 * Reads the multipart upload (the API registers no multipart parser; the same reader as the
 * sandbox's uploads), at most `maxWorkbookBytes` (CERTIFICATION_MAX_WORKBOOK_BYTES) plus the
 * envelope: 413 past it, 415 when it is not multipart.
 */
export async function readStartRunUpload(req: Request, maxWorkbookBytes: number): Promise<StartRunUpload> {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw new UnsupportedMediaTypeError('the request body must be multipart/form-data with a workbook file');
  const body = await readBody(req, maxWorkbookBytes + MULTIPART_OVERHEAD_BYTES);
  const parts = parseMultipart(body, contentType);
  if (typeof parts === 'string') throw new BadRequestError(`the multipart body could not be read: ${parts}`);
  return startRunUploadOf(parts);
}
