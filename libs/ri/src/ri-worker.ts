import { parentPort } from 'node:worker_threads';
import { DomainError } from '@app/common';
import { generateRi, RiRequest } from './ri-generate';

/**
 * The RI worker thread (issue 12 §3): verifying, reading and drawing a 1,000-line e-CF takes
 * hundreds of milliseconds of CPU, which must not block the API's event loop.
 */
export interface RiWorkerRequest {
  id: number;
  request: RiRequest;
}

export type RiWorkerReply =
  | { id: number; ok: true; result: Omit<Awaited<ReturnType<typeof generateRi>>, 'pdf'>; pdf: Uint8Array }
  | { id: number; ok: false; invalid: boolean; message: string };

parentPort?.on('message', ({ id, request }: RiWorkerRequest) => {
  generateRi(request).then(
    ({ pdf, ...result }) => {
      const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
      parentPort?.postMessage({ id, ok: true, result, pdf: bytes } satisfies RiWorkerReply);
    },
    (error: unknown) => {
      const invalid = error instanceof DomainError && error.code === 'RI_DOCUMENT_INVALID';
      const message = invalid ? (error as Error).message : 'the RI could not be drawn';
      parentPort?.postMessage({ id, ok: false, invalid, message } satisfies RiWorkerReply);
    },
  );
});
