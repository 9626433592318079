import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedRequest } from './authenticated-request';
import { bearerTokenOf } from './bearer.guard';

const requestOf = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>();

/** The session the BearerGuard attached. */
export const CurrentSession = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => requestOf(ctx).session,
);

/** The integrator account id the ApiKeyGuard derived from X-Api-Key. */
export const ApiKeyId = createParamDecorator((_: unknown, ctx: ExecutionContext) => requestOf(ctx).apiKeyId);

/** The raw bearer token, for routes that handle it themselves (closing a session). */
export const BearerToken = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  bearerTokenOf(requestOf(ctx)),
);
