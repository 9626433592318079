import { Session } from '../session';

/** A session whose key and certificate are stand-ins: stores keep them, never use them. */
export function sessionFixture(overrides: Partial<Session> = {}): Session {
  return {
    tokenHash: 'h1',
    apiKeyId: 'k1',
    signingKey: {} as Session['signingKey'],
    keyType: 'rsa',
    certificate: {} as Session['certificate'],
    signerCedula: '40209547971',
    subjectDn: 'CN=X',
    certExpiresAt: 0,
    openedAt: 0,
    expiresAt: 1_000,
    ...overrides,
  };
}
