import { webcrypto } from 'node:crypto';
import { ManualClock } from '@app/common';
import { RedisConnection } from '@app/redis';
import { deleteKeysUnder, keysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { signingIdentityOf, unlockP12, UnlockedP12 } from '@app/signing';
import { p12, passwordFor } from '@app/testing';
import { RedisSessionStore } from './redis-session.store';
import { dgiiCacheKeyOf, Session } from './session';
import { hashToken, mintSessionToken } from './session-token';
import { SessionEviction } from './session.store';
import { describeSessionStoreContract, SessionKeyMaterial } from './testing/session-store.contract';

const PREFIX = uniqueRedisPrefix('sessions');
const VARIANT = 'rsa2048-modern';
let unlocked: UnlockedP12;
const connections: RedisConnection[] = [];

beforeAll(async () => {
  unlocked = await unlockP12(p12(VARIANT), passwordFor(VARIANT), { keepPkcs8: true });
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await deleteKeysUnder(PREFIX);
});

async function storeOn(clock: ManualClock, prefix = PREFIX): Promise<RedisSessionStore> {
  const connection = await testRedisConnection(prefix);
  connections.push(connection);
  return new RedisSessionStore(connection, clock);
}

const material = (): SessionKeyMaterial => ({
  pkcs8: unlocked.pkcs8 ?? new Uint8Array(0),
  certificates: [unlocked.certificate.raw, ...unlocked.chain.map((c) => c.raw)],
});

// Each test gets its own prefix, so the contract's fixed token hashes never meet.
describeSessionStoreContract(
  'RedisSessionStore (real Redis)',
  (clock) => storeOn(clock, `${PREFIX}${Math.random().toString(36).slice(2)}:`),
  (store) => (store as RedisSessionStore).onModuleDestroy(),
  material,
);

describe('RedisSessionStore across replicas', () => {
  let clock: ManualClock;
  let a: RedisSessionStore;
  let b: RedisSessionStore;
  const now = Date.parse('2026-04-23T17:00:00Z');

  beforeEach(async () => {
    clock = new ManualClock(now);
    a = await storeOn(clock);
    b = await storeOn(clock);
  });
  afterEach(() => {
    a.onModuleDestroy();
    b.onModuleDestroy();
  });

  function open(token: string, apiKeyId = 'k1'): { session: Session; token: string } {
    const tokenHash = hashToken(token);
    return {
      token,
      session: {
        tokenHash,
        apiKeyId,
        cacheKey: dgiiCacheKeyOf(apiKeyId, tokenHash),
        identity: signingIdentityOf(unlocked),
        openedAt: now,
        expiresAt: now + 900_000,
      },
    };
  }

  it('a session put on one replica signs on another, with the facts and API key it was opened with', async () => {
    const { session, token } = open(mintSessionToken());
    await a.put(session, { token, ...material() });
    const got = await b.get(session.tokenHash, token);
    expect(got).toMatchObject({ apiKeyId: 'k1', expiresAt: session.expiresAt, cacheKey: session.cacheKey });
    expect(got?.identity.signerCedula).toBe(session.identity.signerCedula);
    expect(got?.identity.privateKey.extractable).toBe(false);
    const data = Buffer.from('firmar');
    const signature = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', got!.identity.privateKey, data);
    const publicKey = await webcrypto.subtle.importKey(
      'spki',
      unlocked.certificate.publicKey.export({ type: 'spki', format: 'der' }),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    expect(await webcrypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, signature, data)).toBe(true);
  });

  it('another token, or the record moved under another token hash, opens nothing', async () => {
    const one = open(mintSessionToken());
    const two = open(mintSessionToken());
    await a.put(one.session, { token: one.token, ...material() });
    await a.put(two.session, { token: two.token, ...material() });
    expect(await b.get(one.session.tokenHash, two.token)).toBeUndefined();
    const redis = connections[connections.length - 1].client;
    const record = await redis.getBuffer(`${PREFIX}session:${one.session.tokenHash}`);
    await redis.set(`${PREFIX}session:${two.session.tokenHash}`, record!);
    expect(await b.get(two.session.tokenHash, two.token)).toBeUndefined();
    expect(await b.get(two.session.tokenHash, one.token)).toBeUndefined();
  });

  it('closing on one replica ends it on the other and tells its listeners (ids only)', async () => {
    const { session, token } = open(mintSessionToken());
    await a.put(session, { token, ...material() });
    expect(await b.get(session.tokenHash, token)).toBeDefined();
    const heard: SessionEviction[] = [];
    b.onEvicted((e) => heard.push(e));
    await a.delete(session.tokenHash);
    // Even before the published eviction arrives, the existence check refuses it.
    expect(await b.get(session.tokenHash, token)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([{ tokenHash: session.tokenHash, apiKeyId: 'k1' }]);
  });

  it('the record holds no key, certificate, token or API key id in the clear', async () => {
    const { session, token } = open(mintSessionToken(), 'api-key-id-visible?');
    await a.put(session, { token, ...material() });
    const keys = await keysUnder(PREFIX);
    const record = keys.get(`${PREFIX}session:${session.tokenHash}`);
    expect(record).toBeDefined();
    const needles = [
      unlocked.pkcs8!.subarray(0, 64),
      unlocked.certificate.raw.subarray(0, 64),
      Buffer.from(token),
      Buffer.from('api-key-id-visible?'),
      Buffer.from(session.identity.signerCedula),
    ];
    for (const needle of needles) expect(record!.includes(needle)).toBe(false);
    expect(
      record!.includes(Buffer.from(unlocked.pkcs8!.subarray(0, 64)).toString('base64').slice(0, 40)),
    ).toBe(false);
  });
});
