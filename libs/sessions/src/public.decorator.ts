import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
// The key @nestjs/swagger reads security requirements from; it has no decorator for `security: []`.
import { DECORATORS } from '@nestjs/swagger/dist/constants';

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

/** OpenAPI `security: []`: the route overrides any default and needs no credential. */
function NoSecurity(): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    Reflect.defineMetadata(DECORATORS.API_SECURITY, [], descriptor ? (descriptor.value as object) : target);
  };
}

export function Public(scope: PublicScope = 'all'): MethodDecorator & ClassDecorator {
  return scope === 'all'
    ? applyDecorators(SetMetadata(PUBLIC_SCOPE, scope), NoSecurity())
    : applyDecorators(SetMetadata(PUBLIC_SCOPE, scope), ApiSecurity(API_KEY_SCHEME));
}

/**
 * Swagger metadata for routes that need both the API key and a session bearer (the default):
 * ONE requirement object naming both schemes, which OpenAPI reads as "both together" (two
 * objects would mean "either one").
 */
export function SessionAuth(): MethodDecorator & ClassDecorator {
  return ApiSecurity({ [API_KEY_SCHEME]: [], [SESSION_SCHEME]: [] });
}
