import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
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

/**
 * An AbortSignal that fires when the client goes away before the response is written, so costly
 * work done for it (a .p12 unlock) can stop. Listens on the response: since Node 16 a request's
 * own 'close' fires as soon as its body has been read.
 */
export const ClientGoneSignal = createParamDecorator((_: unknown, ctx: ExecutionContext): AbortSignal => {
  const res = ctx.switchToHttp().getResponse<ServerResponse>();
  const controller = new AbortController();
  if (res.destroyed || res.socket?.destroyed) controller.abort();
  else {
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
  }
  return controller.signal;
});
