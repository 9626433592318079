import { Logger, OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock } from '@app/common';
import { derivedKey, open, RedisConnection, SALT_BYTES, seal } from '@app/redis';
import { importPkcs8, signingIdentityOf } from '@app/signing';
import { dgiiCacheKeyOf, Session } from './session';
import { EvictionListener, SessionEviction, SessionSecrets, SessionStore } from './session.store';

/** Record format version: the first byte, also in the HKDF info and the AAD. */
const VERSION = 1;
const HKDF_INFO = 'fiscaliacore session record v1';
/** How often this replica ends the sessions it knows whose time is up (Redis expires the record itself). */
export const REDIS_SESSION_SWEEP_MS = 1_000;

/** What the ciphertext holds besides the key: public facts and the binding to the API key. */
interface RecordFacts {
  /** DER certificates, base64: the leaf first. */
  c: string[];
  /** API key id: inside the authenticated ciphertext, so a record cannot be moved to another key. */
  a: string;
  o: number;
  e: number;
  t: string;
  f: { signerCedula: string; subjectDn: string; notBefore: number; notAfter: number };
}

interface Cached {
  session: Session;
  /** performance.now() when decrypted: the cache bound is local wall time, not the session clock. */
  at: number;
}

/** Plaintext layout: u32 length of the PKCS#8 | PKCS#8 | JSON facts. A Buffer, so it can be wiped. */
function plaintextOf(pkcs8: Uint8Array, facts: RecordFacts): Buffer {
  const json = Buffer.from(JSON.stringify(facts), 'utf8');
  const out = Buffer.alloc(4 + pkcs8.length + json.length);
  out.writeUInt32BE(pkcs8.length, 0);
  out.set(pkcs8, 4);
  out.set(json, 4 + pkcs8.length);
  return out;
}

function aadOf(tokenHash: string): string {
  return `fiscaliacore:session:v${VERSION}:${tokenHash}`;
}

/** Whether a stored record opens with `token` under `tokenHash` (for the security scan of tests). */
export function sessionRecordOpensWith(record: Buffer, tokenHash: string, token: string): boolean {
  if (record[0] !== VERSION || record.length < 1 + SALT_BYTES) return false;
  const key = derivedKey(token, record.subarray(1, 1 + SALT_BYTES), HKDF_INFO);
  const plaintext = open(key, record.subarray(1 + SALT_BYTES), aadOf(tokenHash));
  key.fill(0);
  plaintext?.fill(0);
  return plaintext !== undefined;
}

/**
 * Sessions in Redis for several replicas (issue 13 §1). The record is AES-256-GCM under
 * HKDF(token, per-record salt): the server never stores the token, so a Redis dump alone opens
 * nothing. It lives under SHA-256(token) with a TTL of the session's remaining life.
 *
 * Per request: one EXISTS (a closed session is seen at once on every replica); the decrypted
 * session and its imported key are cached in memory for SESSION_CACHE_TTL_MS. Closing publishes
 * the token hash (ids only) so every replica drops its cache and tells its listeners (DGII tokens,
 * which are per replica) within a round trip.
 */
