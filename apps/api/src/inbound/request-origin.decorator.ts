import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** `http://host:port` the client called, for receptor URLs when no INBOUND_HOST_SUFFIX is set. */
export const RequestOrigin = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
});
