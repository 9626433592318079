/**
 * Memory of N open sessions in the in-memory store (DESIGN §7 target: 10,000 idle sessions
 * < 150 MB of heap). Each session gets its own imported key and parsed certificate, as real
 * sessions do. Run: node --expose-gc -r ts-node/register/transpile-only -r tsconfig-paths/register bench/sessions-memory.bench.ts
 */
import { webcrypto, X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@app/common';
import { signingIdentityOf } from '@app/signing';
import { dgiiCacheKeyOf, hashToken, MemorySessionStore, mintSessionToken, Session } from '@app/sessions';
import globalSetup from '../test/support/global-setup';
import { p12Dir } from '../test/support/shared-dir';

const N = Number(process.env.SESSIONS ?? 10_000);

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

async function main(): Promise<void> {
  await globalSetup();
  const pkcs8 = createPrivateKey(readFileSync(join(p12Dir, 'r2048.key'))).export({
    type: 'pkcs8',
    format: 'der',
  });
  const certPem = readFileSync(join(p12Dir, 'r2048.pem'));
  const clock = new ManualClock(Date.now());
  const store = new MemorySessionStore(clock);

  gc();
  const before = process.memoryUsage();
  for (let i = 0; i < N; i++) {
    const signingKey = await webcrypto.subtle.importKey(
      'pkcs8',
      pkcs8,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const certificate = new X509Certificate(certPem);
    const tokenHash = hashToken(mintSessionToken());
    const session: Session = {
      tokenHash,
      apiKeyId: 'bench',
      cacheKey: dgiiCacheKeyOf('bench', tokenHash),
      identity: signingIdentityOf({ privateKey: signingKey, certificate, keyType: 'rsa' }),
      openedAt: clock.now(),
      expiresAt: clock.now() + 900_000,
    };
    store.put(session);
  }
  gc();
  const after = process.memoryUsage();
  process.stdout.write(
    `${N} sessions: heapUsed +${mb(after.heapUsed - before.heapUsed)} MB, ` +
      `external +${mb(after.external - before.external)} MB, rss +${mb(after.rss - before.rss)} MB ` +
      `(${((after.heapUsed - before.heapUsed) / N / 1024).toFixed(2)} KB heap per session)\n`,
  );
  store.onModuleDestroy();
}

void main();
