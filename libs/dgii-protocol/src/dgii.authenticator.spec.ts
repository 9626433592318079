import { ManualClock } from '@app/common';
import { signSemilla } from '@app/signing';
import { TestIdentity, testIdentity } from '@app/testing';
import { DgiiAuthenticator } from './dgii.authenticator';

describe('DgiiAuthenticator (PROTOCOL §2)', () => {
  let identity: TestIdentity;
  let clock: ManualClock;
  let auth: DgiiAuthenticator;

  beforeAll(async () => {
    identity = await testIdentity();
  });

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-04-23T17:00:00Z'));
    auth = new DgiiAuthenticator(clock);
  });

  const signed = (scope = 'certecf'): string => signSemilla(auth.issueSeed(scope), identity);

  it('issues a token for a signed seed, bound to its scope, for one hour', async () => {
    const check = await auth.checkSignedSeed('certecf', signed());
    expect(check).toEqual({
      ok: true,
      token: expect.any(String),
      expira: '2026-04-23T18:00:00Z',
      expedido: '2026-04-23T17:00:00Z',
    });
    const bearer = `bearer ${check.ok ? check.token : ''}`;
    expect(auth.authorized('certecf', bearer)).toBe(true);
    expect(auth.authorized('testecf', bearer)).toBe(false);
    expect(auth.authorized('certecf', undefined)).toBe(false);
    clock.advance(3_600_000);
    expect(auth.authorized('certecf', bearer)).toBe(false);
  });

  it('takes a seed once, in its own scope, within five minutes', async () => {
    const once = signed();
    expect((await auth.checkSignedSeed('certecf', once)).ok).toBe(true);
    expect(await auth.checkSignedSeed('certecf', once)).toEqual({
      ok: false,
      reason: 'La semilla no es válida o ha expirado.',
    });
    expect((await auth.checkSignedSeed('testecf', signed('certecf'))).ok).toBe(false);
    const late = signed();
    clock.advance(5 * 60_000);
    expect((await auth.checkSignedSeed('certecf', late)).ok).toBe(false);
  });

  it('refuses a seed signed over altered bytes, in DGII words', async () => {
    const tampered = signed().replace(/<valor>./, '<valor>#');
    expect(await auth.checkSignedSeed('certecf', tampered)).toEqual({
      ok: false,
      reason: 'Firma del certificado invalida',
    });
  });

  it('refuses a seed it never issued', async () => {
    const foreign = signSemilla(new DgiiAuthenticator(clock).issueSeed('certecf'), identity);
    expect((await auth.checkSignedSeed('certecf', foreign)).ok).toBe(false);
  });
});
