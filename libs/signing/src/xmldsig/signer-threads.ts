import { KeyObject, sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** One rsa-sha256 signature to make; `done` gets the signature or the error, exactly once. */
export interface RsaSignJob {
  readonly data: Buffer;
  readonly key: KeyObject;
  done(error: Error | null, signature?: Buffer): void;
}

/**
 * The thread's whole program: sign what arrives, one message at a time, and answer with the
 * signature. The key comes with each job (a KeyObject is cloned to the thread as a handle on the
 * same key, never exported) and is gone with the message: the thread keeps no key.
 */
const SIGNER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
parentPort.on('message', (job) => {
  let answer;
  try {
    answer = { id: job.id, signature: sign('sha256', job.data, job.key) };
  } catch (error) {
    answer = { id: job.id, error: String((error && error.message) || error) };
  }
  parentPort.postMessage(answer);
});
`;

interface SignerAnswer {
  id: number;
  signature?: Uint8Array;
  error?: string;
}

/** A thread with nothing to sign for this long ends; the next signature starts one again. */
const DEFAULT_IDLE_MS = 10_000;

/** Starts one signer thread running SIGNER_SOURCE; replaceable in tests. */
export type StartWorker = () => Worker;

const startSignerWorker: StartWorker = () =>
  new Worker(SIGNER_SOURCE, { eval: true, name: 'fiscaliacore-signer' });

/** Signer threads unless configured (`SIGNING_THREADS`): every core but the event loop's. */
export function defaultSignerThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

class SignerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, RsaSignJob>();
  private idleTimer?: NodeJS.Timeout;
  private ended = false;
  /** Whether it ever answered: a thread that ends before its first answer could not start. */
  answeredOnce = false;

  constructor(
    startWorker: StartWorker,
    private readonly idleMs: number,
    private readonly onEnd: (thread: SignerThread, unanswered: RsaSignJob[]) => void,
  ) {
    this.worker = startWorker();
    this.worker.on('message', (answer: SignerAnswer) => this.answered(answer));
    this.worker.on('error', () => this.end());
    this.worker.on('exit', () => this.end());
    this.idle();
  }

  get load(): number {
    return this.pending.size;
  }

  post(id: number, job: RsaSignJob): void {
    this.pending.set(id, job);
    if (this.pending.size === 1) {
      clearTimeout(this.idleTimer);
      this.worker.ref();
    }
    try {
      this.worker.postMessage({ id, data: job.data, key: job.key });
    } catch (error) {
      this.pending.delete(id);
      if (this.pending.size === 0) this.idle();
      job.done(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private answered(answer: SignerAnswer): void {
    const job = this.pending.get(answer.id);
    if (!job) return;
    this.answeredOnce = true;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.idle();
    const { signature } = answer;
    if (signature) job.done(null, Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength));
    else job.done(new Error(answer.error ?? 'the signer thread gave no signature'));
  }

  /** Nothing in flight: the thread no longer keeps the process alive, and ends after idleMs. */
  private idle(): void {
    this.worker.unref();
    clearTimeout(this.idleTimer);
    if (Number.isFinite(this.idleMs))
      this.idleTimer = setTimeout(() => void this.worker.terminate(), this.idleMs).unref();
  }

  /** Ends the thread; what it still holds is signed on the pool (see `end`). */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  /** Idle end, crash or failed start: what it still held goes back to the caller, unanswered. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    const unanswered = [...this.pending.values()];
    this.pending.clear();
    this.onEnd(this, unanswered);
  }
}

/**
 * Where the process makes its RSA signatures: on threads of its own, each signing one document at
 * a time, so the event loop keeps a core (PROTOCOL §3.1 signatures are a millisecond of CPU each on
 * a slow core). libuv's pool did it before: it ran every request's signature at once on up to four
 * threads, which took both cores of a 2-core host from the event loop, and its `dns.lookup`, file
 * reads and `.p12` PBKDF2 queued behind signatures. bench:http measured one signer thread against
 * the pool on 2 cores: 5 of 6 interleaved pairs faster, about +14% dry-run req/s (median).
 *
 * Threads start on the first signature and end when idle (a server keeps them until it closes,
 * see `signerThreadsOfProcess`). If a thread cannot start, or ends with
 * signatures in hand, those and (after a failed start) all later ones go to libuv's pool, so a
 * signature never fails for want of a thread.
 */
export class SignerThreads {
  private readonly threads: SignerThread[] = [];
  private nextId = 0;
  private spawnFailed = false;

  constructor(
    private size: number = defaultSignerThreads(),
    private idleMs = DEFAULT_IDLE_MS,
    private readonly startWorker: StartWorker = startSignerWorker,
  ) {
    SignerThreads.check(size);
  }

  private static check(size: number): void {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('signer threads must be an integer ≥ 1');
  }

  /** Threads running now, and signatures each holds. */
  get running(): number[] {
    return this.threads.map((t) => t.load);
  }

  /** Threads beyond `size` end now; what they hold is signed on the pool. */
  resize(size: number): void {
    SignerThreads.check(size);
    this.size = size;
    for (const extra of this.threads.slice(size)) void extra.close();
  }

  /** How long a thread with nothing to sign lives (Infinity: until `close`); for threads started from now on. */
  set idleLifetimeMs(ms: number) {
    if (!(ms > 0)) throw new RangeError('idle lifetime must be > 0 ms');
    this.idleMs = ms;
  }

  /** Starts every thread now (a server's boot), so no request pays a thread's start. */
  warm(): void {
    while (this.threads.length < this.size && !this.spawnFailed) if (!this.spawn()) break;
  }

  /** Ends every thread (a server's shutdown); the next signature starts one again. */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }

  submit(job: RsaSignJob): void {
    const thread = this.pick();
    if (thread) thread.post(++this.nextId, job);
    else this.onPool(job);
  }

  /** The least loaded thread, starting one while there are fewer than `size` and all are busy. */
  private pick(): SignerThread | undefined {
    let best: SignerThread | undefined;
    for (const t of this.threads) if (!best || t.load < best.load) best = t;
    if ((best && best.load === 0) || this.threads.length >= this.size || this.spawnFailed) return best;
    return this.spawn() ?? best;
  }

  private spawn(): SignerThread | undefined {
    try {
      const thread = new SignerThread(this.startWorker, this.idleMs, (ended, unanswered) => {
        const i = this.threads.indexOf(ended);
        if (i >= 0) this.threads.splice(i, 1);
        if (!ended.answeredOnce && unanswered.length > 0) this.spawnFailed = true;
        // RSA PKCS#1 v1.5 is deterministic: signing again gives the same bytes.
        for (const job of unanswered) this.onPool(job);
      });
      this.threads.push(thread);
      return thread;
    } catch {
      this.spawnFailed = true;
      return undefined;
    }
  }

  private onPool(job: RsaSignJob): void {
    try {
      sign('sha256', job.data, job.key, (error, signature) => job.done(error, signature));
    } catch (error) {
      job.done(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/**
 * The process's signer threads. A library user gets threads that end after 10 s idle; a server
 * calls `configureSignerThreads` and `warmSignerThreads` at boot, keeps them for its lifetime (a
 * cold thread adds ~50 ms to its first signature) and ends them with `closeSignerThreads`.
 */
const signerThreads = new SignerThreads();

export function signerThreadsOfProcess(): SignerThreads {
  return signerThreads;
}

export function configureSignerThreads(options: { threads?: number; idleMs?: number }): void {
  if (options.threads !== undefined) signerThreads.resize(options.threads);
  if (options.idleMs !== undefined) signerThreads.idleLifetimeMs = options.idleMs;
}

export function warmSignerThreads(): void {
  signerThreads.warm();
}

export function closeSignerThreads(): Promise<void> {
  return signerThreads.close();
}
