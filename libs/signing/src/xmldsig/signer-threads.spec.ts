import { createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { testIdentity } from '@app/testing';
import {
  closeSignerThreads,
  configureSignerThreads,
  defaultSignerThreads,
  RsaSignJob,
  SignerThreads,
  signerThreadsOfProcess,
  warmSignerThreads,
} from './signer-threads';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const data = (i: number) => Buffer.from(`<SignedInfo>${i}</SignedInfo>`);

function signWith(threads: SignerThreads, bytes: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const job: RsaSignJob = {
      data: bytes,
      key,
      done: (error, signature) => (error ? reject(error) : resolve(signature as Buffer)),
    };
    threads.submit(job);
  });
}

describe('SignerThreads', () => {
  it('signs exactly what node:crypto signs on the event loop, many at once, on at most its threads', async () => {
    const threads = new SignerThreads(2, 200);
    const seen: number[] = [];
    const all = Array.from({ length: 24 }, (_, i) => {
      const p = signWith(threads, data(i), privateKey);
      seen.push(threads.running.length);
      return p;
    });
    const signatures = await Promise.all(all);
    signatures.forEach((s, i) => expect(s.equals(sign('sha256', data(i), privateKey))).toBe(true));
    expect(Math.max(...seen)).toBe(2);
    expect(threads.running.every((load) => load === 0)).toBe(true);
  });

  it('signs with the session key as the signing library holds it (a non-extractable CryptoKey)', async () => {
    const identity = await testIdentity();
    const key = KeyObject.from(identity.privateKey);
    const signature = await signWith(new SignerThreads(1, 200), data(1), key);
    expect(verify('sha256', data(1), identity.certificate.publicKey, signature)).toBe(true);
  });

  it('rejects a key that cannot sign, with the reason, and keeps signing after it', async () => {
    const threads = new SignerThreads(1, 200);
    await expect(signWith(threads, data(1), createPublicKey(privateKey))).rejects.toThrow(/\S/);
    const signature = await signWith(threads, data(2), privateKey);
    expect(signature.equals(sign('sha256', data(2), privateKey))).toBe(true);
  });

  it('ends idle threads and starts one again for the next signature', async () => {
    const threads = new SignerThreads(1, 50);
    await signWith(threads, data(1), privateKey);
    expect(threads.running).toEqual([0]);
    await new Promise((r) => setTimeout(r, 400));
    expect(threads.running).toEqual([]);
    const signature = await signWith(threads, data(2), privateKey);
    expect(signature.equals(sign('sha256', data(2), privateKey))).toBe(true);
  });

  it("starts a server's threads at once, keeps them until closed, then starts again on the next signature", async () => {
    const threads = signerThreadsOfProcess();
    configureSignerThreads({ threads: 2, idleMs: Infinity });
    try {
      warmSignerThreads();
      expect(threads.running).toEqual([0, 0]);
      await signWith(threads, data(7), privateKey);
      await new Promise((r) => setTimeout(r, 300));
      expect(threads.running).toEqual([0, 0]);
      await closeSignerThreads();
      expect(threads.running).toEqual([]);
      const signature = await signWith(threads, data(8), privateKey);
      expect(signature.equals(sign('sha256', data(8), privateKey))).toBe(true);
    } finally {
      await closeSignerThreads();
      configureSignerThreads({ threads: defaultSignerThreads(), idleMs: 10_000 });
    }
  });

  it("signs on libuv's pool when no thread can start", async () => {
    let starts = 0;
    const threads = new SignerThreads(2, 200, () => {
      starts++;
      throw new Error('no threads here');
    });
    const signature = await signWith(threads, data(3), privateKey);
    expect(signature.equals(sign('sha256', data(3), privateKey))).toBe(true);
    await signWith(threads, data(4), privateKey);
    expect(threads.running).toEqual([]);
    expect(starts).toBe(1);
  });

  it('signs again on the pool what a thread held when it died, and keeps to the pool if it never answered', async () => {
    const workers: Worker[] = [];
    const threads = new SignerThreads(1, 200, () => {
      // A thread that takes jobs and never answers, then dies (as an out-of-memory thread would).
      const w = new Worker("require('node:worker_threads').parentPort.on('message', () => {})", {
        eval: true,
      });
      workers.push(w);
      return w;
    });
    const held = signWith(threads, data(5), privateKey);
    await new Promise((r) => setTimeout(r, 100));
    await workers[0].terminate();
    expect((await held).equals(sign('sha256', data(5), privateKey))).toBe(true);
    expect(threads.running).toEqual([]);
    await signWith(threads, data(6), privateKey);
    expect(workers).toHaveLength(1);
  });

  it('ends the threads beyond a smaller size, signing what they held on the pool', async () => {
    const threads = new SignerThreads(3, 60_000);
    const all = Array.from({ length: 6 }, (_, i) => signWith(threads, data(20 + i), privateKey));
    expect(threads.running).toHaveLength(3);
    threads.resize(1);
    const signatures = await Promise.all(all);
    signatures.forEach((s, i) => expect(s.equals(sign('sha256', data(20 + i), privateKey))).toBe(true));
    expect(threads.running).toHaveLength(1);
    await threads.close();
  });

  it('refuses a size that is not a whole number ≥ 1', () => {
    expect(() => new SignerThreads(0)).toThrow(RangeError);
    expect(() => new SignerThreads(1.5)).toThrow(RangeError);
    expect(() => new SignerThreads(1).resize(-1)).toThrow(RangeError);
    expect(() => (new SignerThreads(1).idleLifetimeMs = 0)).toThrow(RangeError);
  });

  it('defaults to every core but one, and at least one', () => {
    expect(defaultSignerThreads(2)).toBe(1);
    expect(defaultSignerThreads(8)).toBe(7);
    expect(defaultSignerThreads(1)).toBe(1);
  });
});
