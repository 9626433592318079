import { Logger } from '@nestjs/common';
import { Clock, StoreUnavailableError } from '@app/common';
import { dataKeyOf, open, RedisConnection, seal } from '@app/redis';
import { InboundEvent } from './inbound-event';
import {
  InboundEventDepth,
  InboundEventPatch,
  InboundEventStore,
  InboundEventStoreLimits,
  InsertOutcome,
  StoredInboundEvent,
} from './inbound-event.store';

/** The delivery facts, in the clear (the scripts read them): no document content, no credential. */
type EventMeta = Omit<StoredInboundEvent, 'document' | 'xml' | 'arecf'>;
/** What is sealed under FISCALIACORE_DATA_KEY: what the sender sent and what we answered. */
type EventBody = Pick<StoredInboundEvent, 'document' | 'xml' | 'arecf'>;

/**
 * Shared Lua: key names from the base (ARGV[1]), dropping an event from every index, and the
 * retention sweep. The indexes are sorted sets scored by an insertion counter, so "oldest" is
 * insertion order, as in the memory store; the sweep walks from the oldest and stops at the
 * first event still within the retention. Every key carries the `{inbound}` hash tag, so on a
 * cluster they share a slot and the scripts stay atomic.
 */
const LIB = `
local base = ARGV[1]
local now = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])
local all = base .. 'all'
local function ev(id) return base .. 'ev:' .. id end
local function drop(id)
  local m = redis.call('HGET', ev(id), 'm')
  redis.call('DEL', ev(id))
  redis.call('ZREM', all, id)
  if m then
    local meta = cjson.decode(m)
    redis.call('ZREM', base .. 'rcpt:' .. meta.rnc, id)
    redis.call('ZREM', base .. 'key:' .. meta.apiKeyId, id)
  end
end
local function live(m)
  return m and (now - cjson.decode(m).storedAt) < retention
end
local function sweep()
  local n = 0
  while true do
    local first = redis.call('ZRANGE', all, 0, 0)
    if #first == 0 then return n end
    if live(redis.call('HGET', ev(first[1]), 'm')) then return n end
    drop(first[1])
    n = n + 1
  end
end
`;

/** ARGV: base, now, retention, max, id, rnc, apiKeyId, meta, body, ttlMs → dropped, or -1 when full. */
const INSERT_SCRIPT = `${LIB}
sweep()
local id, rnc, key = ARGV[5], ARGV[6], ARGV[7]
local share = base .. 'rcpt:' .. rnc
local size = redis.call('ZCARD', share)
local max = tonumber(ARGV[4])
local dropped = 0
if size >= max then
  local room = size - max + 1
  local victims = {}
  for _, held in ipairs(redis.call('ZRANGE', share, 0, -1)) do
    if #victims == room then break end
    local m = redis.call('HGET', ev(held), 'm')
    if not m then
      table.insert(victims, held)
    else
      local meta = cjson.decode(m)
      if meta.deliveredAt or meta.acknowledgedAt then table.insert(victims, held) end
    end
  end
  if #victims < room then return -1 end
  for _, victim in ipairs(victims) do drop(victim) end
  dropped = #victims
end
local seq = redis.call('INCR', base .. 'seq')
redis.call('HSET', ev(id), 'm', ARGV[8], 'b', ARGV[9])
redis.call('PEXPIRE', ev(id), ARGV[10])
redis.call('ZADD', all, seq, id)
redis.call('ZADD', share, seq, id)
redis.call('ZADD', base .. 'key:' .. key, seq, id)
return dropped
`;

/** ARGV: base, now, retention, id, patch JSON (null clears), expected status or '', expected round → {m, b} or nil. */
const UPDATE_SCRIPT = `${LIB}
local id = ARGV[4]
local m = redis.call('HGET', ev(id), 'm')
if not live(m) then return nil end
local meta = cjson.decode(m)
if ARGV[6] ~= '' and (meta.status ~= ARGV[6] or meta.round ~= tonumber(ARGV[7])) then return nil end
for k, v in pairs(cjson.decode(ARGV[5])) do
  if v == cjson.null then meta[k] = nil else meta[k] = v end
end
local out = cjson.encode(meta)
redis.call('HSET', ev(id), 'm', out)
return {out, redis.call('HGET', ev(id), 'b')}
`;

/** ARGV: base, now, retention, index name, status or '', limit → {m1, b1, m2, b2, …}, oldest first. */
const LIST_SCRIPT = `${LIB}
sweep()
local out = {}
local limit = tonumber(ARGV[6])
for _, id in ipairs(redis.call('ZRANGE', base .. ARGV[4], 0, -1)) do
  if #out >= 2 * limit then break end
  local fields = redis.call('HMGET', ev(id), 'm', 'b')
  if fields[1] and (ARGV[5] == '' or cjson.decode(fields[1]).status == ARGV[5]) then
    table.insert(out, fields[1])
    table.insert(out, fields[2])
  end
end
return out
`;

/** ARGV: base, now, retention → removed. */
const SWEEP_SCRIPT = `${LIB}
return sweep()
`;

/** ARGV: base, now, retention → {pending, delivered, failed}. */
const DEPTH_SCRIPT = `${LIB}
sweep()
local d = {pending = 0, delivered = 0, failed = 0}
for _, id in ipairs(redis.call('ZRANGE', all, 0, -1)) do
  local m = redis.call('HGET', ev(id), 'm')
  if m then
    local s = cjson.decode(m).status
    d[s] = (d[s] or 0) + 1
  end
end
return {d.pending, d.delivered, d.failed}
`;

/** Redis keeps an event at most this long past the retention, should no sweep reach it. */
const TTL_MARGIN_MS = 60_000;

