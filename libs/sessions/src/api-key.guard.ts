import { CanActivate, ExecutionContext, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidApiKeyError } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RateLimiter } from '@app/rate-limit';
import { AuthenticatedRequest } from './authenticated-request';
import { PUBLIC_SCOPE, PublicScope } from './public.decorator';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * X-Api-Key on every non-public route. Keys are compared as SHA-256 digests with
 * timingSafeEqual, so neither content nor length leaks through timing; every key is checked.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleInit {
  private readonly logger = new Logger('ApiKeyGuard');
  private readonly keyDigests: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
  ) {
    this.keyDigests = config.apiKeys.map(digest);
  }

  onModuleInit(): void {
    if (this.config.usingDevApiKey) {
      this.logger.warn(
        'FISCALIACORE_API_KEYS is not set: accepting the development key (never in production)',
      );
    }
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<PublicScope | undefined>(PUBLIC_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (scope === 'all') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = req.headers['x-api-key'];
    if (typeof presented !== 'string' || presented.length === 0) return this.refuse(req);
    const presentedDigest = digest(presented);
    let match: Buffer | undefined;
    for (const key of this.keyDigests) {
      if (timingSafeEqual(key, presentedDigest)) match = key;
    }
    if (!match) return this.refuse(req);
    // The account id is derived from the key, so it never needs to be stored or logged.
    req.apiKeyId = match.toString('base64url');
    return true;
  }

  /** No valid key, so the failure counts against the client IP (429 once over the limit). */
  private async refuse(req: AuthenticatedRequest): Promise<never> {
    await this.limiter.recordAuthFailure({ ip: req.ip ?? req.socket.remoteAddress ?? 'unknown' });
    throw new InvalidApiKeyError();
  }
}
