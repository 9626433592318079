import { dgiiCacheKeyOf, Session } from '../session';

/** A session whose key and certificate are stand-ins: stores keep them, never use them. */
export function sessionFixture(overrides: Partial<Session> = {}): Session {
  const tokenHash = overrides.tokenHash ?? 'h1';
  const apiKeyId = overrides.apiKeyId ?? 'k1';
  return {
    tokenHash,
    apiKeyId,
    cacheKey: dgiiCacheKeyOf(apiKeyId, tokenHash),
    identity: {
      privateKey: {} as Session['identity']['privateKey'],
      certificate: {} as Session['identity']['certificate'],
      keyType: 'rsa',
      signerCedula: '40209547971',
      subjectDn: 'CN=X',
      notBefore: 0,
      notAfter: 0,
    },
    openedAt: 0,
    expiresAt: 1_000,
    ...overrides,
  };
}
