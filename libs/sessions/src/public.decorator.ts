import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';

export const PUBLIC_SCOPE = 'fiscaliacore:public';

/**
 * Opting out of the global guards (STYLE §13):
 * - `@Public()`          no API key, no session (health, metrics, docs);
 * - `@Public('session')` API key required, no session (opening and closing sessions).
 * Both also set the route's Swagger security to match what the guards enforce.
 */
export type PublicScope = 'all' | 'session';

export const API_KEY_SCHEME = 'api-key';
export const SESSION_SCHEME = 'session';

export function Public(scope: PublicScope = 'all'): MethodDecorator & ClassDecorator {
  return scope === 'all'
    ? SetMetadata(PUBLIC_SCOPE, scope)
    : applyDecorators(SetMetadata(PUBLIC_SCOPE, scope), ApiSecurity(API_KEY_SCHEME));
}

/** Swagger metadata for routes that need both the API key and a session bearer (the default). */
export function SessionAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiSecurity(API_KEY_SCHEME), ApiBearerAuth(SESSION_SCHEME));
}
