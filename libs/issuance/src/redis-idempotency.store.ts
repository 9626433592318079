import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock, IdempotencyInProgressError, StoreUnavailableError } from '@app/common';
import { dataKeyOf, open, RedisConnection, seal } from '@app/redis';
import {
  IDEMPOTENCY_TTL_MS,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotencyStore,
} from './idempotency.store';

/** How often a duplicate on another replica looks for the first run's result. */
export const IDEMPOTENCY_POLL_MS = 25;

/** In flight → done, keeping the TTL of the claim; only an in-flight entry can complete. */
const COMPLETE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 'f|' then
  redis.call('SET', KEYS[1], 'd' .. string.sub(v, 2) .. '|' .. ARGV[1], 'KEEPTTL')
  return 1
end
return 0
`;
/**
 * A run that failed not knowing whether DGII got the document keeps its id bound to its body, with
 * what the retry needs to ask DGII first (issue 11 §3): in flight → `u|…|sealed attempt`.
 */
const KEEP_UNKNOWN_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 'f|' then
  redis.call('SET', KEYS[1], 'u' .. string.sub(v, 2) .. '|' .. ARGV[1], 'KEEPTTL')
  return 1
end
return 0
`;
/** The retry takes the kept attempt: `u|…` → in flight again, only if it is still the one read. */
const RECLAIM_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
`;
/** A failed run frees its id: deletes only an in-flight entry. */
const RELEASE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, 2) == 'f|' then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
/** Deletes the entry only if it is still the one read (an expired one), never a fresh claim. */
const DELETE_IF_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

interface Parsed {
  raw: string;
  record: IdempotencyRecord;
  expiresAt: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64url');

/**
 * Idempotency of `/ecf/issue` across replicas (issue 13 §2). The claim is `SET NX` of an in-flight
 * marker `f|bodyHash|expiresAt`; completing turns it into `d|bodyHash|expiresAt|sealed result`
 * (a run whose outcome at DGII is unknown into `u|…|sealed attempt`, issue 11 §3),
 * where the result (it holds signed documents) is AES-256-GCM under FISCALIACORE_DATA_KEY. Kept
 * IDEMPOTENCY_TTL_MS (24 h) from the claim.
 *
 * A duplicate while the first runs — on this replica or another — waits for its result, polling
 * every IDEMPOTENCY_POLL_MS for up to IDEMPOTENCY_WAIT_MS; past that, or when the first run failed
 * (its entry is gone), 409 IDEMPOTENCY_IN_PROGRESS with Retry-After: the client retries and gets
 * the stored result, or runs it again. Unlike the memory store, no per-key entry bound: Redis
 * expires entries by TTL and is sized by the operator.
 */
export class RedisIdempotencyStore extends IdempotencyStore {
  private readonly key: Buffer;
  private readonly logger = new Logger('RedisIdempotencyStore');

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {
    super();
    this.key = dataKeyOf(redis.settings);
  }

  async claim(apiKeyId: string, id: string, bodyHash: string): Promise<IdempotencyClaim> {
    const name = this.nameOf(apiKeyId, id);
    for (let attempt = 0; attempt < 3; attempt++) {
      const expiresAt = this.clock.now() + IDEMPOTENCY_TTL_MS;
      const set = await this.redis.run('idempotency claim', (c) =>
        c.set(name, `f|${bodyHash}|${expiresAt}`, 'PX', IDEMPOTENCY_TTL_MS, 'NX'),
      );
      if (set === 'OK') return { state: 'claimed' };
      const found = await this.fetch(name);
      if (!found) continue; // it just expired or was released: claim again
      if (found.record.bodyHash !== bodyHash) return { state: 'conflict' };
      if (found.record.state === 'done') return { state: 'done', result: found.record.result };
      if (found.record.state === 'unknown-outcome') {
        const inFlight = `f|${bodyHash}|${found.expiresAt}`;
        const taken = await this.redis.run('idempotency reclaim', (c) =>
          c.eval(RECLAIM_SCRIPT, 1, name, found.raw, inFlight),
        );
        if (taken === 1) return { state: 'claimed', unknownOutcome: found.record.unknownOutcome };
        continue; // another replica's retry took it first: look again
      }
      return { state: 'in-flight', wait: () => this.waitFor(name, id, bodyHash) };
    }
    throw new IdempotencyInProgressError(this.busyMessage(id));
  }

  async complete(apiKeyId: string, id: string, result: unknown): Promise<void> {
    const name = this.nameOf(apiKeyId, id);
    await this.redis.run('idempotency complete', (c) =>
      c.eval(COMPLETE_SCRIPT, 1, name, this.sealed(name, result)),
    );
  }

  async release(apiKeyId: string, id: string, _failure?: unknown, unknownOutcome?: unknown): Promise<void> {
    const name = this.nameOf(apiKeyId, id);
    // The attempt holds signed documents: sealed like a stored response.
    if (unknownOutcome !== undefined) {
      await this.redis.run('idempotency keep unknown outcome', (c) =>
        c.eval(KEEP_UNKNOWN_SCRIPT, 1, name, this.sealed(name, unknownOutcome)),
      );
      return;
    }
    await this.redis.run('idempotency release', (c) => c.eval(RELEASE_SCRIPT, 1, name));
  }

  private sealed(name: string, data: unknown): string {
    return seal(this.key, Buffer.from(JSON.stringify(data), 'utf8'), name).toString('base64');
  }

  async read(apiKeyId: string, id: string): Promise<IdempotencyRecord | undefined> {
    return (await this.fetch(this.nameOf(apiKeyId, id)))?.record;
  }

  /** The key: the API key id and a hash of the integrator's id, in one cluster slot per API key. */
  private nameOf(apiKeyId: string, id: string): string {
    return this.redis.key('idem', `{${apiKeyId}}`, sha256(id));
  }

  /** The live entry, or undefined (an entry past its time by our clock is deleted). */
  private async fetch(name: string): Promise<Parsed | undefined> {
    const raw = await this.redis.run('idempotency read', (c) => c.get(name));
    if (raw === null) return undefined;
    const parsed = this.parse(name, raw);
    if (parsed.expiresAt <= this.clock.now()) {
      await this.redis.run('idempotency expire', (c) => c.eval(DELETE_IF_SCRIPT, 1, name, raw));
      return undefined;
    }
    return parsed;
  }

  private parse(name: string, raw: string): Parsed {
    const [state, bodyHash, expires, sealed] = raw.split('|');
    const expiresAt = Number(expires);
    if (state === 'f') return { raw, expiresAt, record: { state: 'in-flight', bodyHash } };
    const plain = open(this.key, Buffer.from(sealed ?? '', 'base64'), name);
    if (!plain) {
      // Another FISCALIACORE_DATA_KEY wrote it (replicas must share one) or it is damaged.
      this.logger.error(
        { reason: 'stored response does not decrypt' },
        'check FISCALIACORE_DATA_KEY on every replica',
      );
      throw new StoreUnavailableError('a stored response cannot be read: retry shortly');
    }
    const data: unknown = JSON.parse(plain.toString('utf8'));
    return {
      raw,
      expiresAt,
      record:
        state === 'u'
          ? { state: 'unknown-outcome', bodyHash, unknownOutcome: data }
          : { state: 'done', bodyHash, result: data },
    };
  }

  private async waitFor(name: string, id: string, bodyHash: string): Promise<unknown> {
    const deadline = performance.now() + this.redis.settings.idempotencyWaitMs;
    for (;;) {
      const found = await this.fetch(name);
      // Gone, or kept as an unknown outcome: the first run failed; the retry asks DGII first.
      if (!found || found.record.bodyHash !== bodyHash || found.record.state === 'unknown-outcome') {
        throw new IdempotencyInProgressError(
          `the first request with externalDocumentId ${id} did not finish: retry it after Retry-After seconds`,
        );
      }
      if (found.record.state === 'done') return found.record.result;
      if (performance.now() >= deadline) throw new IdempotencyInProgressError(this.busyMessage(id));
      await new Promise((resolve) => setTimeout(resolve, IDEMPOTENCY_POLL_MS));
    }
  }

  private busyMessage(id: string): string {
    return `externalDocumentId ${id} is still being issued: retry after Retry-After seconds`;
  }
}
