import { IdempotencyConflictError, ManualClock } from '@app/common';
import {
  bodyHashOf,
  IDEMPOTENCY_MAX_ENTRIES_PER_KEY,
  IDEMPOTENCY_TTL_MS,
  IdempotencyStore,
} from './idempotency.store';

describe('IdempotencyStore', () => {
  let clock: ManualClock;
  let store: IdempotencyStore;
  let calls: number;
  const work =
    (value = 'ok') =>
    () => {
      calls++;
      return Promise.resolve(value);
    };

  beforeEach(() => {
    clock = new ManualClock(0);
    store = new IdempotencyStore(clock);
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
});
