import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { RateLimiter } from './rate-limiter.service';

/**
 * Requests per second per API key. Runs after the ApiKeyGuard, which sets `apiKeyId`; routes with
 * no key (health, metrics, docs) are not counted. A guard rather than an interceptor: interceptors
 * put every request through rxjs (~0.18 ms each here).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(@Inject(RateLimiter) private readonly limiter: RateLimiter) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const { apiKeyId } = context.switchToHttp().getRequest<Request & { apiKeyId?: string }>();
    if (apiKeyId === undefined) return true;
    return this.limiter.consumeRequest(apiKeyId).then(() => true);
  }
}
