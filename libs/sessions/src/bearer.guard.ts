import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SessionEvictedError } from '@app/common';
import { RateLimiter } from '@app/rate-limit';
import { AuthenticatedRequest } from './authenticated-request';
import { PUBLIC_SCOPE, PublicScope } from './public.decorator';
import { SessionStore } from './session.store';
import { hashToken } from './session-token';

/** Reads `Authorization: Bearer <token>` (case-insensitive scheme); undefined when absent or malformed. */
export function bearerTokenOf(req: AuthenticatedRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+([A-Za-z0-9_-]{16,256})\s*$/i.exec(header);
  return match?.[1];
}

const MISSING_BEARER =
  'no Authorization: Bearer header — open a session via POST /api/v1/sessions and send its token';
const MALFORMED_BEARER =
  'the Authorization header is not "Bearer <token>" — send the token POST /api/v1/sessions returned';

/**
 * Business routes need a live session opened under the same API key. Unknown, expired, closed
 * or foreign sessions are indistinguishable: 401 SESSION_EVICTED (DESIGN §1.3). A missing or
 * malformed header gets the same code with a message saying so: that reveals nothing about sessions.
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(SessionStore) private readonly store: SessionStore,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<PublicScope | undefined>(PUBLIC_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (scope !== undefined) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(req);
    if (!token) {
      return this.refuse(req, req.headers.authorization === undefined ? MISSING_BEARER : MALFORMED_BEARER);
    }
    const session = await this.store.get(hashToken(token), token);
    if (!session || session.apiKeyId !== req.apiKeyId) return this.refuse(req);
    req.session = session;
    return true;
  }

  /** A failed bearer counts against the API key (429 once over the limit, issue 7 §2). */
  private async refuse(req: AuthenticatedRequest, message?: string): Promise<never> {
    if (req.apiKeyId) await this.limiter.recordAuthFailure({ apiKeyId: req.apiKeyId });
    throw new SessionEvictedError(message);
  }
}
