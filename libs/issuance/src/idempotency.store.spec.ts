import { IdempotencyConflictError, ManualClock } from '@app/common';
import {
  bodyHashOf,
  IDEMPOTENCY_MAX_ENTRIES_PER_KEY,
  IDEMPOTENCY_TTL_MS,
  MemoryIdempotencyStore,
  runIdempotently,
} from './idempotency.store';
import { describeIdempotencyStoreContract } from './testing/idempotency-store.contract';

describeIdempotencyStoreContract('MemoryIdempotencyStore', (clock) => new MemoryIdempotencyStore(clock));

/** runIdempotently over the memory adapter, as the issuance service uses it. */
function runner(clock: ManualClock) {
  const memory = new MemoryIdempotencyStore(clock);
  return {
    memory,
    run: <T>(apiKeyId: string, id: string, body: unknown, work: () => Promise<T>) =>
      runIdempotently(memory, apiKeyId, id, body, work),
  };
}

describe('runIdempotently over MemoryIdempotencyStore', () => {
  let clock: ManualClock;
  let store: ReturnType<typeof runner>;
  let calls: number;
  const work =
    (value = 'ok') =>
    () => {
      calls++;
      return Promise.resolve(value);
    };

  beforeEach(() => {
    clock = new ManualClock(0);
    store = runner(clock);
    calls = 0;
  });

  it('replays the first result for the same id and body, concurrent callers included', async () => {
    const [a, b] = await Promise.all([
      store.run('k', 'id', { x: 1 }, work('first')),
      store.run('k', 'id', { x: 1 }, work('second')),
    ]);
    expect([a, b, await store.run('k', 'id', { x: 1 }, work('third'))]).toEqual(['first', 'first', 'first']);
    expect(calls).toBe(1);
  });

  it('refuses the same id with a different body', async () => {
    await store.run('k', 'id', { x: 1 }, work());
    await expect(store.run('k', 'id', { x: 2 }, work())).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('key order does not make a different body', () => {
    expect(bodyHashOf({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      bodyHashOf({ b: { d: 'x', c: [1, 2] }, a: 1 }),
    );
    expect(bodyHashOf({ a: [1, 2] })).not.toBe(bodyHashOf({ a: [2, 1] }));
  });

  it('does not remember failures, so a retry after an outage runs again', async () => {
    await expect(store.run('k', 'id', {}, () => Promise.reject(new Error('DGII down')))).rejects.toThrow(
      'DGII down',
    );
    expect(await store.run('k', 'id', {}, work('retried'))).toBe('retried');
  });

  it('a concurrent duplicate of a failed run gets the same failure, without running again', async () => {
    const outage = new Error('DGII down');
    const results = await Promise.allSettled([
      store.run('k', 'id', {}, () => {
        calls++;
        return Promise.reject(outage);
      }),
      store.run('k', 'id', {}, work('second')),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: outage },
      { status: 'rejected', reason: outage },
    ]);
    expect(calls).toBe(1);
  });

  it('keeps ids per API key', async () => {
    await store.run('k1', 'id', { x: 1 }, work());
    expect(await store.run('k2', 'id', { x: 2 }, work('other account'))).toBe('other account');
  });

  it('forgets after 24 hours and stays bounded', async () => {
    await store.run('k', 'id', { x: 1 }, work());
    clock.advance(IDEMPOTENCY_TTL_MS);
    expect(await store.run('k', 'id', { x: 2 }, work('new'))).toBe('new');
    for (let i = 0; i <= IDEMPOTENCY_MAX_ENTRIES_PER_KEY; i++) await store.run('k', `n${i}`, {}, work());
    // The oldest entry was dropped to make room: its id is free again.
    expect(await store.run('k', 'id', { x: 3 }, work('evicted'))).toBe('evicted');
  });

  it('never drops a run still in flight to make room', async () => {
    let finish!: (value: string) => void;
    const slow = store.run('k', 'slow', {}, () => new Promise<string>((resolve) => (finish = resolve)));
    for (let i = 0; i <= IDEMPOTENCY_MAX_ENTRIES_PER_KEY; i++) await store.run('k', `n${i}`, {}, work());
    // A duplicate still joins the running one instead of submitting again.
    const duplicate = store.run('k', 'slow', {}, work('second submission'));
    finish('first');
    expect([await slow, await duplicate]).toEqual(['first', 'first']);
    expect(await store.memory.read('k', 'n0')).toBeUndefined();
  });
});
