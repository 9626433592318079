import { ManualClock, MetricsService } from '@app/common';
import { loadConfig } from '@app/config';
import { MemoryRateLimitStore, RateLimiter } from '@app/rate-limit';
import { p12Base64, passwordFor } from '@app/testing';
import { MemorySessionStore } from './memory-session.store';
import { Session } from './session';
import { SessionSecrets } from './session.store';
import { hashToken } from './session-token';
import { SessionsService } from './sessions.service';

/** The seam of issue 13: at open the store gets the key material once, and it is wiped after. */
describe('SessionsService hands the store the key material at open', () => {
  const VARIANT = 'rsa2048-modern-chain';

  it('put receives the token, the PKCS#8 and the leaf-first chain; the PKCS#8 is zeroed after', async () => {
    const clock = new ManualClock(Date.now());
    const config = loadConfig({ NODE_ENV: 'test' });
    const metrics = new MetricsService();
    const limiter = new RateLimiter(new MemoryRateLimitStore(clock), config.rateLimits, metrics);
    const store = new MemorySessionStore(clock);
    const seen: { session: Session; secrets: SessionSecrets; pkcs8AtPut: Buffer }[] = [];
    const put = store.put.bind(store);
    store.put = (session: Session, secrets?: SessionSecrets) => {
      seen.push({ session, secrets: secrets!, pkcs8AtPut: Buffer.from(secrets!.pkcs8) });
      return put(session);
    };
    const service = new SessionsService(store, clock, config, limiter, metrics);
    try {
      const opened = await service.open('k1', p12Base64(VARIANT), passwordFor(VARIANT));
      expect(seen).toHaveLength(1);
      const [{ session, secrets, pkcs8AtPut }] = seen;
      expect(secrets.token).toBe(opened.token);
      expect(session.tokenHash).toBe(hashToken(opened.token));
      expect(pkcs8AtPut.length).toBeGreaterThan(1000);
      expect(secrets.certificates.length).toBeGreaterThan(1);
      expect(Buffer.from(secrets.certificates[0]).equals(session.identity.certificate.raw)).toBe(true);
      // The caller's copy is wiped once the store has it.
      expect(secrets.pkcs8.every((byte) => byte === 0)).toBe(true);
    } finally {
      store.onModuleDestroy();
    }
  });
});
