import { Logger } from '@nestjs/common';
import { StoreUnavailableError } from '@app/common';
import { dataKeyOf, open, RedisConnection, seal } from '@app/redis';
import { ReceptorRegistration } from './receptor-registration';
import { ReceptorRegistry } from './receptor.registry';

/** What is stored: the registration with the callback secret replaced by its sealed form. */
interface StoredRegistration extends Omit<ReceptorRegistration, 'callbackSecret'> {
  /** AES-256-GCM of the callback secret under FISCALIACORE_DATA_KEY, AAD = the key name (base64). */
  s: string;
}

/** Replaces the record only when it exists and is owned by ARGV[1]. */
const UPDATE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
if cjson.decode(v).apiKeyId ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;
/** Deletes the record only when owned by ARGV[1]. */
const DELETE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
if cjson.decode(v).apiKeyId ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

/**
 * Receptor registrations in Redis (issue 13 §2), so every replica serves every receptor and
 * delivers its events. One string per RNC: the registration as JSON, with the callback secret (a
 * credential) sealed under FISCALIACORE_DATA_KEY, bound by AAD to its key name so a record moved
 * under another RNC does not open. Ownership checks are Lua scripts, atomic with the write.
 * No TTL: a registration is configuration and lives until deleted.
 */
export class RedisReceptorRegistry extends ReceptorRegistry {
  private readonly key: Buffer;
  private readonly logger = new Logger('RedisReceptorRegistry');

  constructor(private readonly redis: RedisConnection) {
    super();
    this.key = dataKeyOf(redis.settings);
  }

  async get(rnc: string): Promise<ReceptorRegistration | undefined> {
    const name = this.nameOf(rnc);
    const raw = await this.redis.run('receptor get', (c) => c.get(name));
    return raw === null ? undefined : this.parse(name, raw);
  }

  async insert(registration: ReceptorRegistration): Promise<boolean> {
    const name = this.nameOf(registration.rnc);
    const set = await this.redis.run('receptor insert', (c) =>
      c.set(name, this.serialise(name, registration), 'NX'),
    );
    return set === 'OK';
  }

  async update(registration: ReceptorRegistration): Promise<boolean> {
    const name = this.nameOf(registration.rnc);
    const done = await this.redis.run('receptor update', (c) =>
      c.eval(UPDATE_SCRIPT, 1, name, registration.apiKeyId, this.serialise(name, registration)),
    );
    return done === 1;
  }

  async delete(rnc: string, apiKeyId: string): Promise<boolean> {
    const name = this.nameOf(rnc);
    const done = await this.redis.run('receptor delete', (c) => c.eval(DELETE_SCRIPT, 1, name, apiKeyId));
    return done === 1;
  }

  private nameOf(rnc: string): string {
    return this.redis.key('receptor', rnc);
  }

  private serialise(name: string, registration: ReceptorRegistration): string {
    const { callbackSecret, ...rest } = registration;
    const stored: StoredRegistration = {
      ...rest,
      s: seal(this.key, Buffer.from(callbackSecret, 'utf8'), name).toString('base64'),
    };
    return JSON.stringify(stored);
  }

  private parse(name: string, raw: string): ReceptorRegistration {
    const { s, ...rest } = JSON.parse(raw) as StoredRegistration;
    const secret = open(this.key, Buffer.from(s ?? '', 'base64'), name);
    if (!secret) {
      // Another FISCALIACORE_DATA_KEY wrote it (replicas must share one) or it is damaged.
      this.logger.error(
        { reason: 'stored callback secret does not decrypt' },
        'check FISCALIACORE_DATA_KEY on every replica',
      );
      throw new StoreUnavailableError('a receptor registration cannot be read: retry shortly');
    }
    return { ...rest, callbackSecret: secret.toString('utf8') };
  }
}
