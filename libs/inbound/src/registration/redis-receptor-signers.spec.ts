import { ManualClock } from '@app/common';
import { RedisConnection } from '@app/redis';
import type { Session, SessionStore } from '@app/sessions';
import type { SigningIdentity } from '@app/signing';
import { deleteKeysUnder, keysUnder, testRedisConnection, uniqueRedisPrefix } from '@app/testing';
import { RedisReceptorSigners } from './redis-receptor-signers';

const PREFIX = uniqueRedisPrefix('receptor-signers');
const connections: RedisConnection[] = [];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await deleteKeysUnder(PREFIX);
});

const TOKEN = 'tok_c2VjcmV0by1kZWwtdG9rZW4tZGUtbGEtc2VzaW9u';
const identity = { signerCedula: '40209547971' } as SigningIdentity;

/** A SessionStore that opens only TOKEN under 'h1', while `open`. */
class OneSession {
  open = true;
  calls: [string, string][] = [];
  get(tokenHash: string, token: string): Promise<Session | undefined> {
    this.calls.push([tokenHash, token]);
    const ok = this.open && tokenHash === 'h1' && token === TOKEN;
    return Promise.resolve(ok ? ({ tokenHash, identity, expiresAt: 2_000_000 } as Session) : undefined);
  }
}

async function signersOn(
  prefix: string,
  clock: ManualClock,
  sessions: OneSession,
  dataKey = Buffer.alloc(32, 7),
): Promise<RedisReceptorSigners> {
  const connection = await testRedisConnection(prefix, { dataKey });
  connections.push(connection);
  return new RedisReceptorSigners(connection, clock, sessions as unknown as SessionStore);
}

describe('RedisReceptorSigners (real Redis)', () => {
  const attachment = { identity, expiresAt: 1_900_000, sessionTokenHash: 'h1', token: TOKEN };

  it('a signer attached on one replica is live on another, read through the SessionStore', async () => {
    const prefix = `${PREFIX}shared:`;
    const clock = new ManualClock(1_000_000);
    const sessions = new OneSession();
    const a = await signersOn(prefix, clock, sessions);
    const b = await signersOn(prefix, clock, sessions);
    await a.attach('131793916', attachment);
    expect(await b.live('131793916')).toEqual({ identity, expiresAt: 1_900_000, sessionTokenHash: 'h1' });
    expect(sessions.calls).toEqual([['h1', TOKEN]]);
    expect(await b.live('401000001')).toBeUndefined();
    // The token is stored sealed, never in the clear.
    const raw = [...(await keysUnder(prefix)).values()].map((v) => v.toString('latin1')).join('\n');
    expect(raw).toContain('h1');
    expect(raw).not.toContain(TOKEN);
    expect(raw).not.toContain(TOKEN.slice(4, 30));
  });

  it('no signer once the session ends (and the attachment goes), expires, or is detached', async () => {
    const prefix = `${PREFIX}ends:`;
    const clock = new ManualClock(1_000_000);
    const sessions = new OneSession();
    const a = await signersOn(prefix, clock, sessions);
    await a.attach('131793916', attachment);
    sessions.open = false;
    expect(await a.live('131793916')).toBeUndefined();
    expect((await keysUnder(prefix)).size).toBe(0);

    sessions.open = true;
    await a.attach('131793916', attachment);
    clock.advance(900_000);
    expect(await a.live('131793916')).toBeUndefined();

    const fresh = await signersOn(prefix, new ManualClock(1_000_000), sessions);
    await fresh.attach('131793917', attachment);
    await fresh.detach('131793917');
    expect(await fresh.live('131793917')).toBeUndefined();
  });

  it('an attachment sealed under another FISCALIACORE_DATA_KEY signs nothing', async () => {
    const prefix = `${PREFIX}otherkey:`;
    const clock = new ManualClock(1_000_000);
    const sessions = new OneSession();
    await (await signersOn(prefix, clock, sessions, Buffer.alloc(32, 1))).attach('131793916', attachment);
    const other = await signersOn(prefix, clock, sessions, Buffer.alloc(32, 2));
    expect(await other.live('131793916')).toBeUndefined();
    expect(sessions.calls).toEqual([]);
  });
});
