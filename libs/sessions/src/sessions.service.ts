import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import {
  BadRequestError,
  CertificateExpiredError,
  Clock,
  InvalidPasswordError,
  isoSeconds,
  MalformedP12Error,
  MetricsService,
  SessionEvictedError,
} from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RateLimiter } from '@app/rate-limit';
import { P12Error, signingIdentityOf, unlockP12, UnlockedP12 } from '@app/signing';
import { dgiiCacheKeyOf, Session, SessionView, viewOf } from './session';
import { SessionStore } from './session.store';
import { hashToken, mintSessionToken } from './session-token';

export interface OpenedSession extends SessionView {
  token: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes the request's base64 strictly; Buffer.from alone would skip garbage silently. */
function decodeCertificate(encoded: string): Buffer {
  const compact = encoded.replace(/\s+/g, '');
  if (compact.length === 0)
    throw new MalformedP12Error('certificate is empty: send the .p12 bytes, base64-encoded');
  if (BASE64.test(compact)) return Buffer.from(compact, 'base64');
  if (BASE64URL.test(compact)) return Buffer.from(compact, 'base64url');
  throw new MalformedP12Error('certificate is not valid base64: send the raw .p12 bytes, base64-encoded');
}

const P12_MESSAGES: Record<P12Error['reason'], string> = {
  MALFORMED: 'the certificate did not decode into a PKCS#12 keystore',
  CORRUPTED: 'the PKCS#12 keystore is corrupted (the password is right but the content is damaged)',
  UNSUPPORTED: 'the PKCS#12 keystore uses a protection this service refuses',
  NO_PRIVATE_KEY: 'the PKCS#12 keystore holds no private key (certificate-only export?)',
  MULTIPLE_KEYS: 'the PKCS#12 keystore holds more than one private key',
  NO_MATCHING_CERT: 'the PKCS#12 keystore has no certificate matching its private key',
  WRONG_PASSWORD: 'the password does not unlock this PKCS#12 keystore',
  ABORTED: 'the client closed the connection before the session opened',
};

@Injectable()
export class SessionsService {
  private readonly abortedUnlocks: Counter;
  private unlocking = 0;

  constructor(
    @Inject(SessionStore) private readonly store: SessionStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.abortedUnlocks = new Counter({
      name: 'fiscaliacore_p12_unlocks_aborted_total',
      help: '.p12 unlocks stopped because the client disconnected first',
      registers: [metrics.registry],
    });
    metrics.gauge('fiscaliacore_p12_unlocks_in_progress', '.p12 unlocks running now', () => this.unlocking);
    // Each open session holds one of its key's MAX_SESSIONS_PER_KEY slots until it ends.
    // Eviction events carry ids only and may repeat: releasing a slot twice is a no-op.
    store.onEvicted(
      ({ apiKeyId, tokenHash }) =>
        void this.limiter.releaseSession(apiKeyId, tokenHash).catch(() => undefined),
    );
  }

  /**
   * Opens a session. Cheap refusals first (base64, failed-auth limit, session and unlock slots), then
   * the unlock, which stops when `signal` fires (the client went away).
   */
  async open(
    apiKeyId: string,
    certificate: string,
    password: string,
    signal?: AbortSignal,
  ): Promise<OpenedSession> {
    const pfx = decodeCertificate(certificate);
    try {
      await this.limiter.assertAuthAllowed({ apiKeyId });
      const token = mintSessionToken();
      const tokenHash = hashToken(token);
      const ttlMs = this.config.sessionTtlSeconds * 1000;
      const releaseSession = await this.limiter.acquireSession(apiKeyId, tokenHash, ttlMs);
      try {
        return await this.unlockAndStore(apiKeyId, pfx, password, signal, token);
      } catch (error) {
        await releaseSession();
        throw error;
      }
    } finally {
      pfx.fill(0);
    }
  }

  private async unlockAndStore(
    apiKeyId: string,
    pfx: Buffer,
    password: string,
    signal: AbortSignal | undefined,
    token: string,
  ): Promise<OpenedSession> {
    const unlocked = await this.unlock(apiKeyId, pfx, password, signal);
    try {
      return await this.keep(apiKeyId, unlocked, token);
    } finally {
      unlocked.pkcs8?.fill(0);
    }
  }

  private async keep(apiKeyId: string, unlocked: UnlockedP12, token: string): Promise<OpenedSession> {
    const identity = signingIdentityOf(unlocked);
    const now = this.clock.now();
    if (now > identity.notAfter) {
      throw new CertificateExpiredError(
        `the signing certificate expired at ${isoSeconds(identity.notAfter)}`,
      );
    }
    if (now < identity.notBefore) {
      throw new CertificateExpiredError(
        `the signing certificate is not valid before ${isoSeconds(identity.notBefore)}`,
      );
    }
    const tokenHash = hashToken(token);
    const session: Session = {
      tokenHash,
      apiKeyId,
      cacheKey: dgiiCacheKeyOf(apiKeyId, tokenHash),
      identity,
      openedAt: now,
      expiresAt: now + this.config.sessionTtlSeconds * 1000,
    };
    // The store gets the key material once, here: a shared store encrypts it under the token.
    await this.store.put(session, {
      token,
      pkcs8: unlocked.pkcs8 ?? new Uint8Array(0),
      certificates: [unlocked.certificate.raw, ...unlocked.chain.map((c) => c.raw)],
    });
    return { token, ...viewOf(session) };
  }

  private async unlock(
    apiKeyId: string,
    pfx: Buffer,
    password: string,
    signal: AbortSignal | undefined,
  ): Promise<UnlockedP12> {
    const releaseUnlock = await this.limiter.acquireUnlock(apiKeyId);
    this.unlocking++;
    try {
      return await unlockP12(pfx, password, { signal, keepPkcs8: true });
    } catch (error) {
      if (!(error instanceof P12Error)) throw error;
      if (error.reason === 'WRONG_PASSWORD') {
        await this.limiter.recordAuthFailure({ apiKeyId });
        throw new InvalidPasswordError(P12_MESSAGES.WRONG_PASSWORD);
      }
      if (error.reason === 'ABORTED') {
        this.abortedUnlocks.inc();
        throw new BadRequestError(P12_MESSAGES.ABORTED);
      }
      const message = P12_MESSAGES[error.reason];
      throw new MalformedP12Error(error.clientDetail ? `${message}: ${error.clientDetail}` : message);
    } finally {
      this.unlocking--;
      await releaseUnlock();
    }
  }

  view(session: Session | undefined): SessionView {
    if (!session) throw new SessionEvictedError();
    return viewOf(session);
  }

  /** Idempotent: closing an unknown, expired, foreign or missing session is not an error. */
  async close(apiKeyId: string | undefined, token: string | undefined): Promise<void> {
    if (!token) return;
    const tokenHash = hashToken(token);
    const session = await this.store.get(tokenHash, token);
    if (session && session.apiKeyId === apiKeyId) await this.store.delete(tokenHash);
  }
}