export class RedisSessionStore extends SessionStore implements OnModuleDestroy {
  private readonly cache = new Map<string, Cached>();
  /** Ids of the sessions this replica has served: whom to tell when one ends. */
  private readonly known = new Map<string, { apiKeyId: string; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<Session | undefined>>();
  private readonly listeners: EvictionListener[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly channel: string;
  private readonly index: string;
  private readonly logger = new Logger('RedisSessionStore');

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {
    super();
    this.channel = redis.key('sessions', 'evicted');
    this.index = redis.key('sessions', 'index');
    redis.subscribe(
      this.channel,
      (tokenHash) => this.forgetLocally(tokenHash),
      () => void this.reconcile(),
    );
    this.timer = setInterval(() => this.sweep(), REDIS_SESSION_SWEEP_MS);
    this.timer.unref();
  }

  private recordKey(tokenHash: string): string {
    return this.redis.key('session', tokenHash);
  }

  async put(session: Session, secrets: SessionSecrets): Promise<void> {
    const ttlMs = session.expiresAt - this.clock.now();
    if (ttlMs <= 0) return;
    const facts: RecordFacts = {
      c: secrets.certificates.map((der) => Buffer.from(der).toString('base64')),
      a: session.apiKeyId,
      o: session.openedAt,
      e: session.expiresAt,
      t: session.identity.keyType,
      f: {
        signerCedula: session.identity.signerCedula,
        subjectDn: session.identity.subjectDn,
        notBefore: session.identity.notBefore,
        notAfter: session.identity.notAfter,
      },
    };
    const salt = randomBytes(SALT_BYTES);
    const key = derivedKey(secrets.token, salt, HKDF_INFO);
    const plaintext = plaintextOf(secrets.pkcs8, facts);
    let record: Buffer;
    try {
      record = Buffer.concat([Buffer.of(VERSION), salt, seal(key, plaintext, aadOf(session.tokenHash))]);
    } finally {
      plaintext.fill(0);
      key.fill(0);
    }
    const name = this.recordKey(session.tokenHash);
    await this.redis.run('session put', (c) =>
      Promise.all([
        c.set(name, record, 'PX', ttlMs),
        c.zadd(this.index, session.expiresAt, session.tokenHash),
      ]),
    );
    this.remember(session);
  }

  async get(tokenHash: string, token: string): Promise<Session | undefined> {
    const known = this.known.get(tokenHash);
    if (known && known.expiresAt <= this.clock.now()) {
      await this.end(tokenHash);
      return undefined;
    }
    const cached = this.cache.get(tokenHash);
    if (cached && performance.now() - cached.at < this.redis.settings.sessionCacheTtlMs) {
      // The existence check: a session closed on another replica is gone here too, even if its
      // pub/sub message has not arrived yet.
      const exists = await this.redis.run('session exists', (c) => c.exists(this.recordKey(tokenHash)));
      if (exists === 1) return cached.session;
      this.forgetLocally(tokenHash);
      return undefined;
    }
    // Concurrent first requests of one session decrypt and import once.
    let pending = this.loading.get(tokenHash);
    if (!pending) {
      pending = this.load(tokenHash, token).finally(() => this.loading.delete(tokenHash));
      this.loading.set(tokenHash, pending);
    }
    return pending;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.redis.run('session delete', (c) =>
      Promise.all([
        c.del(this.recordKey(tokenHash)),
        c.zrem(this.index, tokenHash),
        c.publish(this.channel, tokenHash),
      ]),
    );
    this.forgetLocally(tokenHash);
  }

  async size(): Promise<number> {
    const now = this.clock.now();
    return this.redis.run('session count', async (c) => {
      await c.zremrangebyscore(this.index, '-inf', now);
      return c.zcard(this.index);
    });
  }

  onEvicted(listener: EvictionListener): void {
    this.listeners.push(listener);
  }

  /**
   * Ends, locally, the known sessions whose time is up (Redis expires their records by TTL), and
   * drops decrypted copies older than SESSION_CACHE_TTL_MS, so an unused key does not linger.
   */
  sweep(): number {
    const now = this.clock.now();
    const stale = performance.now() - this.redis.settings.sessionCacheTtlMs;
    for (const [tokenHash, cached] of this.cache) if (cached.at <= stale) this.cache.delete(tokenHash);
    let swept = 0;
    for (const [tokenHash, known] of this.known) {
      if (known.expiresAt <= now) {
        this.forgetLocally(tokenHash);
        swept++;
      }
    }
    return swept;
  }

  /**
   * Stopping a replica must not end sessions: the others (and this one after a restart) still
   * serve them. Only the local copies go; no eviction is reported.
   */
  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.cache.clear();
    this.known.clear();
  }

  private async load(tokenHash: string, token: string): Promise<Session | undefined> {
    const record = await this.redis.run('session get', (c) => c.getBuffer(this.recordKey(tokenHash)));
    if (!record) {
      this.forgetLocally(tokenHash);
      return undefined;
    }
    if (record[0] !== VERSION || record.length < 1 + SALT_BYTES) return undefined;
    const salt = record.subarray(1, 1 + SALT_BYTES);
    const key = derivedKey(token, salt, HKDF_INFO);
    const plaintext = open(key, record.subarray(1 + SALT_BYTES), aadOf(tokenHash));
    key.fill(0);
    // Another token's record, a moved or damaged one: as if there were no session.
    if (!plaintext) return undefined;
    try {
      const length = plaintext.readUInt32BE(0);
      const pkcs8 = plaintext.subarray(4, 4 + length);
      const facts = JSON.parse(plaintext.subarray(4 + length).toString('utf8')) as RecordFacts;
      if (facts.e <= this.clock.now()) {
        await this.end(tokenHash, facts.a);
        return undefined;
      }
      const unlocked = await importPkcs8(
        pkcs8,
        facts.c.map((b64) => Buffer.from(b64, 'base64')),
      );
      const session: Session = {
        tokenHash,
        apiKeyId: facts.a,
        cacheKey: dgiiCacheKeyOf(facts.a, tokenHash),
        identity: { ...signingIdentityOf(unlocked), ...facts.f, keyType: facts.t },
        openedAt: facts.o,
        expiresAt: facts.e,
      };
      this.remember(session);
      return session;
    } catch (error) {
      this.logger.warn({ reason: (error as Error).name }, 'a session record did not import');
      return undefined;
    } finally {
      plaintext.fill(0);
    }
  }

  private remember(session: Session): void {
    this.known.set(session.tokenHash, { apiKeyId: session.apiKeyId, expiresAt: session.expiresAt });
    if (this.redis.settings.sessionCacheTtlMs > 0) {
      this.cache.set(session.tokenHash, { session, at: performance.now() });
    }
  }

  /** An expired session: its record goes everywhere, and listeners hear of it. */
  private async end(tokenHash: string, apiKeyId?: string): Promise<void> {
    if (apiKeyId && !this.known.has(tokenHash)) this.known.set(tokenHash, { apiKeyId, expiresAt: 0 });
    await this.delete(tokenHash);
  }

  /** Drops this replica's copy and tells its listeners (ids only), when it knew the session. */
  private forgetLocally(tokenHash: string): void {
    this.cache.delete(tokenHash);
    const known = this.known.get(tokenHash);
    if (!known) return;
    this.known.delete(tokenHash);
    const evicted: SessionEviction = { tokenHash, apiKeyId: known.apiKeyId };
    for (const listener of this.listeners) listener(evicted);
  }

  /** After the subscriber reconnects: drop what ended elsewhere while we could not hear it. */
  private async reconcile(): Promise<void> {
    for (const tokenHash of [...this.known.keys()]) {
      try {
        const exists = await this.redis.run('session exists', (c) => c.exists(this.recordKey(tokenHash)));
        if (exists === 0) this.forgetLocally(tokenHash);
      } catch {
        return; // down again: the next reconnect retries
      }
    }
  }
}
