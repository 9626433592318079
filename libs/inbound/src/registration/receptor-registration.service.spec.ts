import { ManualClock, NotFoundError, ReceptorTakenError, ValidationFailedError } from '@app/common';
import { loadConfig } from '@app/config';
import type { SigningIdentity } from '@app/signing';
import { MemoryReceptorRegistry } from './memory-receptor.registry';
import { ReceptorRegistrationService, SignerSession } from './receptor-registration.service';
import { ReceptorSigners } from './receptor-signers';

const identity = (cedula: string) => ({ signerCedula: cedula }) as unknown as SigningIdentity;

describe('ReceptorRegistrationService (issue 10 §1)', () => {
  let clock: ManualClock;
  let registry: MemoryReceptorRegistry;
  let signers: ReceptorSigners;
  let service: ReceptorRegistrationService;
  const session = (overrides: Partial<SignerSession> = {}): SignerSession => ({
    apiKeyId: 'key-a',
    identity: identity('40209547971'),
    expiresAt: clock.now() + 900_000,
    tokenHash: 'h1',
    ...overrides,
  });
  const origin = 'http://localhost:8080';

  beforeEach(() => {
    clock = new ManualClock(1_000_000);
    registry = new MemoryReceptorRegistry();
    signers = new ReceptorSigners(clock);
    service = new ReceptorRegistrationService(registry, signers, clock, loadConfig({}));
  });

  it('creates with a whsec_ secret shown once; path URLs without INBOUND_HOST_SUFFIX', async () => {
    const created = await service.register(
      '131793916',
      session(),
      { callbackUrl: 'https://a.example/h' },
      origin,
    );
    expect(created).toMatchObject({
      rnc: '131793916',
      requireAuth: true,
      urls: { recepcion: 'http://localhost:8080/receptor/131793916' },
      signer: { signerCedula: '40209547971', expiresAt: '1970-01-01T00:31:40Z' },
    });
    expect(created.callbackSecret).toMatch(/^whsec_/);
    const updated = await service.register(
      '131793916',
      session({ identity: identity('00100000001'), tokenHash: 'h2', expiresAt: clock.now() + 60_000 }),
      { callbackUrl: 'https://b.example/h', requireAuth: false },
      origin,
    );
    // A newer session re-attaches; the secret is kept and not shown again.
    expect(updated).toMatchObject({ callbackUrl: 'https://b.example/h', requireAuth: false });
    expect(updated.signer?.signerCedula).toBe('00100000001');
    expect(updated).not.toHaveProperty('callbackSecret');
    expect((await registry.get('131793916'))?.callbackSecret).toBe(created.callbackSecret);
  });

  it('host URLs with INBOUND_HOST_SUFFIX', async () => {
    service = new ReceptorRegistrationService(
      registry,
      signers,
      clock,
      loadConfig({ INBOUND_HOST_SUFFIX: 'ecf.example.com' }),
    );
    const view = await service.register(
      '131793916',
      session(),
      { callbackUrl: 'https://a.example/h' },
      origin,
    );
    expect(view.urls.autenticacion).toBe('https://131793916.ecf.example.com');
  });

  it('one RNC, one API key; other keys see nothing', async () => {
    await service.register('131793916', session(), { callbackUrl: 'https://a.example/h' }, origin);
    await expect(
      service.register('131793916', session({ apiKeyId: 'key-b' }), { callbackUrl: 'https://x' }, origin),
    ).rejects.toBeInstanceOf(ReceptorTakenError);
    await expect(service.get('131793916', 'key-b', origin)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.remove('131793916', 'key-b')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.rotateSecret('131793916', 'key-b', origin)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.get('1317', 'key-a', origin)).rejects.toBeInstanceOf(ValidationFailedError);
  });

  it('the signer lapses with its session and is detached on delete; the registration survives the session', async () => {
    await service.register('131793916', session(), { callbackUrl: 'https://a.example/h' }, origin);
    clock.advance(900_000);
    expect(await signers.live('131793916')).toBeUndefined();
    expect((await service.get('131793916', 'key-a', origin)).signer).toBeNull();
    await service.register(
      '131793916',
      session({ tokenHash: 'h3' }),
      { callbackUrl: 'https://a.example/h' },
      origin,
    );
    signers.detachSession('h3');
    expect(await signers.live('131793916')).toBeUndefined();
    await service.remove('131793916', 'key-a');
    expect(await registry.get('131793916')).toBeUndefined();
  });

  it('rotating replaces the secret', async () => {
    const created = await service.register(
      '131793916',
      session(),
      { callbackUrl: 'https://a.example/h' },
      origin,
    );
    const rotated = await service.rotateSecret('131793916', 'key-a', origin);
    expect(rotated.callbackSecret).toMatch(/^whsec_/);
    expect(rotated.callbackSecret).not.toBe(created.callbackSecret);
    expect((await registry.get('131793916'))?.callbackSecret).toBe(rotated.callbackSecret);
  });
});
