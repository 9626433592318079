import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: opaque to the integrator, never stored by us. */
export function mintSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The store key for a token. The raw token is not kept anywhere. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}
