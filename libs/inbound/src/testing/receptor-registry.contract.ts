import { ReceptorRegistration } from '../registration/receptor-registration';
import { ReceptorRegistry } from '../registration/receptor.registry';

export function registrationFixture(overrides: Partial<ReceptorRegistration> = {}): ReceptorRegistration {
  return {
    rnc: '131793916',
    apiKeyId: 'key-a',
    callbackUrl: 'https://integrator.example/hooks/dgii',
    requireAuth: true,
    callbackSecret: 'whsec_dGVzdC1zZWNyZXQtMzItYnl0ZXMtbG9uZy0tLS0tLS0=',
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  };
}

/**
 * The behaviour every ReceptorRegistry adapter must show (STYLE §24). A shared adapter (Redis)
 * calls this with its own factory and cleanup.
 */
export function describeReceptorRegistryContract(
  name: string,
  makeRegistry: () => ReceptorRegistry | Promise<ReceptorRegistry>,
  destroy: (registry: ReceptorRegistry) => void | Promise<void> = () => undefined,
): void {
  describe(`ReceptorRegistry contract: ${name}`, () => {
    let registry: ReceptorRegistry;

    beforeEach(async () => {
      registry = await makeRegistry();
    });
    afterEach(() => destroy(registry));

    it('returns what was inserted, and nothing for an unknown RNC', async () => {
      expect(await registry.insert(registrationFixture())).toBe(true);
      expect(await registry.get('131793916')).toEqual(registrationFixture());
      expect(await registry.get('401000001')).toBeUndefined();
    });

    it('an RNC is inserted once: a second insert changes nothing', async () => {
      await registry.insert(registrationFixture());
      expect(
        await registry.insert(registrationFixture({ apiKeyId: 'key-b', callbackUrl: 'https://x.example' })),
      ).toBe(false);
      expect(await registry.get('131793916')).toMatchObject({ apiKeyId: 'key-a' });
    });

    it('updates only a registration of the same API key', async () => {
      await registry.insert(registrationFixture());
      expect(await registry.update(registrationFixture({ apiKeyId: 'key-b', requireAuth: false }))).toBe(
        false,
      );
      expect(await registry.update(registrationFixture({ requireAuth: false, updatedAt: 2_000 }))).toBe(true);
      expect(await registry.get('131793916')).toMatchObject({ requireAuth: false, updatedAt: 2_000 });
      expect(await registry.update(registrationFixture({ rnc: '401000001' }))).toBe(false);
      expect(await registry.get('401000001')).toBeUndefined();
    });

    it('deletes only for the owning API key', async () => {
      await registry.insert(registrationFixture());
      expect(await registry.delete('131793916', 'key-b')).toBe(false);
      expect(await registry.get('131793916')).toBeDefined();
      expect(await registry.delete('131793916', 'key-a')).toBe(true);
      expect(await registry.get('131793916')).toBeUndefined();
      expect(await registry.delete('131793916', 'key-a')).toBe(false);
    });

    it('keeps the callback secret exactly (delivery signs with it)', async () => {
      await registry.insert(registrationFixture({ callbackSecret: 'whsec_AAECAwQFBgcICQ==' }));
      expect((await registry.get('131793916'))?.callbackSecret).toBe('whsec_AAECAwQFBgcICQ==');
    });
  });
}
