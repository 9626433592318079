import { DgiiTokenStore } from '../dgii-token.store';

/**
 * The behaviour every DgiiTokenStore adapter must show (STYLE §24). A shared adapter (Redis) calls
 * this with its own factory. Keys are opaque: the contract uses ones with separators in them.
 */
export function describeDgiiTokenStoreContract(
  name: string,
  makeStore: () => DgiiTokenStore | Promise<DgiiTokenStore>,
  destroy: (store: DgiiTokenStore) => void | Promise<void> = () => undefined,
): void {
  describe(`DgiiTokenStore contract: ${name}`, () => {
    // Far in the future, so an adapter that drops expired tokens keeps these.
    const expiresAt = Date.parse('2100-01-01T00:00:00Z');
    const A = 'key-a\u0000hash:1';
    const B = 'key-a\u0000hash:2';
    let store: DgiiTokenStore;

    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(() => destroy(store));

    it('returns what was put, per key and environment', async () => {
      await store.put(A, 'TEST', { token: 'a-test', expiresAt });
      await store.put(A, 'CERTIFICATION', { token: 'a-cert', expiresAt: expiresAt + 1 });
      await store.put(B, 'TEST', { token: 'b-test', expiresAt });
      expect(await store.get(A, 'TEST')).toEqual({ token: 'a-test', expiresAt });
      expect(await store.get(A, 'CERTIFICATION')).toEqual({ token: 'a-cert', expiresAt: expiresAt + 1 });
      expect(await store.get(B, 'TEST')).toEqual({ token: 'b-test', expiresAt });
      expect(await store.get(A, 'PRODUCTION')).toBeUndefined();
      expect(await store.get('unknown', 'TEST')).toBeUndefined();
    });

    it('put replaces the token of the same key and environment', async () => {
      await store.put(A, 'TEST', { token: 'old', expiresAt });
      await store.put(A, 'TEST', { token: 'new', expiresAt: expiresAt + 5 });
      expect(await store.get(A, 'TEST')).toEqual({ token: 'new', expiresAt: expiresAt + 5 });
    });

    it('delete drops one token; with ifToken only while it is still that token', async () => {
      await store.put(A, 'TEST', { token: 'new', expiresAt });
      await store.put(A, 'CERTIFICATION', { token: 'cert', expiresAt });
      await store.delete(A, 'TEST', 'old');
      expect(await store.get(A, 'TEST')).toEqual({ token: 'new', expiresAt });
      await store.delete(A, 'TEST', 'new');
      expect(await store.get(A, 'TEST')).toBeUndefined();
      await store.delete(A, 'CERTIFICATION');
      expect(await store.get(A, 'CERTIFICATION')).toBeUndefined();
      await store.delete('unknown', 'TEST');
    });

    it('forget drops every token of a key and no other', async () => {
      await store.put(A, 'TEST', { token: 'a1', expiresAt });
      await store.put(A, 'PRODUCTION', { token: 'a2', expiresAt });
      await store.put(B, 'TEST', { token: 'b', expiresAt });
      await store.forget(A);
      await store.forget('unknown');
      expect(await store.get(A, 'TEST')).toBeUndefined();
      expect(await store.get(A, 'PRODUCTION')).toBeUndefined();
      expect(await store.get(B, 'TEST')).toEqual({ token: 'b', expiresAt });
    });

    it('a returned token is a copy: changing it changes nothing stored', async () => {
      const put = { token: 'a', expiresAt };
      await store.put(A, 'TEST', put);
      put.token = 'mutated';
      const got = await store.get(A, 'TEST');
      if (got) got.token = 'mutated too';
      expect(await store.get(A, 'TEST')).toEqual({ token: 'a', expiresAt });
    });
  });
}