/**
 * Inbound events in Redis (issue 13 §2), so any replica delivers, lists and acks them. Each event
 * is a hash: `m`, the delivery facts as JSON (what the scripts compare and patch), and `b`, the
 * document facts, the XML as received and the ARECF, sealed (AES-256-GCM) under
 * FISCALIACORE_DATA_KEY with the event's key name as AAD. Sorted sets index them overall, per
 * receptor (its share) and per API key. Insert (sweep, make room, refuse when full) and the
 * compare-and-set update are single Lua scripts, so two replicas never both take the last place
 * or both apply a try's outcome. Time is this replica's Clock (passed to the scripts); a TTL of
 * the remaining retention plus a margin is the safety net.
 */
export class RedisInboundEventStore extends InboundEventStore {
  private readonly key: Buffer;
  private readonly base: string;
  private readonly all: string;
  private readonly logger = new Logger('RedisInboundEventStore');

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
    private readonly limits: InboundEventStoreLimits,
  ) {
    super();
    this.key = dataKeyOf(redis.settings);
    this.base = redis.key('inbound', '{events}', '');
    this.all = `${this.base}all`;
  }

  async insert(event: StoredInboundEvent): Promise<InsertOutcome> {
    const { document, xml, arecf, ...meta } = event;
    const name = this.eventKey(event.id);
    const body = this.seal(name, { document, xml, arecf });
    const ttl = Math.max(1, event.storedAt + this.limits.retentionMs - this.clock.now()) + TTL_MARGIN_MS;
    const dropped = await this.redis.run('inbound event insert', (c) =>
      c.eval(
        INSERT_SCRIPT,
        2,
        this.all,
        name,
        ...this.common(),
        this.limits.maxPerReceptor,
        event.id,
        event.rnc,
        event.apiKeyId,
        JSON.stringify(meta),
        body,
        ttl,
      ),
    );
    return dropped === -1 ? { held: false } : { held: true, dropped: Number(dropped) };
  }

  async get(id: string): Promise<StoredInboundEvent | undefined> {
    const name = this.eventKey(id);
    const [m, b] = await this.redis.run('inbound event get', (c) => c.hmget(name, 'm', 'b'));
    if (!m || !b) return undefined;
    const meta = JSON.parse(m) as EventMeta;
    if (this.clock.now() - meta.storedAt >= this.limits.retentionMs) return undefined;
    return this.eventOf(meta, b);
  }

  async update(
    id: string,
    patch: InboundEventPatch,
    expected?: Pick<StoredInboundEvent, 'status' | 'round'>,
  ): Promise<StoredInboundEvent | undefined> {
    // undefined means "clear": JSON null, which the script turns into a removed field.
    const json = JSON.stringify(patch, (_k, v: unknown) => (v === undefined ? null : v));
    const out = (await this.redis.run('inbound event update', (c) =>
      c.eval(
        UPDATE_SCRIPT,
        2,
        this.all,
        this.eventKey(id),
        ...this.common(),
        id,
        json,
        expected?.status ?? '',
        expected?.round ?? '',
      ),
    )) as [string, string] | null;
    return out ? this.eventOf(JSON.parse(out[0]) as EventMeta, out[1]) : undefined;
  }

  async list(
    apiKeyId: string,
    filter: { status?: InboundEvent['status']; limit: number },
  ): Promise<StoredInboundEvent[]> {
    return this.listed(`key:${apiKeyId}`, filter.status ?? '', filter.limit);
  }

  async pending(): Promise<StoredInboundEvent[]> {
    return this.listed('all', 'pending', Number.MAX_SAFE_INTEGER);
  }

  async sweep(): Promise<number> {
    return Number(
      await this.redis.run('inbound event sweep', (c) => c.eval(SWEEP_SCRIPT, 1, this.all, ...this.common())),
    );
  }

  async depth(): Promise<InboundEventDepth> {
    const [pending, delivered, failed] = (await this.redis.run('inbound event depth', (c) =>
      c.eval(DEPTH_SCRIPT, 1, this.all, ...this.common()),
    )) as number[];
    return { pending, delivered, failed };
  }

  private async listed(index: string, status: string, limit: number): Promise<StoredInboundEvent[]> {
    const flat = (await this.redis.run('inbound event list', (c) =>
      c.eval(LIST_SCRIPT, 1, this.all, ...this.common(), index, status, Math.min(limit, 1e9)),
    )) as string[];
    const out: StoredInboundEvent[] = [];
    for (let i = 0; i < flat.length; i += 2)
      out.push(this.eventOf(JSON.parse(flat[i]) as EventMeta, flat[i + 1]));
    return out;
  }

  private common(): [string, number, number] {
    return [this.base, this.clock.now(), this.limits.retentionMs];
  }

  private eventKey(id: string): string {
    return `${this.base}ev:${id}`;
  }

  private seal(name: string, body: EventBody): string {
    return seal(this.key, Buffer.from(JSON.stringify(body), 'utf8'), name).toString('base64');
  }

  private eventOf(meta: EventMeta, sealed: string): StoredInboundEvent {
    const plain = open(this.key, Buffer.from(sealed, 'base64'), this.eventKey(meta.id));
    if (!plain) {
      // Another FISCALIACORE_DATA_KEY wrote it (replicas must share one) or it is damaged.
      this.logger.error(
        { reason: 'stored inbound event does not decrypt' },
        'check FISCALIACORE_DATA_KEY on every replica',
      );
      throw new StoreUnavailableError('an inbound event cannot be read: retry shortly');
    }
    const body = JSON.parse(plain.toString('utf8')) as EventBody;
    const event: StoredInboundEvent = { ...meta, document: body.document, xml: body.xml };
    if (body.arecf) event.arecf = body.arecf;
    return event;
  }
}
