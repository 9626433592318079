import { Logger } from '@nestjs/common';
import { Clock } from '@app/common';
import { dataKeyOf, open, RedisConnection, seal } from '@app/redis';
import type { SessionStore } from '@app/sessions';
import { AttachedSigner, ReceptorSigners, SignerAttachment } from './receptor-signers';

/** What is stored per receptor: which session signs, until when, and its token sealed. */
interface StoredAttachment {
  /** The session's token hash (its SessionStore key). */
  h: string;
  /** The session's end (ms). */
  e: number;
  /** AES-256-GCM of the bearer token under FISCALIACORE_DATA_KEY, AAD = key name + token hash. */
  t: string;
}

/** Deletes the attachment only if it still names this session. */
const DELETE_IF_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).h == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * The receptor's signer on every replica (issue 13 §2: "the session record is shared, so any
 * replica can sign"). The session record in Redis opens only with its bearer token, which the
 * server otherwise never keeps; so attaching stores the token sealed under FISCALIACORE_DATA_KEY,
 * for the session's remaining life (PX), and a replica that receives a document opens the token
 * and reads the signing identity through the SessionStore (its cache serves repeats).
 *
 * The trade-off (docs/operations.md): a Redis dump plus the data key now opens the sessions that
 * are attached to receptors — their private keys — for as long as they live, where a dump alone
 * opens nothing, as before. Each `live()` checks the session itself, so a closed or expired
 * session signs nothing on any replica from the next document on.
 */
export class RedisReceptorSigners extends ReceptorSigners {
  private readonly key: Buffer;
  private readonly logger = new Logger('RedisReceptorSigners');

  constructor(
    private readonly redis: RedisConnection,
    clock: Clock,
    private readonly sessions: SessionStore,
  ) {
    super(clock);
    this.key = dataKeyOf(redis.settings);
  }

  override async attach(rnc: string, signer: SignerAttachment): Promise<void> {
    const ttlMs = signer.expiresAt - this.clock.now();
    if (!signer.token || ttlMs <= 0) return;
    const name = this.nameOf(rnc);
    const stored: StoredAttachment = {
      h: signer.sessionTokenHash,
      e: signer.expiresAt,
      t: seal(
        this.key,
        Buffer.from(signer.token, 'utf8'),
        this.aadOf(name, signer.sessionTokenHash),
      ).toString('base64'),
    };
    await this.redis.run('receptor signer attach', (c) => c.set(name, JSON.stringify(stored), 'PX', ttlMs));
  }

  override async live(rnc: string): Promise<AttachedSigner | undefined> {
    const name = this.nameOf(rnc);
    const raw = await this.redis.run('receptor signer get', (c) => c.get(name));
    if (raw === null) return undefined;
    const stored = JSON.parse(raw) as StoredAttachment;
    if (stored.e <= this.clock.now()) return undefined;
    const token = open(this.key, Buffer.from(stored.t, 'base64'), this.aadOf(name, stored.h));
    if (!token) {
      // Another FISCALIACORE_DATA_KEY wrote it (replicas must share one) or it is damaged: no signer.
      this.logger.error(
        { reason: 'stored receptor signer does not decrypt' },
        'check FISCALIACORE_DATA_KEY on every replica',
      );
      return undefined;
    }
    const session = await this.sessions.get(stored.h, token.toString('utf8'));
    token.fill(0);
    if (!session) {
      // The session was closed or swept: its attachment goes too.
      await this.redis.run('receptor signer detach', (c) => c.eval(DELETE_IF_SCRIPT, 1, name, stored.h));
      return undefined;
    }
    return { identity: session.identity, expiresAt: stored.e, sessionTokenHash: stored.h };
  }

  override async detach(rnc: string): Promise<void> {
    const name = this.nameOf(rnc);
    await this.redis.run('receptor signer detach', (c) => c.del(name));
  }

  /**
   * Nothing to do here: the attachment names the session, and `live()` asks the SessionStore
   * (where the close is seen at once on every replica) before it signs anything.
   */
  override detachSession(): void {}

  private nameOf(rnc: string): string {
    return this.redis.key('receptor-signer', rnc);
  }

  private aadOf(name: string, tokenHash: string): string {
    return `${name}|${tokenHash}`;
  }
}
