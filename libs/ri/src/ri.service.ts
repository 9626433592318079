import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RiDocumentInvalidError } from '@app/common';
import { generateRi, RiRequest, RiResult } from './ri-generate';
import type { RiWorkerReply } from './ri-worker';
import { zipFiles } from './ri-zip';

/**
 * Signed XML above this size (about 100 item lines) is drawn on the worker thread: below it an
 * RI costs a few tens of milliseconds, less than posting it to a thread and back would save.
 */
export const RI_WORKER_MIN_BYTES = 64 * 1024;

/** One PDF of the Paso 5 set: its name in the zip and the portal slot it goes to. */
export interface RiZipFile {
  fileName: string;
  encf: string;
  tipo: string;
  slot: string;
  /** Where it is in the zip: `{slot}/{fileName}`. */
  path: string;
}

/** The worker entry next to this file: `.js` when built, `.ts` under ts-node and Jest. */
function workerEntry(): { file: string; execArgv: string[] } {
  const js = join(__dirname, 'ri-worker.js');
  if (existsSync(js)) return { file: js, execArgv: [] };
  return {
    file: join(__dirname, 'ri-worker.ts'),
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
  };
}

/**
 * The printed representation (issue 12). Small documents are drawn inline; large ones on one
 * lazily started worker thread, so a 1,000-line RI does not block the event loop.
 */
@Injectable()
export class RiService implements OnModuleDestroy {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: RiResult) => void; reject: (e: Error) => void }
  >();

  generate(request: RiRequest): Promise<RiResult> {
    if (Buffer.byteLength(request.signedXml ?? '') < RI_WORKER_MIN_BYTES) return generateRi(request);
    return this.onWorker(request);
  }

  /**
   * Paso 5 of certification (PROTOCOL §10): one RI per document, zipped under DGII-style file
   * names. The certification autopilot calls this with the signed XMLs of a finished run.
   */
  /**
   * The Paso 5 set as one zip (PROTOCOL §10): each PDF under its portal slot, `{slot}/{file}`, so
   * the integrator uploads each folder's file to the slot of that name.
   */
  async generateZip(documents: readonly RiRequest[]): Promise<{ zip: Buffer; files: RiZipFile[] }> {
    const files: (RiZipFile & { pdf: Buffer })[] = [];
    for (const d of documents) {
      const { fileName, encf, tipo, qrUrl, pdf } = await this.generate(d);
      // The portal has two type-32 slots: ≥ RD$250,000 and summarised by RFCE (PROTOCOL §10).
      const slot = tipo === '32' ? (qrUrl.includes('/ConsultaTimbreFC?') ? '32<250k' : '32>=250k') : tipo;
      files.push({ fileName, encf, tipo, slot, path: `${slot}/${fileName}`, pdf });
    }
    return {
      zip: zipFiles(files.map((f) => ({ name: f.path, data: f.pdf }))),
      files: files.map(({ pdf: _pdf, ...file }) => file),
    };
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private onWorker(request: RiRequest): Promise<RiResult> {
    const worker = this.startWorker();
    const id = this.nextId++;
    return new Promise<RiResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
      // Only while a job is pending does the worker keep the process alive.
      worker.ref();
    });
  }

  private startWorker(): Worker {
    if (this.worker) return this.worker;
    const { file, execArgv } = workerEntry();
    const worker = new Worker(file, { execArgv });
    worker.unref();
    worker.on('message', (reply: RiWorkerReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) job.resolve({ ...reply.result, pdf: Buffer.from(reply.pdf) });
      else job.reject(reply.invalid ? new RiDocumentInvalidError(reply.message) : new Error(reply.message));
    });
    const fail = (error: Error): void => {
      // A dead worker fails its jobs (500 INTERNAL_ERROR); the next large RI starts a new one.
      if (this.worker === worker) this.worker = undefined;
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the RI worker stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }
}

export { countPages } from './ri-generate';
